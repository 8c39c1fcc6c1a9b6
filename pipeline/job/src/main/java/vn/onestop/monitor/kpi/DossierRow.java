package vn.onestop.monitor.kpi;

/** The current state of one dossier: a row of the {@code dossier} table. Times are epoch ms or NO_TIME. */
public class DossierRow {
    public String dossierId;
    public String unitCode;
    public String procedureCode;
    public String channel;
    public long receivedAt;
    public long dueAt;
    public long effectiveDueAt;
    public int supplementRequests;
    public boolean waitingSupplement;
    public long pausedMs;
    public long endedAt;
    public String endType;
    public DossierStatus status;
    public boolean digitised;
    public boolean resultDigitised;
    public long apologyDueAt;
    public long lastEventAt;
    public int eventsApplied;

    public DossierRow() {}
}

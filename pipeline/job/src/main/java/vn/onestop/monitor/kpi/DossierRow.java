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

    // For the national index (issue 16): raw ends and supplement rounds (times epoch ms or NO_TIME; a round's
    // supplied time NO_TIME while outstanding), and the DossierFacts.
    public long resolvedAt;
    public long returnedAt;
    public long stoppedAt;
    public long withdrawnAt;
    public long[] supplementRequestedAt = new long[0];
    public long[] supplementSuppliedAt = new long[0];
    public String onlineMode;
    public boolean syncedToPortal;
    public boolean electronicResult;
    public boolean reusedData;
    public boolean personalDataStore;
    public boolean vneid;
    public int payments;
    public long paymentAmount;
    public boolean paidOnline;

    public DossierRow() {}
}

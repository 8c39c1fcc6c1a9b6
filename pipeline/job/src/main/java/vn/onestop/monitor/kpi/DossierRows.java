package vn.onestop.monitor.kpi;

import vn.onestop.monitor.ingest.EventType;

import static vn.onestop.monitor.kpi.DossierTimeline.NONE;

/** A dossier's current row for the {@code dossier} table, projected from its timeline and outcome after each event. */
public final class DossierRows {
    private DossierRows() {}

    public static DossierRow of(String dossierId, DossierTimeline t, DossierOutcome o) {
        DossierRow r = new DossierRow();
        r.dossierId = dossierId;
        r.unitCode = t.unitCode;
        r.procedureCode = t.procedureCode;
        r.channel = t.channel == null ? null : t.channel.name();
        r.receivedAt = t.hasReceipt ? t.receivedAt : NONE;
        r.dueAt = t.dueAt;
        r.effectiveDueAt = o.effectiveDueAt();
        r.supplementRequests = o.supplementRequests();
        r.waitingSupplement = o.waitingSupplement();
        r.pausedMs = o.pausedMs();
        r.endedAt = o.endedAt();
        r.endType = o.status() == DossierStatus.WITHDRAWN ? EventType.WITHDRAWN.name() : o.endType() == null ? null : o.endType().name();
        r.status = o.status();
        r.digitised = t.digitised;
        r.resultDigitised = t.resolvedAt != NONE && t.resultDigitised;
        r.apologyDueAt = t.apologyDueAt;
        r.lastEventAt = t.lastEventAt;
        r.eventsApplied = t.eventsApplied();
        return r;
    }
}

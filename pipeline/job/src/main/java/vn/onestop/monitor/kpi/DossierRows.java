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
        // The raw ends and supplement rounds: the national 2.1 judges a period with what was known at its end
        // (docs/INDEX766.md), which the row's single current end cannot tell.
        r.resolvedAt = t.isEnd(t.resolvedAt) ? t.resolvedAt : NONE;
        r.returnedAt = t.isEnd(t.returnedAt) ? t.returnedAt : NONE;
        r.stoppedAt = t.isEnd(t.stoppedAt) ? t.stoppedAt : NONE;
        r.withdrawnAt = t.isEnd(t.withdrawnAt) ? t.withdrawnAt : NONE;
        supplementRounds(t, r);
        t.facts.fill(r);
        return r;
    }

    /**
     * Pairs the sorted supplement events into rounds: a request opens a round, a supply answers the latest
     * unanswered one (a supply with no open request is a producer's slip and is ignored).
     */
    private static void supplementRounds(DossierTimeline t, DossierRow r) {
        if (t.supplements.length == 0) {
            // Most dossiers: the row keeps its empty arrays (shared, a zero-length array cannot change).
            return;
        }
        long[] requested = new long[t.supplements.length];
        long[] supplied = new long[t.supplements.length];
        int rounds = 0;
        for (long packed : t.supplements) {
            long at = packed >> 1;
            if ((packed & 1) == 1) {
                requested[rounds] = at;
                supplied[rounds] = NONE;
                rounds++;
            } else {
                for (int i = rounds - 1; i >= 0; i--) {
                    if (supplied[i] == NONE) {
                        supplied[i] = at;
                        break;
                    }
                }
            }
        }
        r.supplementRequestedAt = java.util.Arrays.copyOf(requested, rounds);
        r.supplementSuppliedAt = java.util.Arrays.copyOf(supplied, rounds);
    }
}

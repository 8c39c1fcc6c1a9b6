package vn.onestop.monitor.kpi;

import vn.onestop.monitor.ingest.EventType;

/**
 * A dossier's derived status: how and when processing ended, and its due time after supplement pauses (the KPIs'
 * reading), plus its processing clock (the alerts' reading, {@link DossierClock}).
 */
public record DossierOutcome(
        DossierStatus status,
        long endedAt,
        EventType endType,
        long effectiveDueAt,
        int supplementRequests,
        boolean waitingSupplement,
        long pausedMs,
        DossierClock clock) {
}

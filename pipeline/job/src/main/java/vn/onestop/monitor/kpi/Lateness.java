package vn.onestop.monitor.kpi;

import vn.onestop.monitor.ingest.LocalClock;

import java.io.Serializable;
import java.time.Duration;

/**
 * The lateness horizon: an event older than the stream's event-time progress (the watermark) minus the horizon
 * would reopen periods that reviews have already closed, so it is refused as TOO_LATE instead.
 */
public final class Lateness implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final long DAY = LocalClock.DAY_MS;
    private static final long HOUR = LocalClock.HOUR_MS;
    private final long horizonMs;

    public Lateness(Duration horizon) {
        this.horizonMs = horizon.toMillis();
    }

    public boolean isTooLate(long eventTime, long watermark) {
        return watermark != Long.MIN_VALUE && eventTime < watermark - horizonMs;
    }

    /**
     * Whether the counts of the hour starting at {@code hourStart} are final: no event inside the horizon can fall in
     * it any more, so the unit-hour counts leave state once the watermark passes {@link #hourFinalAt}.
     */
    public boolean isFinalHour(long hourStart, long watermark) {
        return watermark != Long.MIN_VALUE && hourFinalAt(hourStart) <= watermark;
    }

    /** The event time from which an hour's counts are final: the end of the hour plus the horizon. */
    public long hourFinalAt(long hourStart) {
        return hourStart + HOUR + horizonMs;
    }

    /**
     * When a finished dossier's (or a counted rating's) state may go: twice the horizon after its last event, rounded
     * up to the next UTC midnight, so that later events of the same key mostly find their timer already in place.
     * Any event for it after that is either too late anyway or a new fact arriving extraordinarily late, which then
     * starts a pending row.
     */
    public long stateExpiry(long lastEventAt) {
        return Math.floorDiv(lastEventAt + 2 * horizonMs, DAY) * DAY + DAY;
    }

    public Duration horizon() {
        return Duration.ofMillis(horizonMs);
    }
}

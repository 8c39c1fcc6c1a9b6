package vn.onestop.monitor.kpi;

import java.io.Serializable;
import java.time.Duration;

/**
 * The lateness horizon: an event older than the stream's event-time progress (the watermark) minus the horizon
 * would reopen periods that reviews have already closed, so it is refused as TOO_LATE instead.
 */
public final class Lateness implements Serializable {
    private static final long serialVersionUID = 1L;
    private final long horizonMs;

    public Lateness(Duration horizon) {
        this.horizonMs = horizon.toMillis();
    }

    public boolean isTooLate(long eventTime, long watermark) {
        return watermark != Long.MIN_VALUE && eventTime < watermark - horizonMs;
    }

    public Duration horizon() {
        return Duration.ofMillis(horizonMs);
    }
}

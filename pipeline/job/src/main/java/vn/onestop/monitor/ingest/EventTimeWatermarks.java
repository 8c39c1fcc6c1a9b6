package vn.onestop.monitor.ingest;

import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;

import java.util.function.LongSupplier;

/**
 * Bounded out-of-orderness watermarks that, in live operation, keep moving with the wall clock when the input goes
 * quiet — but only once the source has caught up.
 *
 * <p>Three rules, in this order:
 * <ol>
 *   <li>Event time never runs ahead of the wall clock: the largest event time counts only up to now, whatever an
 *       event claims (the parser accepts events dated up to MAX_FUTURE_SKEW after their send time; one of them must
 *       not fire or skip other dossiers' timers).</li>
 *   <li>After {@code idleAfterMs} without records, a source that has <em>caught up</em> moves event time to "now minus
 *       idleLagMs": plain event-time watermarks stall on quiet nights, and with them every overdue alert.</li>
 *   <li>A source has caught up when the last record it read had been appended to the broker at most
 *       {@code caughtUpLagMs} before it was read. A source that has read nothing yet, or is reading a backlog, has
 *       not: when it goes quiet it is marked idle (Flink leaves it out of the minimum) instead of jumping to the wall
 *       clock. So a quiet spell while history is being read — a slow first fetch, a broker hiccup, a long GC pause —
 *       never turns the rest of the history into TOO_LATE: the verdict on each record depends on the records, not on
 *       start-up timing.</li>
 * </ol>
 * Replays pass {@code idleAfterMs <= 0}: their event time then depends on the data alone.
 */
public final class EventTimeWatermarks<T extends BrokerTimestamped> implements WatermarkGenerator<T> {
    private final long outOfOrdernessMs;
    private final long idleAfterMs;
    private final long idleLagMs;
    private final long caughtUpLagMs;
    private final LongSupplier clock;
    private long maxTimestamp = Long.MIN_VALUE;
    private long lastRecordWallTime;
    private boolean caughtUp;
    private boolean idle;
    private long emitted = Long.MIN_VALUE;

    public EventTimeWatermarks(long outOfOrdernessMs, long idleAfterMs, long idleLagMs, long caughtUpLagMs) {
        this(outOfOrdernessMs, idleAfterMs, idleLagMs, caughtUpLagMs, System::currentTimeMillis);
    }

    /** With the wall clock given, for tests. */
    public EventTimeWatermarks(long outOfOrdernessMs, long idleAfterMs, long idleLagMs, long caughtUpLagMs, LongSupplier clock) {
        this.outOfOrdernessMs = outOfOrdernessMs;
        this.idleAfterMs = idleAfterMs;
        this.idleLagMs = idleLagMs;
        this.caughtUpLagMs = caughtUpLagMs;
        this.clock = clock;
        this.lastRecordWallTime = clock.getAsLong();
    }

    @Override
    public void onEvent(T event, long eventTimestamp, WatermarkOutput output) {
        long now = clock.getAsLong();
        maxTimestamp = Math.max(maxTimestamp, eventTimestamp);
        lastRecordWallTime = now;
        long appended = event.brokerTimestamp();
        // Without a broker time (a source that has none) nothing tells a backlog from the present: count it as current.
        caughtUp = appended <= 0 || now - appended <= caughtUpLagMs;
    }

    @Override
    public void onPeriodicEmit(WatermarkOutput output) {
        long now = clock.getAsLong();
        long candidate = maxTimestamp == Long.MIN_VALUE ? Long.MIN_VALUE : Math.min(maxTimestamp, now) - outOfOrdernessMs - 1;
        if (idleAfterMs > 0 && now - lastRecordWallTime >= idleAfterMs) {
            if (caughtUp) {
                candidate = Math.max(candidate, now - idleLagMs);
            } else {
                if (!idle) {
                    idle = true;
                    output.markIdle();
                }
                return;
            }
        }
        if (candidate > emitted) {
            emitted = candidate;
            idle = false;
            output.emitWatermark(new Watermark(candidate));
        } else if (idle && candidate != Long.MIN_VALUE && now - lastRecordWallTime < idleAfterMs) {
            // Records again after an idle spell, but none newer than what was emitted: active again all the same.
            idle = false;
            output.markActive();
        }
    }
}

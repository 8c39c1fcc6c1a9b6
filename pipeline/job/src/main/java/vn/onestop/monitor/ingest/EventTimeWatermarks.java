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
 *       {@code caughtUpLagMs} before it was read, or, before it has read anything, when its topic held nothing for
 *       this job to read at start ({@code backlogAtStart} false). A source that has not caught up holds its
 *       watermark where its records left it, however long it stays quiet: it is neither moved to the wall clock nor
 *       marked idle, because either would let the other sources' progress turn its history — still to come, after
 *       a slow first fetch, a broker hiccup or a long pause — into TOO_LATE records and evicted hours.</li>
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
    private long emitted = Long.MIN_VALUE;

    public EventTimeWatermarks(long outOfOrdernessMs, long idleAfterMs, long idleLagMs, long caughtUpLagMs, boolean backlogAtStart) {
        this(outOfOrdernessMs, idleAfterMs, idleLagMs, caughtUpLagMs, backlogAtStart, System::currentTimeMillis);
    }

    /** With the wall clock given, for tests. */
    public EventTimeWatermarks(long outOfOrdernessMs, long idleAfterMs, long idleLagMs, long caughtUpLagMs, boolean backlogAtStart,
                               LongSupplier clock) {
        this.outOfOrdernessMs = outOfOrdernessMs;
        this.idleAfterMs = idleAfterMs;
        this.idleLagMs = idleLagMs;
        this.caughtUpLagMs = caughtUpLagMs;
        this.clock = clock;
        this.lastRecordWallTime = clock.getAsLong();
        this.caughtUp = !backlogAtStart;
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
        if (caughtUp && idleAfterMs > 0 && now - lastRecordWallTime >= idleAfterMs) {
            candidate = Math.max(candidate, now - idleLagMs);
        }
        if (candidate > emitted) {
            emitted = candidate;
            output.emitWatermark(new Watermark(candidate));
        }
    }
}

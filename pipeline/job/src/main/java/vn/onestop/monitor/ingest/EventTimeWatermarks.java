package vn.onestop.monitor.ingest;

import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;

/**
 * Bounded out-of-orderness watermarks that, in live operation, keep moving with the wall clock when the input
 * goes quiet. Plain event-time watermarks stall on quiet nights and idle partitions, and with them every timer
 * (an overdue dossier would not be reported until the next event). After {@code idleAfterMs} without records the
 * watermark advances to "now minus idleLagMs"; events that arrive later than that are still applied (the job never
 * drops late data inside the lateness horizon), so this only decides when time-driven alerts fire. Replays pass
 * {@code idleAfterMs <= 0}: their event time then depends on the data alone and is deterministic.
 */
public final class EventTimeWatermarks<T> implements WatermarkGenerator<T> {
    private final long outOfOrdernessMs;
    private final long idleAfterMs;
    private final long idleLagMs;
    private long maxTimestamp = Long.MIN_VALUE;
    private long lastRecordWallTime = System.currentTimeMillis();
    private long emitted = Long.MIN_VALUE;

    public EventTimeWatermarks(long outOfOrdernessMs, long idleAfterMs, long idleLagMs) {
        this.outOfOrdernessMs = outOfOrdernessMs;
        this.idleAfterMs = idleAfterMs;
        this.idleLagMs = idleLagMs;
    }

    @Override
    public void onEvent(T event, long eventTimestamp, WatermarkOutput output) {
        maxTimestamp = Math.max(maxTimestamp, eventTimestamp);
        lastRecordWallTime = System.currentTimeMillis();
    }

    @Override
    public void onPeriodicEmit(WatermarkOutput output) {
        long candidate = maxTimestamp == Long.MIN_VALUE ? Long.MIN_VALUE : maxTimestamp - outOfOrdernessMs - 1;
        long now = System.currentTimeMillis();
        if (idleAfterMs > 0 && now - lastRecordWallTime >= idleAfterMs) {
            candidate = Math.max(candidate, now - idleLagMs);
        }
        if (candidate > emitted) {
            emitted = candidate;
            output.emitWatermark(new Watermark(candidate));
        }
    }
}

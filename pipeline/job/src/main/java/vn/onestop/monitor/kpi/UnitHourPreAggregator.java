package vn.onestop.monitor.kpi;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.Collector;

/**
 * Sums the changes to unit-hour counts in the task that produces them (chained to the dossier or rating operator)
 * and emits one change per unit and hour and flush, followed by its copies for the parent units
 * ({@link ParentRollup}: a copy of a sum is the sum of the copies). The sums leave on every watermark (before it, as
 * the changes they hold came before it), when {@code maxKeys} unit-hours are held, every {@code flushIntervalMs}
 * of processing time, before each checkpoint barrier and at the end of input. Nothing is held across a barrier, so
 * the operator has no state and the counts stay exact across restores, as with
 * {@link vn.onestop.monitor.ingest.TallyPreAggregator}.
 */
public final class UnitHourPreAggregator extends AbstractStreamOperator<UnitHourDelta>
        implements OneInputStreamOperator<UnitHourDelta, UnitHourDelta>, BoundedOneInput {
    private static final long serialVersionUID = 1L;
    /** Units × hours between two watermarks: a live job holds a few, a backfill's watermark gap a few hundred. */
    public static final int DEFAULT_MAX_KEYS = 4096;
    /** A fallback where no watermark comes (an idle stream): watermarks flush every 50 ms otherwise. */
    public static final long DEFAULT_FLUSH_INTERVAL_MS = 200;

    private final ParentRollup rollup;
    private final int maxKeys;
    private final long flushIntervalMs;
    private transient UnitHourBuffer buffer;
    private transient Collector<UnitHourDelta> emit;

    /** {@code rollup} may be null: then only the units' own sums leave. */
    public UnitHourPreAggregator(ParentRollup rollup, int maxKeys, long flushIntervalMs) {
        this.rollup = rollup;
        this.maxKeys = maxKeys;
        this.flushIntervalMs = flushIntervalMs;
    }

    /** The summed changes of one operator's output with their parent copies; {@code from} names it in the uid. */
    public static DataStream<UnitHourDelta> sums(DataStream<UnitHourDelta> changes, ParentRollup rollup, String from) {
        return changes.transform("sum unit-hour changes: " + from, TypeInformation.of(UnitHourDelta.class),
                        new UnitHourPreAggregator(rollup, DEFAULT_MAX_KEYS, DEFAULT_FLUSH_INTERVAL_MS))
                .uid("unit-hour-sums-" + from);
    }

    @Override
    public void open() throws Exception {
        super.open();
        buffer = new UnitHourBuffer();
        emit = new Collector<>() {
            @Override
            public void collect(UnitHourDelta d) {
                // No timestamp: the counting operator sets its timers from the hour, and a sum spans many events.
                output.collect(new StreamRecord<>(d));
            }

            @Override
            public void close() {}
        };
        if (flushIntervalMs > 0) {
            scheduleFlush();
        }
    }

    private void scheduleFlush() {
        long at = getProcessingTimeService().getCurrentProcessingTime() + flushIntervalMs;
        getProcessingTimeService().registerTimer(at, t -> {
            flush();
            scheduleFlush();
        });
    }

    @Override
    public void processElement(StreamRecord<UnitHourDelta> element) {
        buffer.add(element.getValue());
        if (buffer.size() >= maxKeys) {
            flush();
        }
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        flush();
        super.processWatermark(mark);
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        flush();
        super.prepareSnapshotPreBarrier(checkpointId);
    }

    @Override
    public void endInput() {
        flush();
    }

    @Override
    public void finish() throws Exception {
        flush();
        super.finish();
    }

    private void flush() {
        if (buffer.isEmpty()) {
            return;
        }
        for (UnitHourDelta d : buffer.drain()) {
            emit.collect(d);
            if (rollup != null) {
                rollup.flatMap(d, emit);
            }
        }
    }
}

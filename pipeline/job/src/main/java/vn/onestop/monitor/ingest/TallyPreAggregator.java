package vn.onestop.monitor.ingest;

import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/**
 * Sums tallies in the producing task (it is chained to the operator whose side output it reads) and emits the
 * partial sums for {@link TallyCounts} to add. The sums leave on every watermark, when the buffer holds
 * {@code maxKeys} keys, every {@code flushIntervalMs} of processing time (the parsers' side outputs see no
 * watermarks: their sources have none), before each checkpoint barrier and at the end of input. Because nothing is
 * held across a barrier, the operator has no state and the totals stay exact across restores: what was counted
 * before a checkpoint has reached {@link TallyCounts} before the barrier does.
 */
public final class TallyPreAggregator extends AbstractStreamOperator<TallySum>
        implements OneInputStreamOperator<Tally, TallySum>, BoundedOneInput {
    private static final long serialVersionUID = 1L;
    /** A flush per 1,024 keys: the keys are topic × day, so only a replay spanning years reaches it between watermarks. */
    public static final int DEFAULT_MAX_KEYS = 1024;
    /** Bounds how late the live reconciliation lags where no watermark comes. */
    public static final long DEFAULT_FLUSH_INTERVAL_MS = 1000;

    private final int maxKeys;
    private final long flushIntervalMs;
    private transient TallyBuffer buffer;

    public TallyPreAggregator(int maxKeys, long flushIntervalMs) {
        this.maxKeys = maxKeys;
        this.flushIntervalMs = flushIntervalMs;
    }

    /** The tallies of one operator's side output, summed in its task; {@code from} names the operator in uids. */
    public static DataStream<TallySum> sums(DataStream<Tally> tallies, String from) {
        return tallies.transform("sum tallies: " + from, TypeInformation.of(TallySum.class),
                        new TallyPreAggregator(DEFAULT_MAX_KEYS, DEFAULT_FLUSH_INTERVAL_MS))
                .uid("tally-sums-" + from);
    }

    @Override
    public void open() throws Exception {
        super.open();
        buffer = new TallyBuffer();
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
    public void processElement(StreamRecord<Tally> element) {
        buffer.add(element.getValue());
        if (buffer.size() >= maxKeys) {
            flush();
        }
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        flush(); // before the watermark, as the tallies it summed came before it
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
        for (TallySum s : buffer.drain()) {
            // No timestamp: TallyCounts sets no timers, and a sum spans many records' times.
            output.collect(new StreamRecord<>(s));
        }
    }
}

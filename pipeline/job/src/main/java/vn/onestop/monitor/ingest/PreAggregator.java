package vn.onestop.monitor.ingest;

import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Sums additive records in the task that produces them (chained to it) so that fewer, summed records cross the
 * keyed exchange behind it. What it holds leaves on every watermark (before the watermark, as the records it summed
 * came before it), when {@code maxKeys} keys are held, every {@code flushIntervalMs} of processing time (a fallback
 * where no watermark comes), before each checkpoint barrier and at the end of input. Because nothing is held across
 * a barrier, the operator has no state and the sums stay exact across restores: what was counted before a checkpoint
 * has reached the counting operator before the barrier does.
 */
public abstract class PreAggregator<IN, OUT> extends AbstractStreamOperator<OUT>
        implements OneInputStreamOperator<IN, OUT>, BoundedOneInput {
    private static final long serialVersionUID = 1L;

    private final int maxKeys;
    private final long flushIntervalMs;

    protected PreAggregator(int maxKeys, long flushIntervalMs) {
        this.maxKeys = maxKeys;
        this.flushIntervalMs = flushIntervalMs;
    }

    /** Adds one record to the sums held. */
    protected abstract void add(IN record);

    /** How many keys are held. */
    protected abstract int size();

    /** Emits every sum held (through {@link #emit}) and forgets them. */
    protected abstract void drain();

    /** Sends one sum on. No timestamp: a sum spans many records' times, and the counting operators set no timers from it. */
    protected final void emit(OUT sum) {
        output.collect(new StreamRecord<>(sum));
    }

    @Override
    public void open() throws Exception {
        super.open();
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
    public void processElement(StreamRecord<IN> element) {
        add(element.getValue());
        if (size() >= maxKeys) {
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
        if (size() > 0) {
            drain();
        }
    }
}

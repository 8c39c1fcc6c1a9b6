package vn.onestop.monitor.kpi;

import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeutils.base.LongSerializer;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;

import java.util.List;

/**
 * A keyed operator whose function raises alerts that a live sink writes at once, and that must therefore learn, on a
 * restore, the window in which the failed attempt may have written alerts its restored state does not know ("ghosts",
 * docs/OPERATIONS.md): from the lowest watermark the checkpoint's subtasks had (so no key's ghost is missed after a
 * rescale) to the wall clock now. A function cannot see watermarks nor write operator state that every subtask reads
 * back, hence this operator. A checkpoint or savepoint without the entry (written before it existed) turns the check
 * off: a planned upgrade stops the old job with a savepoint, after which it writes nothing. Bounded runs commit their
 * alerts with checkpoints, so they have no ghosts and are never told.
 */
class RestoreWindowOperator<IN, OUT, F extends KeyedProcessFunction<String, IN, OUT> & RestoreWindowOperator.Restorable>
        extends KeyedProcessOperator<String, IN, OUT> {
    private static final long serialVersionUID = 1L;

    /** A function told of the restore window of a live run. */
    interface Restorable {
        /** {@code watermark}: the lowest the checkpoint's subtasks had; {@code wallClock}: the time of the restore. */
        void restoredAt(long watermark, long wallClock);
    }

    /**
     * Operator state: the watermark this subtask had when the checkpoint was taken (the highest it had received), one
     * entry per subtask, read back whole by every subtask (union list), so a restore with another parallelism sees all.
     */
    static final ListStateDescriptor<Long> CHECKPOINT_WATERMARK = new ListStateDescriptor<>("watermark-at-checkpoint", LongSerializer.INSTANCE);

    private final F function;
    private final boolean boundedInput;
    private transient ListState<Long> checkpointWatermark;
    /** The highest watermark seen, starting from the restored one (the restored attempt's watermark starts over). */
    private transient long watermark = Long.MIN_VALUE;

    RestoreWindowOperator(F function, boolean boundedInput) {
        super(function);
        this.function = function;
        this.boundedInput = boundedInput;
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        checkpointWatermark = context.getOperatorStateStore().getUnionListState(CHECKPOINT_WATERMARK);
        if (!context.isRestored()) {
            return;
        }
        boolean any = false;
        long lowest = Long.MAX_VALUE;
        for (Long w : checkpointWatermark.get()) {
            any = true;
            lowest = Math.min(lowest, w);
        }
        if (any) {
            watermark = lowest;
            if (!boundedInput) {
                function.restoredAt(lowest, System.currentTimeMillis());
            }
        }
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        checkpointWatermark.update(List.of(watermark));
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        watermark = Math.max(watermark, mark.getTimestamp());
        super.processWatermark(mark);
    }
}

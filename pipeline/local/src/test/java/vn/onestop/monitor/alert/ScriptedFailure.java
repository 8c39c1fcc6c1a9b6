package vn.onestop.monitor.alert;

import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The scripted input of a restart test: turns the numbers 0..N into records. The script's first part (record 0) marks
 * itself {@link #scripted}; once a checkpoint taken after it has completed, the test's flag {@link #checkpointed()}
 * is set, so that the first attempt can write what the failure must leave behind and then fail. A restored attempt
 * starts {@link #scripted}: what it reads was sent before the checkpoint it restored.
 */
abstract class ScriptedFailure<OUT> implements FlatMapFunction<Long, OUT>, CheckpointedFunction, CheckpointListener {
    /** Whether the script's first part has been sent (by this attempt or, restored, by the one before). */
    protected transient boolean scripted;
    private transient long checkpointAfterScript;

    /** The test's flag (a static: functions are serialized), set once a checkpoint after the first part completed. */
    protected abstract AtomicBoolean checkpointed();

    @Override
    public void snapshotState(FunctionSnapshotContext context) {
        if (scripted && checkpointAfterScript < 0) {
            checkpointAfterScript = context.getCheckpointId();
        }
    }

    @Override
    public void initializeState(FunctionInitializationContext context) {
        scripted = context.isRestored();
        checkpointAfterScript = -1;
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) {
        if (checkpointAfterScript >= 0 && checkpointId >= checkpointAfterScript) {
            checkpointed().set(true);
        }
    }
}

package vn.onestop.monitor.local;

import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.onestop.monitor.MonitorConfig;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code make replay}'s progress line reads the job's accumulators while it runs. Task managers report them to the
 * job master only with their heartbeats, every 10 s by Flink's default, so a replay shorter than that showed
 * "0 of N records processed" until it was done (issue 14). The local MiniCluster must report them within a second.
 */
class LocalJobProgressTest {
    private static final int RECORDS = 120;
    private static final long MILLIS_PER_RECORD = 50;

    @TempDir
    Path dir;

    @Test
    void accumulatorsMoveWhileTheJobRuns() throws Exception {
        MonitorConfig cfg = MonitorConfig.from(new String[] {"--data-dir=" + dir, "--parallelism=1", "--checkpoint-interval=PT0S"}, Map.of());
        StreamExecutionEnvironment env = LocalJob.environment(cfg);
        env.fromSequence(1, RECORDS).map(new SlowCount()).sinkTo(new DiscardingSink<>());
        JobClient client = env.executeAsync("progress");

        // About 6 s of work: a report every 10 s would show nothing between the first and the last record.
        long seenWhileRunning = 0;
        while (!client.getJobExecutionResult().isDone()) {
            Thread.sleep(200);
            Object n = client.getAccumulators().get().get("read");
            if (n instanceof Long v && v > 0 && v < RECORDS && !client.getJobExecutionResult().isDone()) {
                seenWhileRunning = Math.max(seenWhileRunning, v);
            }
        }
        assertThat(client.getJobExecutionResult().get().<Long>getAccumulatorResult("read")).isEqualTo(RECORDS);
        assertThat(seenWhileRunning).as("records counted so far, seen before the job finished").isPositive();
    }

    static final class SlowCount extends RichMapFunction<Long, Long> {
        private transient LongCounter read;

        @Override
        public void open(OpenContext context) {
            read = getRuntimeContext().getLongCounter("read");
        }

        @Override
        public Long map(Long value) throws Exception {
            Thread.sleep(MILLIS_PER_RECORD);
            read.add(1);
            return value;
        }
    }
}

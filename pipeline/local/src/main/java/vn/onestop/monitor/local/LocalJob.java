package vn.onestop.monitor.local;

import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.HeartbeatManagerOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import vn.onestop.monitor.MonitorConfig;
import vn.onestop.monitor.MonitorJob;
import vn.onestop.monitor.KafkaSources;
import vn.onestop.monitor.reference.JobReference;
import vn.onestop.monitor.sink.Database;
import vn.onestop.monitor.PostgresSinks;

/** The monitor job on a Flink MiniCluster inside this JVM, against the services of a {@link LocalStack}. */
public final class LocalJob {
    private LocalJob() {}

    public static StreamExecutionEnvironment environment(MonitorConfig cfg) {
        Configuration conf = new Configuration();
        conf.set(TaskManagerOptions.NUM_TASK_SLOTS, cfg.parallelism());
        // State backend: Flink's default (hashmap) unless STATE_BACKEND says otherwise (MonitorJob.configure).
        // Task managers report accumulators (records read, dead letters) only with their heartbeats, by default every
        // 10 s: make replay's progress line stayed at 0 for any replay shorter than that. In one JVM a heartbeat a
        // second costs nothing.
        conf.set(HeartbeatManagerOptions.HEARTBEAT_INTERVAL, java.time.Duration.ofSeconds(1));
        conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, cfg.dataDir().resolve("checkpoints").toUri().toString());
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(cfg.parallelism(), conf);
        MonitorJob.configure(env, cfg);
        return env;
    }

    /** Starts the job reading Kafka; {@code bounded} stops it once it has read what the topics held at start. */
    public static JobClient start(MonitorConfig cfg, boolean bounded, String name) throws Exception {
        Database db = new Database(cfg.jdbcUrl(), cfg.jdbcUser(), cfg.jdbcPassword());
        StreamExecutionEnvironment env = environment(cfg);
        MonitorJob.build(env, cfg, new KafkaSources(cfg, bounded), new PostgresSinks(db, cfg), JobReference.load(db));
        return env.executeAsync(name);
    }
}

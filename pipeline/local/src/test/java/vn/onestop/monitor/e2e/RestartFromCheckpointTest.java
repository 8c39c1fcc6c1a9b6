package vn.onestop.monitor.e2e;

import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import vn.onestop.monitor.MonitorConfig;
import vn.onestop.monitor.MonitorJob;
import vn.onestop.monitor.MonitorSources;
import vn.onestop.monitor.KafkaSources;
import vn.onestop.monitor.ingest.RawRecord;
import vn.onestop.monitor.local.LocalStack;
import vn.onestop.monitor.local.NdjsonPublisher;
import vn.onestop.monitor.reference.JobReference;
import vn.onestop.monitor.sim.SimRecord;
import vn.onestop.monitor.sim.SimulationSettings;
import vn.onestop.monitor.sim.Simulator;
import vn.onestop.monitor.PostgresSinks;
import vn.onestop.monitor.recount.Recount;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The job fails mid-stream (after a checkpoint has completed) and Flink restores it from that checkpoint: the
 * counts must still equal the independent recomputation and the alerts must equal those of a run that never
 * failed — nothing lost, nothing counted or alerted twice.
 */
class RestartFromCheckpointTest {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(4).build());

    static final AtomicBoolean FAILED = new AtomicBoolean();
    static final AtomicLong SEEN = new AtomicLong();
    static final AtomicBoolean CHECKPOINTED = new AtomicBoolean();

    @TempDir
    Path dir;

    /** Throws once, after a checkpoint has completed and enough records have passed. */
    static final class FailOnce implements MapFunction<RawRecord, RawRecord>, CheckpointListener {
        private final long after;

        FailOnce(long after) {
            this.after = after;
        }

        @Override
        public RawRecord map(RawRecord r) throws InterruptedException {
            long seen = SEEN.incrementAndGet();
            if (!CHECKPOINTED.get()) {
                // Hold the input back (a record at a time, so barriers still pass) until a checkpoint has completed:
                // on a fast machine the whole input could otherwise be read before the first one.
                Thread.sleep(1);
            } else if (seen >= after && FAILED.compareAndSet(false, true)) {
                throw new IllegalStateException("injected failure after " + seen + " records");
            }
            return r;
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) {
            CHECKPOINTED.set(true);
        }
    }

    /** Kafka, with the failure injected right after the source. */
    record FailingSources(KafkaSources kafka, long after) implements MonitorSources {
        @Override
        public DataStream<RawRecord> dossierRecords(StreamExecutionEnvironment env) {
            return kafka.dossierRecords(env).map(new FailOnce(after)).name("inject failure");
        }

        @Override
        public DataStream<RawRecord> feedbackRecords(StreamExecutionEnvironment env) {
            return kafka.feedbackRecords(env);
        }

        @Override
        public boolean bounded() {
            return true;
        }
    }

    @Test
    void aFailureRestoredFromTheLastCheckpointLosesNothingAndDoublesNothing() throws Exception {
        try (LocalStack stack = LocalStack.start(MonitorConfig.from(new String[] {
                "--data-dir=" + dir.resolve("data"), "--parallelism=2", "--checkpoint-interval=PT0.3S"}, Map.of()))) {
            MonitorConfig cfg = stack.config();
            Simulator sim = Simulator.forDefaultDistrict(SimulationSettings.defaults(11, Instant.parse("2024-05-20T00:00:00Z"))
                    .withDossiersPerUnitPerDay(20).withDelivery(0.02, 0.05, 0.005));
            Path dossiers = dir.resolve("dossiers.ndjson");
            Path feedback = dir.resolve("feedback.ndjson");
            Recount fold = new Recount();
            long lines = 0;
            try (OutputStream d = Files.newOutputStream(dossiers); OutputStream f = Files.newOutputStream(feedback)) {
                for (SimRecord r : (Iterable<SimRecord>) sim.stream(Instant.parse("2024-06-10T00:00:00Z"))::iterator) {
                    boolean isDossier = r.topic().equals(SimRecord.DOSSIER_EVENTS);
                    (isDossier ? d : f).write(r.payload());
                    (isDossier ? d : f).write('\n');
                    lines += isDossier ? 1 : 0;
                    if (r.kind() != SimRecord.Kind.MALFORMED) {
                        if (isDossier) {
                            fold.dossierLine(r.payload());
                        } else {
                            fold.feedbackLine(r.payload());
                        }
                    }
                }
            }
            Map<String, List<Long>> expected = fold.daily();
            NdjsonPublisher.publish(cfg.bootstrapServers(), cfg.dossierTopic(), dossiers, "dossierId", null);
            NdjsonPublisher.publish(cfg.bootstrapServers(), cfg.feedbackTopic(), feedback, "feedbackId", null);

            run(stack, new FailingSources(new KafkaSources(cfg, true), lines / 2));
            assertThat(FAILED).as("the failure was injected after a completed checkpoint").isTrue();
            Map<String, List<Long>> countsAfterFailure = PipelineEndToEndTestSupport.daily(stack);
            List<String> alertsAfterFailure = alerts(stack);

            truncateResults(stack);
            run(stack, new KafkaSources(cfg, true));

            assertThat(countsAfterFailure).isEqualTo(expected);
            assertThat(PipelineEndToEndTestSupport.daily(stack)).isEqualTo(countsAfterFailure);
            assertThat(alertsAfterFailure).isNotEmpty().isEqualTo(alerts(stack));
        }
    }

    private static void run(LocalStack stack, MonitorSources sources) throws Exception {
        Configuration conf = new Configuration();
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 3);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(500));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        MonitorJob.configure(env, stack.config());
        MonitorJob.build(env, stack.config(), sources, new PostgresSinks(stack.job(), stack.config()), JobReference.load(stack.job()));
        env.execute("restart");
    }

    private static void truncateResults(LocalStack stack) throws Exception {
        try (Connection c = stack.admin().connect(); Statement s = c.createStatement()) {
            s.execute("TRUNCATE kpi_hourly, dossier, dead_letter, dead_letter_occurrence, sla_alert");
        }
    }

    private static List<String> alerts(LocalStack stack) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection c = stack.admin().connect(); ResultSet rs = c.createStatement().executeQuery(
                "SELECT id, opened_at, closed_at, value, details::text FROM sla_alert ORDER BY id")) {
            while (rs.next()) {
                rows.add(rs.getString(1) + " " + rs.getString(2) + " " + rs.getString(3) + " " + rs.getString(4) + " " + rs.getString(5));
            }
        }
        return rows;
    }
}

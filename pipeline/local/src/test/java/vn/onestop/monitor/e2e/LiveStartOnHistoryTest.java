package vn.onestop.monitor.e2e;

import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import vn.onestop.monitor.MonitorConfig;
import vn.onestop.monitor.MonitorJob;
import vn.onestop.monitor.KafkaSources;
import vn.onestop.monitor.local.LocalStack;
import vn.onestop.monitor.reference.JobReference;
import vn.onestop.monitor.sim.SimRecord;
import vn.onestop.monitor.sim.SimulationSettings;
import vn.onestop.monitor.sim.Simulator;
import vn.onestop.monitor.PostgresSinks;
import vn.onestop.monitor.recount.Recount;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A fresh live (unbounded) deployment on topics that already hold 90 days of history, as a province's topics would
 * when the monitor is installed: each record carries the time its office system sent it. The job's first records are
 * held back for {@value #HELD_BACK_MS} ms, three times SOURCE_IDLENESS: the history is written in one Kafka
 * transaction that commits only that long after the job started, and the job reads committed records only (a slow
 * broker or first fetch, as seen from the job). The whole history must still be counted — every unit-day equals the
 * independent recomputation — and no record may be TOO_LATE: event time must not jump to the wall clock while the
 * source has not yet read the past.
 */
class LiveStartOnHistoryTest {
    private static final int HELD_BACK_MS = 6_000;

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    @TempDir
    Path dir;

    @Test
    void aLiveJobOnNinetyDaysOfHistoryCountsAllOfItWhateverTheFirstFetchTakes() throws Exception {
        try (LocalStack stack = LocalStack.start(MonitorConfig.from(new String[] {"--data-dir=" + dir, "--parallelism=2"}, Map.of()))) {
            MonitorConfig cfg = stack.config();
            assertThat(cfg.sourceIdleness().multipliedBy(3)).isLessThanOrEqualTo(Duration.ofMillis(HELD_BACK_MS));

            // 90 days up to a minute ago, sent (and stamped by the producer) when the office systems sent them.
            Instant until = Instant.now().minus(1, ChronoUnit.MINUTES);
            Instant start = until.minus(90, ChronoUnit.DAYS).truncatedTo(ChronoUnit.DAYS);
            Simulator sim = Simulator.forDefaultDistrict(SimulationSettings.defaults(90, start)
                    .withDossiersPerUnitPerDay(3).withDelivery(0.03, 0.08, 0.01));
            Recount fold = new Recount();
            long records = 0;
            long oldest = Long.MAX_VALUE;
            KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(Map.of("bootstrap.servers", cfg.bootstrapServers(), "linger.ms", "20",
                    "transactional.id", "history-" + System.nanoTime()), new ByteArraySerializer(), new ByteArraySerializer());
            p.initTransactions();
            p.beginTransaction();
            for (SimRecord r : (Iterable<SimRecord>) sim.stream(until)::iterator) {
                p.send(new ProducerRecord<>(r.topic(), null, r.sendAt(), r.keyBytes(), r.payload()));
                records++;
                oldest = Math.min(oldest, r.sendAt());
                if (r.kind() != SimRecord.Kind.MALFORMED) {
                    if (r.topic().equals(SimRecord.DOSSIER_EVENTS)) {
                        fold.dossierLine(r.payload());
                    } else {
                        fold.feedbackLine(r.payload());
                    }
                }
            }
            p.flush();
            Map<String, List<Long>> expected = fold.daily();
            assertThat(Duration.ofMillis(until.toEpochMilli() - oldest)).as("history older than the 30-day lateness horizon")
                    .isGreaterThan(cfg.latenessHorizon().multipliedBy(2));

            Properties committedOnly = new Properties();
            committedOnly.setProperty("isolation.level", "read_committed");
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
            MonitorJob.configure(env, cfg);
            MonitorJob.build(env, cfg, new KafkaSources(cfg, false, committedOnly), new PostgresSinks(stack.job(), cfg), JobReference.load(stack.job()));
            JobClient job = env.executeAsync("live on history");
            Thread.sleep(HELD_BACK_MS);
            p.commitTransaction();
            p.close();
            try {
                // A live job never finishes: wait until the counts agree, or the bound passes (generous: on a loaded 2-core
                // machine catching up took 4+ minutes; on a quiet one about 30 s).
                Instant bound = Instant.now().plus(Duration.ofMinutes(Integer.getInteger("liveStartMinutes", 8)));
                Map<String, List<Long>> seen = Map.of();
                while (Instant.now().isBefore(bound) && !(seen = PipelineEndToEndTestSupport.daily(stack)).equals(expected)) {
                    Thread.sleep(1_000);
                }
                System.out.printf("live start on %,d records of 90 days: %d of %d unit-days as recomputed, %d TOO_LATE%n",
                        records, seen.entrySet().stream().filter(e -> e.getValue().equals(expected.get(e.getKey()))).count(),
                        expected.size(), tooLate(stack));
                Map<String, List<Long>> got = seen;
                expected.keySet().stream().filter(k -> !expected.get(k).equals(got.get(k))).limit(15)
                        .forEach(k -> System.out.println("differs " + k + ": expected " + expected.get(k) + " got " + got.get(k)));
                assertThat(tooLate(stack)).as("TOO_LATE dead letters").isZero();
                assertThat(seen).isEqualTo(expected);
            } finally {
                job.cancel().get();
            }
        }
    }

    private static long tooLate(LocalStack stack) throws Exception {
        try (Connection c = stack.admin().connect();
             ResultSet rs = c.createStatement().executeQuery("SELECT coalesce(sum(occurrences), 0) FROM dead_letter WHERE reason = 'TOO_LATE'")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}

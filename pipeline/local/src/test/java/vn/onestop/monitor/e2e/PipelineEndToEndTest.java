package vn.onestop.monitor.e2e;

import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import vn.onestop.monitor.MonitorConfig;
import vn.onestop.monitor.MonitorJob;
import vn.onestop.monitor.KafkaSources;
import vn.onestop.monitor.local.LocalStack;
import vn.onestop.monitor.local.NdjsonPublisher;
import vn.onestop.monitor.reference.JobReference;
import vn.onestop.monitor.sim.SimRecord;
import vn.onestop.monitor.sim.SimulationSettings;
import vn.onestop.monitor.sim.Simulator;
import vn.onestop.monitor.PostgresSinks;
import vn.onestop.monitor.recount.Recount;

import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole job on real Kafka and real PostgreSQL, on a MiniCluster at parallelism 2, over simulated history with
 * duplicates, out-of-order and late batches and malformed lines: the daily KPIs must equal an independent
 * recomputation from the raw lines, every malformed line must be in dead_letter, and a second replay of the same
 * files must leave every count unchanged.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PipelineEndToEndTest {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(2).setNumberSlotsPerTaskManager(2).build());

    @TempDir
    static Path dir;
    static LocalStack stack;
    static MonitorConfig cfg;
    static Path dossiers;
    static Path feedback;
    static final List<byte[]> malformed = new ArrayList<>();
    static Map<String, List<Long>> expected;
    static long dossierLines;

    @BeforeAll
    static void startAndGenerate() throws Exception {
        stack = LocalStack.start(MonitorConfig.from(new String[] {
                "--data-dir=" + dir.resolve("data"), "--parallelism=2", "--checkpoint-interval=PT1S"}, Map.of()));
        cfg = stack.config();

        SimulationSettings settings = SimulationSettings.defaults(7, Instant.parse("2024-02-26T00:00:00Z"))
                .withDossiersPerUnitPerDay(12)
                .withDelivery(0.03, 0.08, 0.01);
        Simulator sim = Simulator.forDefaultDistrict(settings);
        dossiers = dir.resolve("dossiers.ndjson");
        feedback = dir.resolve("feedback.ndjson");
        Recount fold = new Recount();
        try (OutputStream d = Files.newOutputStream(dossiers); OutputStream f = Files.newOutputStream(feedback)) {
            for (SimRecord r : (Iterable<SimRecord>) sim.stream(Instant.parse("2024-04-05T00:00:00Z"))::iterator) {
                boolean isDossier = r.topic().equals(SimRecord.DOSSIER_EVENTS);
                (isDossier ? d : f).write(r.payload());
                (isDossier ? d : f).write('\n');
                if (isDossier) {
                    dossierLines++;
                }
                if (r.kind() == SimRecord.Kind.MALFORMED) {
                    malformed.add(r.payload());
                } else if (isDossier) {
                    fold.dossierLine(r.payload());
                } else {
                    fold.feedbackLine(r.payload());
                }
            }
        }
        expected = fold.daily();
        assertThat(malformed).as("the dataset must contain malformed lines").hasSizeGreaterThan(10);
        assertThat(dossierLines).as("a dataset big enough to matter").isGreaterThan(20_000);
    }

    @AfterAll
    static void stop() throws Exception {
        if (stack != null) {
            stack.close();
        }
    }

    private static JobExecutionResult publishAndRun() throws Exception {
        NdjsonPublisher.publish(cfg.bootstrapServers(), cfg.dossierTopic(), dossiers, "dossierId", null);
        NdjsonPublisher.publish(cfg.bootstrapServers(), cfg.feedbackTopic(), feedback, "feedbackId", null);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        MonitorJob.configure(env, cfg);
        MonitorJob.build(env, cfg, new KafkaSources(cfg, true), new PostgresSinks(stack.job(), cfg), JobReference.load(stack.job()));
        return env.execute("e2e");
    }

    @Test
    @Order(1)
    void dailyKpisEqualTheIndependentRecomputationAndEveryMalformedLineIsADeadLetter() throws Exception {
        JobExecutionResult result = publishAndRun();

        assertThat(PipelineEndToEndTestSupport.daily(stack)).isEqualTo(expected);

        Map<ByteBuffer, Integer> deadPayloads = new HashMap<>();
        try (Connection c = stack.admin().connect();
             ResultSet rs = c.createStatement().executeQuery("SELECT payload, reason, detail, occurrences FROM dead_letter")) {
            while (rs.next()) {
                // A malformed line that occurs twice in the file is one row read twice.
                deadPayloads.merge(ByteBuffer.wrap(rs.getBytes(1)), rs.getInt(4), Integer::sum);
                assertThat(rs.getString(2)).isNotBlank();
                assertThat(rs.getString(3)).isNotBlank();
            }
        }
        Map<ByteBuffer, Integer> malformedPayloads = new HashMap<>();
        malformed.forEach(p -> malformedPayloads.merge(ByteBuffer.wrap(p), 1, Integer::sum));
        assertThat(deadPayloads).isEqualTo(malformedPayloads);

        long read = (Long) result.getAccumulatorResult("dossier-events.read") + (Long) result.getAccumulatorResult("qr-feedback.read");
        assertThat(read).isEqualTo(Files.readAllLines(dossiers).size() + Files.readAllLines(feedback).size());
        assertThat((Long) result.getAccumulatorResult("dossier-events.duplicates")).isPositive();

        // The reconciliation accounts for every record read, day by day.
        try (Connection c = stack.reader().connect(); ResultSet rs = c.createStatement().executeQuery(
                "SELECT topic, sum(read), sum(accepted), sum(duplicates), sum(dead_letters), count(*) FILTER (WHERE unaccounted <> 0) "
                        + "FROM ingest_reconciliation GROUP BY topic ORDER BY topic")) {
            Map<String, long[]> byTopic = new TreeMap<>();
            while (rs.next()) {
                byTopic.put(rs.getString(1), new long[] {rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5), rs.getLong(6)});
            }
            assertThat(byTopic.get("dossier-events")[0]).isEqualTo(Files.readAllLines(dossiers).size());
            assertThat(byTopic.get("qr-feedback")[0]).isEqualTo(Files.readAllLines(feedback).size());
            assertThat(byTopic.get("dossier-events")[4] + byTopic.get("qr-feedback")[4]).as("days that do not balance").isZero();
            assertThat(byTopic.get("dossier-events")[3] + byTopic.get("qr-feedback")[3]).isEqualTo(malformed.size());
        }
    }

    static List<String> alertsFromDatabase() throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection c = stack.reader().connect();
             ResultSet rs = c.createStatement().executeQuery(
                     "SELECT id, kind, unit_code, dossier_id, kpi, value, target, opened_at, closed_at, details::text FROM sla_alert ORDER BY id")) {
            while (rs.next()) {
                StringBuilder b = new StringBuilder();
                for (int i = 1; i <= 10; i++) {
                    b.append(rs.getString(i)).append(' ');
                }
                rows.add(b.toString());
            }
        }
        return rows;
    }

    @Test
    @Order(2)
    void everyDossierStillOpenPastItsDueTimeHasItsOverdueAlert() throws Exception {
        try (Connection c = stack.reader().connect(); ResultSet rs = c.createStatement().executeQuery("""
                SELECT count(*) FILTER (WHERE a.id IS NULL), count(*)
                FROM dossier d LEFT JOIN sla_alert a ON a.kind = 'DOSSIER_OVERDUE' AND a.dossier_id = d.dossier_id AND a.closed_at IS NULL
                WHERE d.status = 'OPEN' AND d.effective_due_at < now()""")) {
            rs.next();
            assertThat(rs.getLong(2)).as("the simulated history has abandoned dossiers").isPositive();
            assertThat(rs.getLong(1)).as("open overdue dossiers without an open DOSSIER_OVERDUE alert").isZero();
        }
        try (Connection c = stack.reader().connect(); ResultSet rs = c.createStatement().executeQuery("""
                SELECT count(*) FROM sla_alert a JOIN dossier d ON d.dossier_id = a.dossier_id
                WHERE a.kind = 'DOSSIER_OVERDUE' AND (a.opened_at <> d.effective_due_at OR d.ended_at <= d.effective_due_at)""")) {
            rs.next();
            assertThat(rs.getLong(1)).as("overdue alerts must open at the effective due time of a dossier that ran past it").isZero();
        }
    }

    @Test
    @Order(3)
    void replayingTheSameFilesAgainLeavesEveryCountAndAlertUnchanged() throws Exception {
        Map<String, List<Long>> before = PipelineEndToEndTestSupport.daily(stack);
        List<String> alertsBefore = alertsFromDatabase();
        Map<String, Integer> deadBefore = deadLetterOccurrences();
        assertThat(deadBefore.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(malformed.size());
        assertThat(alertsBefore).isNotEmpty();
        publishAndRun();
        assertThat(PipelineEndToEndTestSupport.daily(stack)).isEqualTo(before).isEqualTo(expected);
        assertThat(alertsFromDatabase()).isEqualTo(alertsBefore);
        // The second copies are new records at new offsets: each bad record is still one row, read once more.
        Map<String, Integer> doubled = new TreeMap<>();
        deadBefore.forEach((record, n) -> doubled.put(record, 2 * n));
        assertThat(deadLetterOccurrences()).isEqualTo(doubled);
    }

    /** Each dead_letter row (by id: a second row for the same record would show) with its occurrence count. */
    private static Map<String, Integer> deadLetterOccurrences() throws Exception {
        Map<String, Integer> out = new TreeMap<>();
        try (Connection c = stack.admin().connect();
             ResultSet rs = c.createStatement().executeQuery("SELECT id, occurrences FROM dead_letter")) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getInt(2));
            }
        }
        return out;
    }
}

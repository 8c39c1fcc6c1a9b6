package vn.onestop.monitor.e2e;

import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import vn.onestop.monitor.MonitorConfig;
import vn.onestop.monitor.KafkaSources;
import vn.onestop.monitor.MonitorJob;
import vn.onestop.monitor.PostgresSinks;
import vn.onestop.monitor.local.LocalStack;
import vn.onestop.monitor.local.NdjsonPublisher;
import vn.onestop.monitor.recount.NationalIndexRecount;
import vn.onestop.monitor.reference.JobReference;
import vn.onestop.monitor.reference.ReferenceData;
import vn.onestop.monitor.sim.SimRecord;
import vn.onestop.monitor.sim.SimulationSettings;
import vn.onestop.monitor.sim.Simulator;

import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 16's must-show: a simulated month (every new event fact, duplicates, late batches, linked ratings) through
 * the whole job on real Kafka, PostgreSQL and a MiniCluster; {@code unit_index_766} and {@code unit_index_766_total},
 * read as Grafana's login, must equal {@link NationalIndexRecount}'s recomputation from the raw lines (test-support),
 * written from docs/INDEX766.md alone: it shares no code with the production packages or the SQL views; the only
 * shared inputs are data (units.csv, procedures.csv, unit_procedures.csv).
 */
class NationalIndexEndToEndTest {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    @TempDir
    static Path dir;
    static LocalStack stack;

    @BeforeAll
    static void start() throws Exception {
        stack = LocalStack.start(MonitorConfig.from(new String[] {"--data-dir=" + dir.resolve("data"), "--parallelism=2"}, Map.of()));
    }

    @AfterAll
    static void stop() throws Exception {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void unitIndex766EqualsAnIndependentRecomputationOverASimulatedMonth() throws Exception {
        // March 2024 in local time; the feed stops at the month's end, so dossiers still open then stay open.
        Simulator sim = Simulator.forDefaultDistrict(SimulationSettings.defaults(16, Instant.parse("2024-02-29T17:00:00Z"))
                .withDossiersPerUnitPerDay(6).withDelivery(0.03, 0.05, 0.0));
        Path dossiers = dir.resolve("dossiers.ndjson");
        Path feedback = dir.resolve("feedback.ndjson");
        NationalIndexRecount recompute = new NationalIndexRecount();
        try (OutputStream d = Files.newOutputStream(dossiers); OutputStream f = Files.newOutputStream(feedback)) {
            for (SimRecord r : (Iterable<SimRecord>) sim.stream(Instant.parse("2024-03-31T17:00:00Z"))::iterator) {
                boolean isDossier = r.topic().equals(SimRecord.DOSSIER_EVENTS);
                (isDossier ? d : f).write(r.payload());
                (isDossier ? d : f).write('\n');
                if (isDossier) {
                    recompute.dossierLine(r.payload());
                } else {
                    recompute.feedbackLine(r.payload());
                }
            }
        }
        MonitorConfig cfg = stack.config();
        NdjsonPublisher.publish(cfg.bootstrapServers(), cfg.dossierTopic(), dossiers, "dossierId", null);
        NdjsonPublisher.publish(cfg.bootstrapServers(), cfg.feedbackTopic(), feedback, "feedbackId", null);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        MonitorJob.configure(env, cfg);
        MonitorJob.build(env, cfg, new KafkaSources(cfg, true), new PostgresSinks(stack.job(), cfg), JobReference.load(stack.job()));
        env.execute("national index e2e");

        // Data, not code: the shipped units.csv (dated parents), procedures.csv and unit_procedures.csv.
        NationalIndexRecount.Registry units = NationalIndexRecount.Registry.read(reference("units.csv"));
        Map<String, String> expected = recompute.indicators(units, NationalIndexRecount.procedureFlags(reference("procedures.csv")),
                NationalIndexRecount.catalogue(reference("unit_procedures.csv")));
        Map<String, String> actual = new TreeMap<>();
        Map<String, String> totals = new TreeMap<>();
        try (Connection c = stack.reader().connect()) {
            try (ResultSet rs = c.createStatement().executeQuery(
                    "SELECT unit_code, period_type, period, indicator, value, points, max_points FROM unit_index_766")) {
                while (rs.next()) {
                    actual.put(rs.getString(1) + "|" + rs.getString(2) + "|" + rs.getString(3) + "|" + rs.getString(4),
                            rs.getBigDecimal(5) + "|" + rs.getBigDecimal(6) + "|" + rs.getBigDecimal(7));
                }
            }
            try (ResultSet rs = c.createStatement().executeQuery(
                    "SELECT unit_code, period_type, period, points, max_points FROM unit_index_766_total")) {
                while (rs.next()) {
                    totals.put(rs.getString(1) + "|" + rs.getString(2) + "|" + rs.getString(3), rs.getBigDecimal(4) + "|" + rs.getBigDecimal(5));
                }
            }
        }
        assertThat(actual).isEqualTo(expected);
        assertThat(totals).isEqualTo(NationalIndexRecount.totals(expected));

        // The month must exercise what it claims to: every indicator with a non-trivial ratio somewhere, the district
        // row present, and all three period types.
        assertThat(expected.keySet()).anyMatch(k -> k.endsWith("|MONTH|2024-03|2.1"))
                .anyMatch(k -> k.contains("|QUARTER|2024-Q1|")).anyMatch(k -> k.contains("|YEAR|2024|"));
        for (String indicator : List.of("1.4", "2.1", "3.1", "3.2", "3.3", "3.6", "4.1", "4.2", "4.3", "4.4", "4.5.1", "5.4")) {
            assertThat(expected.entrySet()).as(indicator).anyMatch(e -> e.getKey().endsWith("|" + indicator)
                    && e.getValue().split("\\|")[0].compareTo("0") != 0 && !e.getValue().startsWith("1.0000") && !e.getValue().startsWith("null"));
        }
        // 3.5.1, 3.5.2 and 4.5.2 are at or near 100% for a busy commune (its few fee and citizen procedures all see
        // such a dossier in a month), so they must only be computed with something in both parts somewhere.
        for (String indicator : List.of("3.5.1", "3.5.2", "4.5.2")) {
            assertThat(expected.entrySet()).as(indicator).anyMatch(e -> e.getKey().endsWith("|" + indicator)
                    && !e.getValue().startsWith("null") && new BigDecimal(e.getValue().split("\\|")[0]).signum() > 0);
        }
        assertThat(totals.get("300|MONTH|2024-03")).as("the district has a catalogue: 74 points computable").endsWith("|74.00");
        assertThat(recompute.dissatisfiedInTime).as("5.4 must see in-time dossiers with a negative rating").isPositive();

        // A unit whose subtree has no catalogue row has no catalogue indicators (left out, not 0): 62 points at most.
        try (Connection c = stack.admin().connect()) {
            c.createStatement().execute("DELETE FROM unit_procedure WHERE unit_code = '11248'");
        }
        try (Connection c = stack.reader().connect(); ResultSet rs = c.createStatement().executeQuery(
                "SELECT count(*), sum(max_points) FROM unit_index_766 WHERE unit_code = '11248' AND period_type = 'MONTH' AND period = '2024-03'")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(10);
            assertThat(rs.getBigDecimal(2)).isEqualByComparingTo("62");
        }
        assertThat(recompute.lateWaiting + recompute.judgedAtRequest).as("the supplement rules of 2.1 must be exercised").isPositive();
    }

    /**
     * UNIT_PROCEDURES=: an operator's catalogue replaces the default one as a whole; a broken one is refused with its
     * file and line and leaves the tables as they were (one transaction).
     */
    @Test
    void anOperatorsCatalogueReplacesTheDefaultAndABrokenOneChangesNothing() throws Exception {
        Path good = dir.resolve("unit_procedures.csv");
        Files.writeString(good, "unit_code,procedure_code,online_service\n11248,1.001193,FULL\n11248,2.000884,NONE\n");
        Path bad = dir.resolve("unit_procedures-bad.csv");
        Files.writeString(bad, "unit_code,procedure_code,online_service\n11248,1.001193,FULL\n11248,1.000894,FULL\n");
        try {
            assertThat(ReferenceData.load(stack.admin(), null, null, null, null, null, null, good).unitProcedures()).isEqualTo(2);
            assertThat(catalogueRows()).containsExactly("11248 1.001193 FULL", "11248 2.000884 NONE");
            assertThatThrownBy(() -> ReferenceData.load(stack.admin(), null, null, null, null, null, null, bad))
                    .hasMessage(bad + " line 3: online_service FULL for procedure '1.000894', which procedures.csv marks full_online_eligible=false");
            assertThat(catalogueRows()).containsExactly("11248 1.001193 FULL", "11248 2.000884 NONE");
        } finally {
            ReferenceData.load(stack.admin(), null, null, null, null, null, null);
        }
        assertThat(catalogueRows()).hasSize(153);
    }

    private static List<String> catalogueRows() throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection c = stack.admin().connect(); ResultSet rs = c.createStatement().executeQuery(
                "SELECT unit_code, procedure_code, online_service FROM unit_procedure ORDER BY 1, 2")) {
            while (rs.next()) {
                rows.add(rs.getString(1) + " " + rs.getString(2) + " " + rs.getString(3));
            }
        }
        return rows;
    }

    private static java.io.InputStream reference(String name) {
        return NationalIndexEndToEndTest.class.getResourceAsStream("/reference/" + name);
    }
}

package vn.onestop.monitor.units;

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
import vn.onestop.monitor.recount.Recount;
import vn.onestop.monitor.recount.UnitCalendar;
import vn.onestop.monitor.reference.JobReference;
import vn.onestop.monitor.sim.SimRecord;
import vn.onestop.monitor.sim.SimulationSettings;
import vn.onestop.monitor.sim.Simulator;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Issue 15's must-show: the job on a MiniCluster with the real Kafka broker and PostgreSQL replays 2025-05-01 …
 * 2025-08-31 of simulated Thanh Miện across the reorganisation of 1 July 2025 (17 communes until 30 June, 5 from
 * 1 July; the simulator's June dossiers end in July, naming the commune that received them). The registry is the
 * default one with one change, so that a predecessor is split: Xã Cao Thắng (11278) goes 0.6 to Xã Thanh Miện
 * (11239) and 0.4 to Xã Bắc Thanh Miện (11254) instead of wholly to Xã Thanh Miện. Receipts naming a commune on a day
 * it does not exist are added. Expectations come from pipeline/test-support (Recount, UnitCalendar), which shares no
 * code with the job.
 */
class ReorganisationEndToEndTest {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());
    static final ZoneId VN = ZoneId.of("Asia/Ho_Chi_Minh");

    @TempDir
    static Path dir;
    static LocalStack stack;
    static Recount fold;
    static UnitCalendar calendar;

    /**
     * Receipts of communes on days they do not exist (10 minutes into 1 July, local, and in August), and one 10 minutes
     * before the end of Cao Thắng's last day. In time order: each is sent when the stream reaches its time.
     */
    static final List<String> INJECTED = List.of(
            receipt("ok-1", "11278", "2025-06-30T23:50:00+07:00"),
            receipt("nv-1", "11278", "2025-07-01T00:10:00+07:00"),
            receipt("nv-2", "11281", "2025-08-12T09:00:00+07:00"));

    static String receipt(String id, String unit, String at) {
        return "{\"eventId\":\"" + id + "-r\",\"dossierId\":\"" + id + "\",\"type\":\"RECEIVED\",\"occurredAt\":\"" + at
                + "\",\"unitCode\":\"" + unit + "\",\"procedureCode\":\"2.000815\",\"channel\":\"DIRECT\","
                + "\"dueAt\":\"2025-09-30T17:00:00+07:00\",\"digitised\":true}";
    }

    @BeforeAll
    static void replayFourMonths() throws Exception {
        Path units = dir.resolve("units.csv");
        Path succession = dir.resolve("unit_succession.csv");
        Files.writeString(units, resource("/reference/units.csv"));
        String split = resource("/reference/unit_succession.csv").replace("11278,11239,2025-07-01,1\n",
                "11278,11239,2025-07-01,0.6\n11278,11254,2025-07-01,0.4\n");
        assertThat(split).contains("11278,11254,2025-07-01,0.4");
        Files.writeString(succession, split);
        calendar = new UnitCalendar(units, succession);
        stack = LocalStack.start(MonitorConfig.from(new String[] {"--data-dir=" + dir.resolve("data"), "--parallelism=2",
                "--checkpoint-interval=PT1S", "--units=" + units, "--unit-succession=" + succession}, Map.of()));
        MonitorConfig cfg = stack.config();

        Instant start = LocalDate.of(2025, 5, 1).atStartOfDay(VN).toInstant();
        Instant end = LocalDate.of(2025, 9, 1).atStartOfDay(VN).toInstant();
        Simulator sim = Simulator.forDefaultDistrict(SimulationSettings.defaults(15, start));
        Path dossiers = dir.resolve("dossiers.ndjson");
        Path feedback = dir.resolve("feedback.ndjson");
        fold = new Recount(calendar);
        List<String> pending = new ArrayList<>(INJECTED);
        try (OutputStream d = Files.newOutputStream(dossiers); OutputStream f = Files.newOutputStream(feedback)) {
            for (SimRecord r : (Iterable<SimRecord>) sim.stream(end)::iterator) {
                // Each injected receipt goes in where the simulated stream reaches its time, as an office would send it.
                while (!pending.isEmpty() && r.sendAt() > occurredAt(pending.get(0))) {
                    byte[] line = pending.remove(0).getBytes(StandardCharsets.UTF_8);
                    d.write(line);
                    d.write('\n');
                    fold.dossierLine(line);
                }
                boolean isDossier = r.topic().equals(SimRecord.DOSSIER_EVENTS);
                (isDossier ? d : f).write(r.payload());
                (isDossier ? d : f).write('\n');
                if (r.kind() != SimRecord.Kind.MALFORMED) {
                    if (isDossier) {
                        fold.dossierLine(r.payload());
                    } else {
                        fold.feedbackLine(r.payload());
                    }
                }
            }
        }
        assertThat(pending).isEmpty();
        NdjsonPublisher.publish(cfg.bootstrapServers(), cfg.dossierTopic(), dossiers, "dossierId", null);
        NdjsonPublisher.publish(cfg.bootstrapServers(), cfg.feedbackTopic(), feedback, "feedbackId", null);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        MonitorJob.configure(env, cfg);
        MonitorJob.build(env, cfg, new KafkaSources(cfg, true), new PostgresSinks(stack.job(), cfg), JobReference.load(stack.job()));
        env.execute("reorganisation");
    }

    private static long occurredAt(String line) {
        return java.time.OffsetDateTime.parse(line.replaceAll(".*\"occurredAt\":\"([^\"]+)\".*", "$1")).toInstant().toEpochMilli();
    }

    private static String resource(String name) throws Exception {
        try (InputStream in = ReorganisationEndToEndTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void recordedCountsPerOldAndNewUnitEqualTheIndependentRecomputation() throws Exception {
        Map<String, List<Long>> expected = fold.daily();
        Map<String, List<Long>> actual;
        try (Connection c = stack.reader().connect()) {
            actual = Recount.fromDatabase(c);
        }
        assertThat(Recount.differences(expected, actual)).as(Recount.describeDifferences(actual, expected, 10)).isZero();
        // The history really spans the reorganisation: the old communes receive until 30 June, the new ones after,
        // and pre-merger dossiers of merged communes end in July and August, counted for the commune that received them.
        assertThat(expected.keySet()).anyMatch(k -> k.startsWith("11278|2025-06-"))
                .anyMatch(k -> k.startsWith("11254|2025-08-"))
                .anyMatch(k -> k.startsWith("11278|2025-07-") && expected.get(k).get(Recount.COLUMNS.indexOf("resolved")) > 0);
        assertThat(expected.keySet()).noneMatch(k -> k.startsWith("11278|2025-07-") && expected.get(k).get(0) > 0);
        // The receipt 10 minutes before midnight on 30 June counts for Cao Thắng on 30 June.
        assertThat(actual.get("11278|2025-06-30").get(0)).isPositive();
    }

    @Test
    void receiptsNamingAUnitNotValidOnTheirDayAreDeadLetters() throws Exception {
        assertThat(fold.notValidAt()).containsExactly("nv-1-r", "nv-2-r");
        List<String> dead = new ArrayList<>();
        try (Connection c = stack.admin().connect(); ResultSet rs = c.createStatement().executeQuery(
                "SELECT convert_from(payload, 'UTF8'), detail FROM dead_letter WHERE reason = 'UNIT_NOT_VALID_AT' ORDER BY detail")) {
            while (rs.next()) {
                dead.add(rs.getString(1).replaceAll(".*\"eventId\":\"([^\"]+)\".*", "$1") + " " + rs.getString(2));
            }
        }
        assertThat(dead).hasSize(2);
        assertThat(dead.get(0)).startsWith("nv-1-r unit '11278' is not valid on 2025-07-01");
        assertThat(dead.get(1)).startsWith("nv-2-r unit '11281' is not valid on 2025-08-12");
    }

    @Test
    void restatedSumsEqualTheRecomputationCarriedThroughTheSuccessions() throws Exception {
        LocalDate today = LocalDate.now(VN);
        Map<String, double[]> expected = new TreeMap<>();
        fold.daily().forEach((key, counts) -> {
            String unit = key.substring(0, key.indexOf('|'));
            LocalDate day = LocalDate.parse(key.substring(key.indexOf('|') + 1));
            calendar.carry(unit, day, today).forEach((to, w) -> {
                double[] row = expected.computeIfAbsent(to + "|" + day, k -> new double[Recount.COLUMNS.size()]);
                for (int i = 0; i < row.length; i++) {
                    row[i] += counts.get(i) * w;
                }
            });
        });
        Map<String, double[]> actual = new TreeMap<>();
        try (Connection c = stack.reader().connect(); ResultSet rs = c.createStatement().executeQuery(
                "SELECT unit_code, day, " + String.join(", ", Recount.COLUMNS) + " FROM unit_kpi_daily_restated")) {
            while (rs.next()) {
                double[] row = new double[Recount.COLUMNS.size()];
                for (int i = 0; i < row.length; i++) {
                    row[i] = rs.getBigDecimal(3 + i).doubleValue();
                }
                actual.put(rs.getString(1) + "|" + rs.getObject(2, LocalDate.class), row);
            }
        }
        assertThat(actual.keySet()).isEqualTo(expected.keySet());
        boolean fractional = false;
        for (Map.Entry<String, double[]> e : expected.entrySet()) {
            for (int i = 0; i < e.getValue().length; i++) {
                assertThat(actual.get(e.getKey())[i]).as(e.getKey() + " " + Recount.COLUMNS.get(i)).isCloseTo(e.getValue()[i], within(1e-9));
                fractional |= Math.abs(e.getValue()[i] - Math.rint(e.getValue()[i])) > 1e-6;
            }
        }
        assertThat(fractional).as("the split of Cao Thắng makes fractional restated counts").isTrue();
        // Only today's units have a restated history; and every recorded receipt of Thanh Miện lands in one of them.
        assertThat(actual.keySet().stream().map(k -> k.substring(0, k.indexOf('|'))).distinct().sorted().toList())
                .containsExactly("11239", "11242", "11254", "11257", "11284");
        double recorded = fold.daily().values().stream().mapToLong(v -> v.get(0)).sum();
        double restated = actual.values().stream().mapToDouble(v -> v[0]).sum();
        assertThat(restated).isCloseTo(recorded, within(1e-6));
    }
}

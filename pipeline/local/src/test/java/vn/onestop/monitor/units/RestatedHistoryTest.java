package vn.onestop.monitor.units;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import vn.onestop.monitor.MonitorConfig;
import vn.onestop.monitor.local.LocalStack;
import vn.onestop.monitor.reference.ReferenceData;
import vn.onestop.monitor.units.UnitRegistry;
import vn.onestop.monitor.units.UnitVersion;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The two readings of history (V8, docs/UNITS.md) in the real PostgreSQL of the local stack, migrated by the real
 * migrations: unit_kpi_daily_restated carries recorded counts into today's units through the successions, and
 * unit_kpi_daily_rollup rolls recorded counts up with the parent valid on the day. Recorded rows are written straight
 * into kpi_hourly (the job's table) so the expectations can be computed by hand.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RestatedHistoryTest {
    static final ZoneId VN = ZoneId.of("Asia/Ho_Chi_Minh");
    /** The columns of kpi_hourly that unit_kpi_daily sums one to one (ratings_satisfied is derived). */
    static final List<String> COLUMNS = List.of("received", "received_online", "received_digitised", "resolved",
            "resolved_early", "resolved_on_time", "resolved_late", "results_digitised", "ratings", "received_direct",
            "received_postal", "resolved_within_hour", "withdrawn", "rating_very_satisfied", "rating_satisfied",
            "rating_neutral", "rating_dissatisfied", "rating_very_dissatisfied");

    @TempDir
    static Path dir;
    static LocalStack stack;

    @BeforeAll
    static void start() throws Exception {
        stack = LocalStack.start(MonitorConfig.from(new String[] {"--data-dir=" + dir.resolve("data")}, Map.of()));
    }

    @AfterAll
    static void stop() throws Exception {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    @Order(1)
    void aMergerASplitALateEventAndAnAbolishedDistrictByHand() throws Exception {
        clear();
        // Local 09:00 on the day: 02:00 UTC.
        record("11278", "2025-06-10", "received", 4);   // Xã Cao Thắng → Xã Thanh Miện (11239), share 1
        record("11239", "2025-06-10", "received", 6);   // Thị trấn Thanh Miện → Xã Thanh Miện, share 1
        record("10891", "2025-06-10", "received", 10);  // Thị trấn Lai Cách → 0.5 Việt Hòa (10543), 0.5 Tứ Minh (10891)
        record("10891", "2025-06-10", "resolved", 3);
        record("10543", "2025-06-10", "received", 2);   // Phường Việt Hoà → Phường Việt Hòa, share 1
        record("300", "2025-06-10", "received", 1);     // Huyện Thanh Miện: abolished, no successor
        record("11281", "2025-07-03", "resolved", 2);   // Chi Lăng Bắc ended 30 June: a late event of a June dossier
        record("11239", "2025-07-15", "received", 5);   // the new Xã Thanh Miện's own receipts

        Map<String, BigDecimal> received = restated("received");
        received.values().removeIf(v -> v.signum() == 0); // 11284 on 3 July has a resolution and no receipt
        assertThat(received).containsOnlyKeys("11239|2025-06-10", "10543|2025-06-10", "10891|2025-06-10", "11239|2025-07-15");
        assertThat(received.get("11239|2025-06-10")).isEqualByComparingTo("10");  // 4 + 6
        assertThat(received.get("10543|2025-06-10")).isEqualByComparingTo("7");   // 0.5 × 10 + 2
        assertThat(received.get("10891|2025-06-10")).isEqualByComparingTo("5");   // 0.5 × 10
        assertThat(received.get("11239|2025-07-15")).isEqualByComparingTo("5");
        Map<String, BigDecimal> resolved = restated("resolved");
        assertThat(resolved.get("10543|2025-06-10")).isEqualByComparingTo("1.5"); // a split makes fractions: numeric
        assertThat(resolved.get("10891|2025-06-10")).isEqualByComparingTo("1.5");
        assertThat(resolved.get("11284|2025-07-03")).isEqualByComparingTo("2");   // Chi Lăng Bắc → Nam Thanh Miện

        // Recorded roll-ups use the parent valid on the day (for a unit that had ended, on its last day).
        Map<String, Long> rolled = rollup("received");
        assertThat(rolled.get("300|2025-06-10")).isEqualTo(4 + 6 + 1);                 // Thanh Miện's communes and itself
        assertThat(rolled.get("30|2025-06-10")).isEqualTo(4 + 6 + 10 + 2 + 1);         // all of Hải Dương
        assertThat(rolled.get("31|2025-07-15")).isEqualTo(5);                          // 11239 is under Hải Phòng now
        assertThat(rolled).doesNotContainKey("300|2025-07-15").doesNotContainKey("31|2025-06-10");
        assertThat(rollup("resolved").get("300|2025-07-03")).isEqualTo(2);             // the late event: its old parents
    }

    @Test
    @Order(2)
    void restatedSumsEqualTheRecordedSumsCarriedByTheRegistryForEveryUnitDayAndColumn() throws Exception {
        clear();
        UnitRegistry registry = UnitRegistry.default2025();
        Random random = new Random(15);
        List<String> codes = new ArrayList<>();
        for (UnitVersion v : registry.allVersions()) {
            if (!codes.contains(v.code())) {
                codes.add(v.code());
            }
        }
        // Recorded counts in every column for every code (districts and ended units included, late events on days
        // after a unit ended too) from 20 June to 10 July 2025, at random hours.
        Map<String, Map<String, Long>> recorded = new TreeMap<>(); // code|day → column → count
        try (Connection c = stack.admin().connect(); PreparedStatement ps = c.prepareStatement(insertAll())) {
            for (LocalDate day = LocalDate.parse("2025-06-20"); !day.isAfter(LocalDate.parse("2025-07-10")); day = day.plusDays(1)) {
                for (String code : codes) {
                    if (random.nextInt(3) == 0 || registry.recordedVersion(code, day).isEmpty()) {
                        continue;
                    }
                    ps.setString(1, code);
                    ps.setObject(2, day.atTime(random.nextInt(24), 0).atZone(VN).toOffsetDateTime());
                    Map<String, Long> row = recorded.computeIfAbsent(code + "|" + day, k -> new HashMap<>());
                    for (int i = 0; i < COLUMNS.size(); i++) {
                        long n = random.nextInt(20);
                        ps.setLong(3 + i, n);
                        row.merge(COLUMNS.get(i), n, Long::sum);
                    }
                    ps.addBatch();
                }
            }
            ps.executeBatch();
        }
        LocalDate today = LocalDate.now(VN);
        for (String column : COLUMNS) {
            // The expectation: each record carried with UnitRegistry.restate's weights (Java, the registry's own
            // reading), against the SQL view's recursive query over unit_succession.
            Map<String, Double> expected = new TreeMap<>();
            double recordedWithSuccessor = 0;
            double restatedTotal = 0;
            for (Map.Entry<String, Map<String, Long>> e : recorded.entrySet()) {
                String code = e.getKey().split("\\|")[0];
                LocalDate day = LocalDate.parse(e.getKey().split("\\|")[1]);
                long n = e.getValue().get(column);
                Map<String, Double> weights = registry.restate(code, day, today);
                double carried = weights.values().stream().mapToDouble(Double::doubleValue).sum();
                weights.forEach((to, w) -> expected.merge(to + "|" + day, n * w, Double::sum));
                if (carried > 0) {
                    recordedWithSuccessor += n;
                    assertThat(carried).as(code + " on " + day + " goes wholly somewhere or nowhere").isCloseTo(1.0, within(1e-12));
                }
            }
            Map<String, BigDecimal> actual = restated(column);
            expected.values().removeIf(v -> v == 0);
            actual.values().removeIf(v -> v.signum() == 0);
            assertThat(actual.keySet()).as(column).isEqualTo(expected.keySet());
            for (Map.Entry<String, Double> e : expected.entrySet()) {
                assertThat(actual.get(e.getKey()).doubleValue()).as(column + " " + e.getKey()).isCloseTo(e.getValue(), within(1e-9));
                restatedTotal += actual.get(e.getKey()).doubleValue();
            }
            // Conservation: what the recorded units with a successor counted is what today's units have, in total.
            assertThat(restatedTotal).as(column).isCloseTo(recordedWithSuccessor, within(1e-6));
        }
        // Today's units only: the 5 communes, Việt Hòa, Tứ Minh and Hải Phòng.
        assertThat(restated("received").keySet().stream().map(k -> k.split("\\|")[0]).distinct().sorted().toList())
                .containsExactly("10543", "10891", "11239", "11242", "11254", "11257", "11284", "31");
    }

    @Test
    @Order(3)
    void twoReorganisationsChainAndMultiplyTheirShares() throws Exception {
        clear();
        // docs/UNITS.md, third worked example: A splits 0.6 → B and 0.4 → C on 2025-01-01; B and D merge into E on
        // 2025-07-01, when the code A is reused by an unrelated unit.
        Path units = dir.resolve("chain-units.csv");
        Path succession = dir.resolve("chain-succession.csv");
        Files.writeString(units, """
                code,name,level,parent_code,valid_from,valid_to
                P,Province,PROVINCE,,,
                A,Old A,COMMUNE,P,,2024-12-31
                B,B,COMMUNE,P,2025-01-01,2025-06-30
                C,C,COMMUNE,P,2025-01-01,
                D,D,COMMUNE,P,,2025-06-30
                E,E,COMMUNE,P,2025-07-01,
                A,New A,COMMUNE,P,2025-07-01,
                """);
        Files.writeString(succession, """
                predecessor_code,successor_code,effective_from,share
                A,B,2025-01-01,0.6
                A,C,2025-01-01,0.4
                B,E,2025-07-01,1
                D,E,2025-07-01,1
                """);
        try {
            ReferenceData.load(stack.admin(), units, succession, null, null, null, null);
            record("A", "2024-11-05", "received", 50);
            record("D", "2024-11-05", "received", 30);
            record("B", "2025-03-03", "received", 10);
            record("A", "2025-08-04", "received", 7);   // the new A: its own
            Map<String, BigDecimal> r = restated("received");
            assertThat(r).containsOnlyKeys("C|2024-11-05", "E|2024-11-05", "E|2025-03-03", "A|2025-08-04");
            assertThat(r.get("C|2024-11-05")).isEqualByComparingTo("20");    // 0.4 × 50
            assertThat(r.get("E|2024-11-05")).isEqualByComparingTo("60");    // 0.6 × 1 × 50 + 30
            assertThat(r.get("E|2025-03-03")).isEqualByComparingTo("10");    // B → E
            assertThat(r.get("A|2025-08-04")).isEqualByComparingTo("7");     // nothing of the old A goes to the new A
        } finally {
            ReferenceData.load(stack.admin(), null, null, null, null, null, null);
        }
    }

    @Test
    @Order(4)
    void periodRollupsAndTheLiveTableUseTheStructureOfTheDay() throws Exception {
        clear();
        record("11239", "2025-06-10", "received", 6);   // Thị trấn Thanh Miện (district 300, Hải Dương)
        record("11278", "2025-06-11", "received", 4);   // Xã Cao Thắng (district 300)
        record("11278", "2025-07-03", "resolved", 2);   // a late event of Cao Thắng's June dossier
        record("11239", "2025-07-15", "received", 5);   // Xã Thanh Miện (Hải Phòng)
        record("11254", "2025-07-14", "received", 3);   // Xã Bắc Thanh Miện (Hải Phòng)

        // V1's roll-up followed each code's latest version: June's 6 of Thị trấn Thanh Miện went to Hải Phòng (31).
        Map<String, Long> june = periodRollup("month", "2025-06-01");
        assertThat(june).containsEntry("300", 10L).containsEntry("30", 10L).doesNotContainKey("31");
        Map<String, Long> july = periodRollup("month", "2025-07-01");
        assertThat(july).containsEntry("31", 8L).doesNotContainKey("300").doesNotContainKey("30");
        assertThat(periodRollup("quarter", "2025-07-01")).containsEntry("11239", 5L).containsEntry("31", 8L);
        try (Connection c = stack.reader().connect(); ResultSet rs = c.createStatement().executeQuery(
                "SELECT resolved FROM unit_kpi_period_rollup WHERE unit_code = '300' AND period_type = 'month' "
                        + "AND period_start = '2025-07-01'")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getLong(1)).as("the late event rolls up to Cao Thắng's own district").isEqualTo(2);
        }

        // make run's table on 15 July 2025: the communes valid that day with counts in the last 30 days, and their
        // parent; not the old communes (Cao Thắng, Thị trấn Thanh Miện under its reused code) nor the districts.
        String table = vn.onestop.monitor.local.LiveTable.render(stack.admin(),
                LocalDate.parse("2025-07-15").atTime(12, 0).atZone(VN).toInstant(), "header");
        List<String> names = table.lines().skip(2).filter(l -> !l.startsWith("---"))
                .map(l -> l.substring(0, 26).strip()).toList();
        assertThat(names).containsExactly("Xã Thanh Miện", "Xã Bắc Thanh Miện", "Thành phố Hải Phòng");
        String haiPhong = table.lines().filter(l -> l.startsWith("Thành phố Hải Phòng")).findFirst().orElseThrow();
        assertThat(haiPhong.substring(26).trim().split("\\s+")).startsWith("5", "8");   // today, 30 days
    }

    /** unit → received of unit_kpi_period_rollup in one period, as the reader login reads it. */
    private static Map<String, Long> periodRollup(String type, String start) throws Exception {
        Map<String, Long> out = new TreeMap<>();
        try (Connection c = stack.reader().connect(); PreparedStatement ps = c.prepareStatement(
                "SELECT unit_code, received FROM unit_kpi_period_rollup WHERE period_type = ? AND period_start = ?::date "
                        + "AND received > 0")) {
            ps.setString(1, type);
            ps.setString(2, start);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        return out;
    }

    private static String insertAll() {
        return "INSERT INTO kpi_hourly (unit_code, hour, " + String.join(", ", COLUMNS) + ") VALUES (?, ?"
                + ", ?".repeat(COLUMNS.size()) + ") ON CONFLICT (unit_code, hour) DO UPDATE SET "
                + String.join(", ", COLUMNS.stream().map(col -> col + " = kpi_hourly." + col + " + EXCLUDED." + col).toList());
    }

    private static void clear() throws Exception {
        try (Connection c = stack.admin().connect(); Statement s = c.createStatement()) {
            s.execute("DELETE FROM kpi_hourly");
        }
    }

    private static void record(String unit, String day, String column, long n) throws Exception {
        try (Connection c = stack.admin().connect(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO kpi_hourly (unit_code, hour, " + column + ") VALUES (?, ?, ?) "
                        + "ON CONFLICT (unit_code, hour) DO UPDATE SET " + column + " = kpi_hourly." + column + " + EXCLUDED." + column)) {
            ps.setString(1, unit);
            ps.setObject(2, LocalDate.parse(day).atTime(9, 0).atZone(VN).toOffsetDateTime());
            ps.setLong(3, n);
            ps.executeUpdate();
        }
    }

    /** unit|day → the column of unit_kpi_daily_restated, read as the reader login (Grafana's) reads it. */
    private static Map<String, BigDecimal> restated(String column) throws Exception {
        Map<String, BigDecimal> out = new TreeMap<>();
        try (Connection c = stack.reader().connect(); ResultSet rs = c.createStatement().executeQuery(
                "SELECT unit_code, day, " + column + " FROM unit_kpi_daily_restated")) {
            assertThat(rs.getMetaData().getColumnTypeName(3)).isEqualTo("numeric");
            while (rs.next()) {
                out.put(rs.getString(1) + "|" + rs.getObject(2, LocalDate.class), rs.getBigDecimal(3));
            }
        }
        return out;
    }

    private static Map<String, Long> rollup(String column) throws Exception {
        Map<String, Long> out = new TreeMap<>();
        try (Connection c = stack.reader().connect(); ResultSet rs = c.createStatement().executeQuery(
                "SELECT unit_code, day, " + column + " FROM unit_kpi_daily_rollup WHERE " + column + " > 0")) {
            while (rs.next()) {
                out.put(rs.getString(1) + "|" + rs.getObject(2, LocalDate.class), rs.getLong(3));
            }
        }
        return out;
    }
}

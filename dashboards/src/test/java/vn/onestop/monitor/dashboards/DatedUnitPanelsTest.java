package vn.onestop.monitor.dashboards;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.onestop.monitor.MonitorConfig;
import vn.onestop.monitor.local.LocalStack;
import vn.onestop.monitor.sink.Database;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboards on the dated unit registry (issue 15, docs/DASHBOARDS.md "Units by date"), against the real schema
 * migrated by the real migrations and the default 2025 registry (units.csv, unit_succession.csv) that the local stack
 * loads. A handful of counts is written into kpi_hourly, the job's table, on both sides of the 2025-07-01
 * reorganisation, so that every expected figure below is computed by hand from the registry file: the panels' SQL is
 * taken from the provisioned JSON, expanded as Grafana would, and run as the read-only login.
 *
 * <p>On the queries before this change (undated unit_closure, units from the table unit) the ranking counted code
 * 11239's June days (Thị trấn Thanh Miện, parent 300) for Xã Thanh Miện (parent 31), the Hải Phòng filter counted
 * them under Hải Phòng, and the Huyện Thanh Miện / Hải Dương filters missed the five reused codes' old days.
 */
class DatedUnitPanelsTest {
    static final ZoneId VN = ZoneId.of("Asia/Ho_Chi_Minh");
    /** The 7 units whose version valid today has parent 31 in the default units.csv. */
    static final List<String> HAI_PHONG_TODAY = List.of("10543", "10891", "11239", "11242", "11254", "11257", "11284");
    /** The 17 communes of Huyện Thanh Miện (300) until 2025-06-30. */
    static final List<String> THANH_MIEN_OLD = List.of("11239", "11242", "11245", "11248", "11251", "11254", "11257",
            "11260", "11263", "11266", "11269", "11275", "11278", "11281", "11284", "11287", "11293");

    @TempDir
    static Path dir;
    static LocalStack stack;
    static Database reader;
    /** The day the "today" counts are written on: yesterday, so that no count lies in the future whatever the hour. */
    static LocalDate recent;

    @BeforeAll
    static void start() throws Exception {
        stack = LocalStack.start(MonitorConfig.from(new String[] {"--data-dir=" + dir.resolve("data")}, Map.of()));
        reader = DashboardQueriesTest.asItself(stack.reader());
        recent = LocalDate.now(VN).minusDays(1);
        // June 2025, as recorded: units of Huyện Thanh Miện (300), province Hải Dương (30).
        record("11239", "2025-06-10", 6, 4, 3, 1);   // Thị trấn Thanh Miện → Xã Thanh Miện (11239), share 1
        record("11278", "2025-06-10", 4, 2, 2, 0);   // Xã Cao Thắng → Xã Thanh Miện (11239), share 1
        record("11245", "2025-06-10", 3, 0, 0, 0);   // Xã Phạm Kha → Xã Nguyễn Lương Bằng (11242), share 1
        // July 2025: the reused code 11239 is Xã Thanh Miện under Hải Phòng (31).
        record("11239", "2025-07-15", 5, 5, 5, 0);
        // Recent days: the communes of Hải Phòng, with on-time rates that order them.
        record("11239", recent.toString(), 10, 10, 9, 1);
        record("11254", recent.toString(), 10, 10, 10, 0);
        record("11257", recent.toString(), 10, 10, 5, 5);
        record("11242", recent.toString(), 10, 10, 7, 3);
        record("11284", recent.toString(), 4, 4, 3, 1);
        // A dossier Thị trấn Thanh Miện received on 27 June 2025 and resolved late on 3 July, with the overdue alert the
        // job would open on 1 July: both belong to the unit that received it, whatever the code means since.
        try (Connection c = stack.admin().connect(); java.sql.Statement s = c.createStatement()) {
            s.execute("INSERT INTO dossier (dossier_id, unit_code, procedure_code, received_at, due_at, effective_due_at,"
                    + " ended_at, status) VALUES ('TTTM-2025-06-27', '11239', '1.001', '2025-06-27 09:00+07',"
                    + " '2025-06-30 17:00+07', '2025-06-30 17:00+07', '2025-07-03 10:00+07', 'LATE')");
            s.execute("INSERT INTO sla_alert (id, kind, unit_code, dossier_id, opened_at, closed_at) VALUES"
                    + " ('overdue:TTTM-2025-06-27', 'DOSSIER_OVERDUE', '11239', 'TTTM-2025-06-27', '2025-07-01 08:00+07',"
                    + " '2025-07-03 10:00+07')");
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (stack != null) {
            stack.close();
        }
    }

    static void record(String unit, String day, long received, long resolved, long onTime, long late) throws SQLException {
        try (Connection c = stack.admin().connect(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO kpi_hourly (unit_code, hour, received, received_direct, resolved, resolved_on_time, resolved_late)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, unit);
            ps.setObject(2, LocalDate.parse(day).atTime(9, 0).atZone(VN).toOffsetDateTime());
            ps.setLong(3, received);
            ps.setLong(4, received);
            ps.setLong(5, resolved);
            ps.setLong(6, onTime);
            ps.setLong(7, late);
            ps.executeUpdate();
        }
    }

    static GrafanaSql.TimeRange range(String from, LocalDate to) {
        Instant f = LocalDate.parse(from).atStartOfDay(VN).toInstant();
        Instant t = to.atTime(LocalTime.of(23, 59, 59)).atZone(VN).toInstant();
        return new GrafanaSql.TimeRange(f, t);
    }

    static DashboardQueriesTest.Result panel(String uid, int panelId, Map<String, GrafanaSql.Selection> vars,
                                             GrafanaSql.TimeRange range) throws SQLException {
        for (JsonNode d : Provisioning.dashboards()) {
            if (!d.path("uid").asText().equals(uid)) {
                continue;
            }
            for (Provisioning.Query q : Provisioning.queries(d)) {
                if (q.panelId() == panelId) {
                    return DashboardQueriesTest.run(reader, GrafanaSql.expand(q.rawSql(), vars, range));
                }
            }
        }
        throw new AssertionError("no panel " + panelId + " in " + uid);
    }

    static List<Object> column(DashboardQueriesTest.Result r, String column) {
        List<Object> out = new ArrayList<>();
        r.rows().forEach(row -> out.add(row.get(r.column(column))));
        return out;
    }

    static Map<String, GrafanaSql.Selection> vars(String name, String value, String history) {
        Map<String, GrafanaSql.Selection> v = new LinkedHashMap<>();
        v.put(name, name.equals("unit") ? GrafanaSql.Selection.multi(List.of(value)) : GrafanaSql.Selection.single(value));
        v.put("history", GrafanaSql.Selection.single(history));
        return v;
    }

    /** Column of a table panel's rows keyed by "Mã" (unit code). */
    static Map<String, Object> byCode(DashboardQueriesTest.Result r, String column) {
        Map<String, Object> out = new TreeMap<>();
        for (List<Object> row : r.rows()) {
            out.put((String) row.get(r.column("Mã")), row.get(r.column(column)));
        }
        return out;
    }

    static BigDecimal sum(DashboardQueriesTest.Result r, String column) {
        BigDecimal s = BigDecimal.ZERO;
        for (List<Object> row : r.rows()) {
            Object v = row.get(r.column(column));
            if (v != null) {
                s = s.add(new BigDecimal(v.toString()));
            }
        }
        return s;
    }

    static final String TONG_QUAN = "onestop-tong-quan";
    static final String DON_VI = "onestop-don-vi";
    static final int RANKING = 11;

    @Test
    void tongQuanRanksTheUnitsValidOnItsTodayWithOnlyTheirOwnRecordedCounts() throws Exception {
        DashboardQueriesTest.Result r = panel(TONG_QUAN, RANKING, vars("parent", "31", "recorded"), range("2025-06-01", recent));
        Map<String, Object> received = byCode(r, "Tiếp nhận");
        assertThat(received.keySet()).as("units of Hải Phòng on the range's last day").containsExactlyInAnyOrderElementsOf(HAI_PHONG_TODAY);
        // Xã Thanh Miện since 1 July: 5 on 15 July + 10 recently. Thị trấn Thanh Miện's 6 of June are another unit's.
        assertThat(new BigDecimal(received.get("11239").toString())).isEqualByComparingTo("15");
        assertThat(new BigDecimal(received.get("11242").toString())).isEqualByComparingTo("10");
        // On time: 11254 10/10, 11239 (5+9)/(5+10) = 0.933, 11284 3/4, 11242 7/10, 11257 5/10, the two wards none.
        Map<String, Object> rank = byCode(r, "Hạng");
        assertThat(rank).containsEntry("11254", 1L).containsEntry("11239", 2L).containsEntry("11284", 3L)
                .containsEntry("11242", 4L).containsEntry("11257", 5L).containsEntry("10543", 6L).containsEntry("10891", 6L);
        assertThat(new BigDecimal(byCode(r, "Đúng hạn").get("11239").toString()).doubleValue()).isCloseTo(14.0 / 15, org.assertj.core.api.Assertions.within(1e-9));
        List<String> names = new ArrayList<>();
        r.rows().forEach(row -> names.add((String) row.get(r.column("Đơn vị"))));
        assertThat(names).contains("Xã Thanh Miện", "Xã Nguyễn Lương Bằng").doesNotContain("Thị trấn Thanh Miện", "Xã Phạm Kha");
    }

    @Test
    void tongQuanRestatedRanksTodaysUnitsWithTheirPredecessorsHistory() throws Exception {
        DashboardQueriesTest.Result r = panel(TONG_QUAN, RANKING, vars("parent", "31", "restated"), range("2025-06-01", recent));
        Map<String, Object> received = byCode(r, "Tiếp nhận");
        assertThat(received.keySet()).containsExactlyInAnyOrderElementsOf(HAI_PHONG_TODAY);
        // Xã Thanh Miện ← Thị trấn Thanh Miện 6 + Cao Thắng 4 (June) + its own 5 + 10.
        assertThat(new BigDecimal(received.get("11239").toString())).isEqualByComparingTo("25");
        // Xã Nguyễn Lương Bằng ← Phạm Kha 3 (June) + its own 10.
        assertThat(new BigDecimal(received.get("11242").toString())).isEqualByComparingTo("13");
        // On time restated: (3+2+5+9)/(4+2+5+10) = 19/21.
        assertThat(new BigDecimal(byCode(r, "Đúng hạn").get("11239").toString()).doubleValue())
                .isCloseTo(19.0 / 21, org.assertj.core.api.Assertions.within(1e-9));
    }

    @Test
    void aDistrictThatEndedInsideTheRangeIsRankedWithItsCommunesOnItsLastDay() throws Exception {
        DashboardQueriesTest.Result r = panel(TONG_QUAN, RANKING, vars("parent", "300", "recorded"), range("2025-06-01", LocalDate.parse("2025-07-31")));
        Map<String, Object> received = byCode(r, "Tiếp nhận");
        assertThat(received.keySet()).as("Huyện Thanh Miện's 17 communes on 30 June 2025").containsExactlyInAnyOrderElementsOf(THANH_MIEN_OLD);
        // Thị trấn Thanh Miện: its June 6 only; the 5 of 15 July are Xã Thanh Miện's.
        assertThat(new BigDecimal(received.get("11239").toString())).isEqualByComparingTo("6");
        assertThat(new BigDecimal(received.get("11278").toString())).isEqualByComparingTo("4");
    }

    @Test
    void aReusedCodesJuneCountsGoToThanhMienAndHaiDuongNotToHaiPhong() throws Exception {
        GrafanaSql.TimeRange summer = range("2025-06-01", LocalDate.parse("2025-07-31"));
        int hourly = 8; // Đơn vị "Tiếp nhận và giải quyết theo giờ"
        // Huyện Thanh Miện (300) in June: 11239 (6) + 11278 (4) + 11245 (3).
        assertThat(sum(panel(DON_VI, hourly, vars("unit", "300", "recorded"), summer), "Tiếp nhận")).isEqualByComparingTo("13");
        assertThat(sum(panel(DON_VI, hourly, vars("unit", "30", "recorded"), summer), "Tiếp nhận")).isEqualByComparingTo("13");
        // Hải Phòng (31) in this range: only Xã Thanh Miện's 5 of 15 July.
        assertThat(sum(panel(DON_VI, hourly, vars("unit", "31", "recorded"), summer), "Tiếp nhận")).isEqualByComparingTo("5");

        // The daily channel panel reads the same counts (received_direct = received here) in either reading.
        int channels = 15;
        assertThat(sum(panel(DON_VI, channels, vars("unit", "300", "recorded"), summer), "Trực tiếp")).isEqualByComparingTo("13");
        assertThat(sum(panel(DON_VI, channels, vars("unit", "31", "recorded"), summer), "Trực tiếp")).isEqualByComparingTo("5");
        // Restated, June's 13 belong to today's units under Hải Phòng, and nothing is left under the abolished district.
        assertThat(sum(panel(DON_VI, channels, vars("unit", "31", "restated"), summer), "Trực tiếp")).isEqualByComparingTo("18");

        // Per unit: code 11239 is two units, named by the version of each day.
        DashboardQueriesTest.Result perUnit = panel(DON_VI, 13, vars("unit", "11239", "recorded"), summer);
        Map<String, String> nameByDay = new TreeMap<>();
        for (List<Object> row : perUnit.rows()) {
            nameByDay.put(LocalDate.ofInstant(((java.sql.Timestamp) row.get(perUnit.column("time"))).toInstant(), VN).toString(),
                    (String) row.get(perUnit.column("metric")));
        }
        assertThat(nameByDay).containsEntry("2025-06-10", "Thị trấn Thanh Miện").containsEntry("2025-07-15", "Xã Thanh Miện");

        // Tổng quan's daily receipts under Huyện Thanh Miện: 13 on 10 June.
        DashboardQueriesTest.Result daily = panel(TONG_QUAN, 14, vars("parent", "300", "recorded"), summer);
        assertThat(sum(daily, "Tiếp nhận")).isEqualByComparingTo("13");
    }

    @Test
    void aReusedCodesOldDossierAndItsAlertStayWithTheUnitThatReceivedIt() throws Exception {
        GrafanaSql.TimeRange summer = range("2025-06-01", LocalDate.parse("2025-07-31"));
        Map<String, GrafanaSql.Selection> kinds = new LinkedHashMap<>();
        kinds.put("kind", GrafanaSql.Selection.multi(List.of("DOSSIER_OVERDUE", "DOSSIER_AT_RISK", "KPI_BELOW_TARGET")));
        int log = 8; // Cảnh báo "Nhật ký cảnh báo"
        Map<String, GrafanaSql.Selection> thanhMien = new LinkedHashMap<>(kinds);
        thanhMien.put("unit", GrafanaSql.Selection.multi(List.of("300")));
        DashboardQueriesTest.Result underThanhMien = panel("onestop-canh-bao", log, thanhMien, summer);
        assertThat(column(underThanhMien, "Hồ sơ / chỉ số")).containsExactly("TTTM-2025-06-27");
        assertThat(column(underThanhMien, "Đơn vị")).containsExactly("Thị trấn Thanh Miện");
        Map<String, GrafanaSql.Selection> haiPhong = new LinkedHashMap<>(kinds);
        haiPhong.put("unit", GrafanaSql.Selection.multi(List.of("31")));
        assertThat(panel("onestop-canh-bao", log, haiPhong, summer).rows()).as("opened on 1 July, received in June").isEmpty();

        // Đơn vị's median processing time: the dossier ended on 3 July, under Thị trấn Thanh Miện (Huyện Thanh Miện).
        DashboardQueriesTest.Result median = panel(DON_VI, 14, vars("unit", "300", "recorded"), summer);
        assertThat(column(median, "metric")).containsExactly("Huyện Thanh Miện");
        assertThat(panel(DON_VI, 14, vars("unit", "31", "recorded"), summer).rows()).isEmpty();
    }

    @Test
    void thePickersOfferTheUnitsValidInTheRange() throws Exception {
        for (String uid : List.of(DON_VI, "onestop-canh-bao")) {
            JsonNode d = Provisioning.dashboards().stream().filter(x -> x.path("uid").asText().equals(uid)).findFirst().orElseThrow();
            Provisioning.Variable unit = Provisioning.variables(d).stream().filter(v -> v.name().equals("unit")).findFirst().orElseThrow();
            List<Object> june = column(DashboardQueriesTest.run(reader, GrafanaSql.expand(unit.query(), Map.of(),
                    range("2025-06-01", LocalDate.parse("2025-06-30")))), "__value");
            List<Object> august = column(DashboardQueriesTest.run(reader, GrafanaSql.expand(unit.query(), Map.of(),
                    range("2025-08-01", LocalDate.parse("2025-08-31")))), "__value");
            // Every version valid in June 2025: Hải Dương's tier, and Hải Phòng (31), whose only version has an open start.
            List<Object> expectedJune = new ArrayList<>(List.of("30", "31", "288", "295", "296", "300", "10543", "10891", "10987"));
            expectedJune.addAll(THANH_MIEN_OLD);
            assertThat(june).as(uid + " June 2025").containsExactlyInAnyOrderElementsOf(expectedJune);
            assertThat(august).as(uid + " August 2025").containsExactlyInAnyOrder(
                    "31", "10543", "10891", "11239", "11242", "11254", "11257", "11284");
        }
        JsonNode tongQuan = Provisioning.dashboards().stream().filter(x -> x.path("uid").asText().equals(TONG_QUAN)).findFirst().orElseThrow();
        Provisioning.Variable parent = Provisioning.variables(tongQuan).stream().filter(v -> v.name().equals("parent")).findFirst().orElseThrow();
        assertThat(column(DashboardQueriesTest.run(reader, GrafanaSql.expand(parent.query(), Map.of(),
                range("2025-08-01", LocalDate.parse("2025-08-31")))), "__value")).containsExactly("31");
    }
}

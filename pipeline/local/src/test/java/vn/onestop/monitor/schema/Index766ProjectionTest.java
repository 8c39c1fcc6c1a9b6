package vn.onestop.monitor.schema;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.onestop.monitor.local.LocalPostgres;
import vn.onestop.monitor.sink.Database;
import vn.onestop.monitor.sink.Schema;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * V12's month-end projection of 2.1 on the worked example of docs/INDEX766.md ("Month-end projection"), on a real
 * PostgreSQL with the whole schema: hand-made dossier rows, expected figures computed by hand in the comments.
 * The pipeline-produced case is Index766ReviewEndToEndTest (pipeline/review).
 */
class Index766ProjectionTest {
    @TempDir
    Path dir;

    /**
     * District 900 with communes 901 and 902; March 2024; the latest event is 20 March 10:00 (local), so that is
     * "now" for the projection. Procedure P168 has 168 statutory hours (7 days) and no appointment is given for a4.
     */
    static final String[] ROWS = {
            // id, unit, procedure, received, due, resolved, supplements requested, supplied, last event
            // February: not in March's population (ended before March started).
            "c0|901|P1|2024-02-10 08:00|2024-02-15 17:00|2024-02-12 09:00|||2024-02-12 09:00",
            // a1 ended in time, a2 ended late: fixed.
            "a1|901|P1|2024-03-01 08:00|2024-03-05 17:00|2024-03-04 09:00|||2024-03-04 09:00",
            "a2|901|P1|2024-03-02 08:00|2024-03-06 17:00|2024-03-08 09:00|||2024-03-08 09:00",
            // a3 open, due 15 March: past due now, LATE whatever happens.
            "a3|901|P1|2024-03-10 08:00|2024-03-15 17:00||||2024-03-10 08:00",
            // a4 open, no appointment: receipt + 168 h = 25 March 17:00, DUE_THIS_MONTH.
            "a4|901|P168|2024-03-18 17:00|||||2024-03-18 17:00",
            // a5 open, due 31 March 08:00, but waited 24 h on an answered supplement request: must end by 1 April
            // 08:00, DUE_AFTER_MONTH (without the pause it would be due this month).
            "a5|901|P1|2024-03-18 08:00|2024-03-31 08:00||2024-03-19 09:00|2024-03-20 09:00|2024-03-20 09:00",
            // a6 waits on an outstanding request: judged at the request (in time), not projected.
            "a6|901|P1|2024-03-18 09:00|2024-03-25 17:00||2024-03-19 09:00||2024-03-19 09:00",
            // b1 open, due 27 March: DUE_THIS_MONTH; b2 ended in time. b1 carries the latest event.
            "b1|902|P1|2024-03-20 08:00|2024-03-27 17:00||||2024-03-20 10:00",
            "b2|902|P1|2024-03-05 08:00|2024-03-09 17:00|2024-03-08 09:00|||2024-03-08 09:00",
    };

    @Test
    void theWorkedExampleOfIndex766Md() throws Exception {
        try (LocalPostgres pg = LocalPostgres.start(dir.resolve("pg"), 0)) {
            Database admin = pg.admin();
            Schema.migrate(admin);
            try (Connection c = admin.connect(); Statement s = c.createStatement()) {
                s.execute("INSERT INTO unit (code, name, level, parent_code) VALUES ('900', 'Huyện Mẫu', 'DISTRICT', NULL),"
                        + " ('901', 'Xã A', 'COMMUNE', '900'), ('902', 'Xã B', 'COMMUNE', '900')");
                // the index rolls up through the dated registry (V15), which the loader fills alongside unit
                s.execute("INSERT INTO unit_version (code, name, level, parent_code) SELECT code, name, level, parent_code FROM unit");
                s.execute("INSERT INTO procedure (code, name, statutory_hours) VALUES ('P1', 'Thủ tục 1', 120), ('P168', 'Thủ tục 168 giờ', 168)");
                for (String row : ROWS) {
                    String[] f = row.split("\\|", -1);
                    s.execute("INSERT INTO dossier (dossier_id, unit_code, procedure_code, channel, received_at, due_at, resolved_at,"
                            + " supplement_requested_at, supplement_supplied_at, last_event_at, status) VALUES ("
                            + q(f[0]) + ", " + q(f[1]) + ", " + q(f[2]) + ", 'DIRECT', " + t(f[3]) + ", " + t(f[4]) + ", " + t(f[5]) + ", "
                            + (f[6].isEmpty() ? "NULL" : "ARRAY[" + t(f[6]) + "]") + ", "
                            + (f[6].isEmpty() ? "NULL" : "ARRAY[" + t(f[7]) + "]::timestamptz[]") + ", " + t(f[8]) + ", "
                            + (f[5].isEmpty() ? "'OPEN'" : "'RESOLVED'") + ")");
                }
            }

            // 2.1 as V9 shows it now: 901 handles a1..a6 (6), in time a1, a5 (judged at the month's end: 1 April 00:00
            // less 24 h ≤ 31 March 08:00) and a6 (judged at its request) = 3 → 10.00; 902: 2 handled, b2 in time → 10.00;
            // 900: 8 handled, 4 in time → 10.00.
            assertThat(query(admin, "SELECT unit_code, points FROM unit_index_766 WHERE period = '2024-03' AND indicator = '2.1' ORDER BY 1"))
                    .containsExactly("900|10.00", "901|10.00", "902|10.00");

            assertThat(query(admin, "SELECT period, as_of AT TIME ZONE 'Asia/Ho_Chi_Minh' FROM index_766_projection_month"))
                    .containsExactly("2024-03|2024-03-20 10:00:00");
            // 901: if a4 ends by 25 March, 4 of 6 in time: 20 × 4 / 6 = 13.333… → 13.33; otherwise 10.00.
            // 902: b1 in time → 2 of 2 → 20.00. 900: 6 of 8 → 15.00.
            assertThat(query(admin, "SELECT unit_code, period, handled, open_late, open_due_this_month, open_due_after_month,"
                    + " in_time_if_late, in_time_if_on_time, points_if_late, points_if_on_time, max_points"
                    + " FROM unit_index_766_projection ORDER BY unit_code"))
                    .containsExactly(
                            "900|2024-03|8|1|2|1|4|6|10.00|15.00|20.00",
                            "901|2024-03|6|1|1|1|3|4|10.00|13.33|20.00",
                            "902|2024-03|2|0|1|0|1|2|10.00|20.00|20.00");
            // Each dossier due this month is worth 20 / handled: 2.50 to the district, 3.33 to 901, 10.00 to 902.
            assertThat(query(admin, "SELECT unit_code, dossier_id, outlook, to_char(due_for_2_1 AT TIME ZONE 'Asia/Ho_Chi_Minh', 'MM-DD HH24:MI'),"
                    + " points_at_stake, own_unit_points_at_stake FROM unit_index_766_projection_dossier"
                    + " ORDER BY unit_code, own_unit_points_at_stake DESC, due_for_2_1"))
                    .containsExactly(
                            "900|b1|DUE_THIS_MONTH|03-27 17:00|2.50|10.00",
                            "900|a4|DUE_THIS_MONTH|03-25 17:00|2.50|3.33",
                            "900|a3|LATE|03-15 17:00|0.00|0.00",
                            "900|a5|DUE_AFTER_MONTH|04-01 08:00|0.00|0.00",
                            "901|a4|DUE_THIS_MONTH|03-25 17:00|3.33|3.33",
                            "901|a3|LATE|03-15 17:00|0.00|0.00",
                            "901|a5|DUE_AFTER_MONTH|04-01 08:00|0.00|0.00",
                            "902|b1|DUE_THIS_MONTH|03-27 17:00|10.00|10.00");
        }
    }

    private static String q(String s) {
        return s.isEmpty() ? "NULL" : "'" + s + "'";
    }

    /** A local (UTC+7) time as a timestamptz literal; empty is NULL. Shared with Index766DatedParentsTest. */
    static String t(String s) {
        return s.isEmpty() ? "NULL" : "'" + s + "+07'::timestamptz";
    }

    /** Every row of a query, its cells joined by |. Shared with Index766DatedParentsTest. */
    static List<String> query(Database db, String sql) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<String> cells = new ArrayList<>();
                for (int i = 1; i <= n; i++) {
                    cells.add(rs.getString(i));
                }
                out.add(String.join("|", cells));
            }
        }
        return out;
    }
}

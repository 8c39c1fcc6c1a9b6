package vn.onestop.monitor.schema;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.onestop.monitor.local.LocalPostgres;
import vn.onestop.monitor.reference.ReferenceData;
import vn.onestop.monitor.sink.Database;
import vn.onestop.monitor.sink.Schema;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static vn.onestop.monitor.schema.Index766ProjectionTest.query;
import static vn.onestop.monitor.schema.Index766ProjectionTest.t;

/**
 * The national index's parents across the 2025 reorganisation (V15; docs/INDEX766.md, "Parents across the 2025
 * reorganisation"), on a real PostgreSQL with the whole schema and the shipped registry: code 11239 is Thị trấn
 * Thanh Miện under district 300 / Hải Dương (30) until 2025-06-30 and Xã Thanh Miện under Hải Phòng (31) from
 * 2025-07-01. A dossier counts for the ancestors of its receipt day. Expected figures are counted by hand below.
 * On V9/V11/V12's views (unit_closure = each code's latest version) every row of 300 and 30 was missing and 31
 * had June's dossiers.
 */
class Index766DatedParentsTest {
    @TempDir
    Path dir;

    static final String[] ROWS = {
            // id, channel, received, due, resolved (local times); all of 11239, procedure 1.001193 (in its catalogue, FULL)
            "j1|ONLINE|2025-06-10 08:00|2025-06-12 17:00|2025-06-11 09:00",  // June, ended in June
            "j2|DIRECT|2025-06-25 08:00|2025-06-30 17:00|2025-07-03 09:00",  // June, open at June's end, ended in July
            "j3|DIRECT|2025-06-28 08:00|2025-07-20 17:00|",                  // June, still open: due this month (July)
            "u1|ONLINE|2025-07-10 08:00|2025-07-12 17:00|2025-07-11 09:00",  // July, ended in July
            "u2|DIRECT|2025-07-15 10:00|2025-07-25 17:00|",                  // July, open, the data's latest event
    };

    @Test
    void dossiersCountForTheParentsOfTheirReceiptDay() throws Exception {
        try (LocalPostgres pg = LocalPostgres.start(dir.resolve("pg"), 0)) {
            Database admin = pg.admin();
            Schema.migrate(admin);
            ReferenceData.load(admin, null, null, null, null, null, null);
            try (Connection c = admin.connect(); Statement s = c.createStatement()) {
                for (String row : ROWS) {
                    String[] f = row.split("\\|", -1);
                    s.execute("INSERT INTO dossier (dossier_id, unit_code, procedure_code, channel, received_at, due_at, resolved_at,"
                            + " last_event_at, status) VALUES ('" + f[0] + "', '11239', '1.001193', '" + f[1] + "', " + t(f[2]) + ", "
                            + t(f[3]) + ", " + t(f[4]) + ", " + (f[4].isEmpty() ? t(f[2]) : t(f[4])) + ", "
                            + (f[4].isEmpty() ? "'OPEN'" : "'RESOLVED'") + ")");
                }
            }

            // received | handled (received before the period's end and not ended before its start).
            // June: j1, j2, j3 received and handled, for 11239 and its June parents 300 and 30; nothing for 31.
            // July: received u1, u2; handled j2 (ended 3 July), j3 (open), u1, u2. j2 and j3 keep their receipt day's
            // parents (300, 30); u1 and u2 count for 31. The year: each dossier under its receipt day's parents.
            assertThat(query(admin, "SELECT unit_code, period, received, handled FROM unit_index_766_counts"
                    + " WHERE unit_code IN ('11239', '300', '30', '31') AND period IN ('2025-06', '2025-07', '2025') ORDER BY 2, 1"))
                    .containsExactly(
                            "11239|2025|5|5", "30|2025|3|3", "300|2025|3|3", "31|2025|2|2",
                            "11239|2025-06|3|3", "30|2025-06|3|3", "300|2025-06|3|3",
                            "11239|2025-07|2|4", "30|2025-07|0|2", "300|2025-07|0|2", "31|2025-07|2|2");

            // 3.2's used services: j1 (June, online) is used for 300 / 30 in June, u1 (July) for 31 in July. The
            // catalogue belongs to the ancestors of any day of the period: 300 has none in July (it ended 30 June),
            // 31 none in June (11239 was not under it then), and both have one in the year.
            assertThat(query(admin, "SELECT unit_code, period, online_services_used FROM unit_index_766_coverage"
                    + " WHERE unit_code IN ('300', '30', '31') AND period IN ('2025-06', '2025-07', '2025') ORDER BY 2, 1"))
                    .containsExactly("30|2025|1", "300|2025|1", "31|2025|1", "30|2025-06|1", "300|2025-06|1", "31|2025-07|1");
            // so 300's July row has the ten count-based indicators only; 31's has all fifteen
            assertThat(query(admin, "SELECT unit_code, count(*), sum(max_points) FROM unit_index_766"
                    + " WHERE unit_code IN ('300', '31') AND period = '2025-07' GROUP BY 1 ORDER BY 1"))
                    .containsExactly("300|10|62.00", "31|15|74.00");

            // The month-end projection of July (latest event: u2's receipt, 15 July 10:00). 300 handles j2 (due 30 June,
            // ended 3 July: late) and j3 (open, due 20 July: due this month): 0 of 2 → 0.00, or 1 of 2 → 10.00. 31 handles
            // u1 (in time) and u2 (due 25 July): 10.00 or 20.00. 11239 all four: 1 of 4 → 5.00, or 3 of 4 → 15.00.
            // Each dossier due this month is worth 20 / 2 = 10.00 to 300 or 31 and 20 / 4 = 5.00 to 11239.
            assertThat(query(admin, "SELECT unit_code, period, handled, open_due_this_month, points_if_late, points_if_on_time"
                    + " FROM unit_index_766_projection WHERE unit_code IN ('11239', '300', '30', '31') ORDER BY 1"))
                    .containsExactly("11239|2025-07|4|2|5.00|15.00", "30|2025-07|2|1|0.00|10.00",
                            "300|2025-07|2|1|0.00|10.00", "31|2025-07|2|1|10.00|20.00");
            assertThat(query(admin, "SELECT unit_code, dossier_id, points_at_stake, own_unit_points_at_stake"
                    + " FROM unit_index_766_projection_dossier WHERE unit_code IN ('300', '31') ORDER BY 1, 2"))
                    .containsExactly("300|j3|10.00|5.00", "31|u2|10.00|5.00");
        }
    }
}

package vn.onestop.monitor.security;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.onestop.monitor.MonitorConfig;
import vn.onestop.monitor.ingest.DeadLetter;
import vn.onestop.monitor.ingest.DeadLetterReason;
import vn.onestop.monitor.local.LocalStack;
import vn.onestop.monitor.sink.Database;
import vn.onestop.monitor.sink.Rows;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Least privilege, on a real PostgreSQL migrated by the real migrations, checked two ways: the effective privileges
 * of each login on every table and view of the schema (so a table added later without a conscious grant decision
 * fails here), and real statements that must be refused with SQLSTATE 42501 (insufficient privilege).
 */
class DatabasePrivilegesTest {
    /** What the job's login may change, and how. Anything else in the schema it may at most read. */
    static final Map<String, Set<String>> JOB_WRITES = Map.of(
            "kpi_hourly", Set.of("INSERT", "UPDATE"),
            "dossier", Set.of("INSERT", "UPDATE"),
            "dead_letter", Set.of("INSERT", "UPDATE"),
            // where each bad record was read (V7): positions are only ever added
            "dead_letter_occurrence", Set.of("INSERT"),
            // per-topic, per-day reconciliation counts (V5): numbers only
            "ingest_tally", Set.of("INSERT", "UPDATE"),
            // ratings that name a dossier (V9, national index 5.4): ids, level and time, no free text
            "dossier_rating", Set.of("INSERT", "UPDATE"),
            // retracted alerts are deleted (sink/Rows.SlaAlerts)
            "sla_alert", Set.of("INSERT", "UPDATE", "DELETE"));
    static final List<String> WRITE_PRIVILEGES = List.of("INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER");
    /** Tables (not views) Grafana may read: reference data and the two result tables without personal data. */
    static final Set<String> READER_TABLES = Set.of("unit", "unit_version", "unit_succession", "procedure", "sla_target", "office_hours",
            "calendar_day", "dossier", "sla_alert");

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
    void theJobsLoginWritesOnlyItsResultTables() throws Exception {
        String job = stack.job().user();
        Map<String, Set<String>> writes = new TreeMap<>();
        for (String relation : relations(false)) {
            Set<String> granted = privileges(job, relation, WRITE_PRIVILEGES);
            if (!granted.isEmpty()) {
                writes.put(relation, granted);
            }
        }
        assertThat(writes).as("add a new table to JOB_WRITES only if the job must write it").isEqualTo(new TreeMap<>(JOB_WRITES));
        assertThat(privileges(job, "unit", List.of("SELECT"))).as("the job reads reference data").containsExactly("SELECT");

        refused(stack.job(), "DROP TABLE kpi_hourly");
        refused(stack.job(), "DROP VIEW unit_kpi_daily");
        refused(stack.job(), "CREATE TABLE planted (x int)");
        refused(stack.job(), "CREATE VIEW planted AS SELECT 1");
        refused(stack.job(), "ALTER TABLE kpi_hourly ADD COLUMN planted int");
        refused(stack.job(), "TRUNCATE dead_letter");
        refused(stack.job(), "DELETE FROM dead_letter_occurrence");
        refused(stack.job(), "UPDATE dead_letter_occurrence SET reason = 'TOO_LATE'");
        refused(stack.job(), "DELETE FROM kpi_hourly");
        refused(stack.job(), "INSERT INTO unit (code, name, level) VALUES ('X1', 'x', 'COMMUNE')");
        refused(stack.job(), "UPDATE sla_target SET on_time_rate = 0");
        refused(stack.job(), "DELETE FROM procedure");
        refused(stack.job(), "UPDATE calendar_day SET kind = 'HOLIDAY'");
        refused(stack.job(), "GRANT onestop_reader TO " + job);
        // The grants that remain must actually work: an upsert of a count row succeeds as the job.
        try (Connection c = stack.job().connect(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO kpi_hourly (unit_code, hour, received) VALUES ('11239', '2024-01-01T00:00:00Z', 1) "
                    + "ON CONFLICT (unit_code, hour) DO UPDATE SET received = EXCLUDED.received");
            s.execute("INSERT INTO sla_alert (id, kind, unit_code, opened_at) VALUES ('t-1', 'DOSSIER_OVERDUE', '11239', now())");
            assertThat(s.executeUpdate("DELETE FROM sla_alert WHERE id = 't-1'")).isEqualTo(1);
            // The dead-letter statement (V7) as the job: a position read again (a restart) changes nothing, the same
            // record at a new position (a replay) is the same row read once more.
            Rows.DeadLetters deadLetters = new Rows.DeadLetters();
            for (long offset : new long[] {7, 7, 8}) {
                try (PreparedStatement ps = c.prepareStatement(deadLetters.sql())) {
                    deadLetters.bind(ps, new DeadLetter("privileges-test", 0, offset, DeadLetterReason.INVALID_JSON, "not JSON",
                            "{\"dossierId\":".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
                    ps.executeUpdate();
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT count(*), sum(occurrences), min(kafka_offset) FROM dead_letter WHERE topic = 'privileges-test'")) {
                rs.next();
                assertThat(List.of(rs.getLong(1), rs.getLong(2), rs.getLong(3))).containsExactly(1L, 2L, 7L);
            }
        }
        assertLogin(job, "onestop_writer");
    }

    @Test
    void theGrafanaLoginReadsTheReportingViewsButNotDeadLettersAndWritesNothing() throws Exception {
        String reader = stack.reader().user();
        for (String relation : relations(false)) {
            assertThat(privileges(reader, relation, WRITE_PRIVILEGES)).as(relation).isEmpty();
        }
        Set<String> readableTables = new TreeSet<>();
        for (String table : relations(true)) {
            if (!privileges(reader, table, List.of("SELECT")).isEmpty()) {
                readableTables.add(table);
            }
        }
        assertThat(readableTables).isEqualTo(new TreeSet<>(READER_TABLES));

        List<String> views = views();
        assertThat(views).contains("unit_kpi_daily", "unit_kpi_period_ratio", "unit_review", "dead_letter_summary");
        try (Connection c = stack.reader().connect(); Statement s = c.createStatement()) {
            for (String view : views) {
                s.executeQuery("SELECT * FROM " + view + " LIMIT 1").close(); // throws if not granted
            }
        }
        refused(stack.reader(), "SELECT payload FROM dead_letter");
        refused(stack.reader(), "SELECT count(*) FROM dead_letter");
        refused(stack.reader(), "SELECT count(*) FROM dead_letter_occurrence");
        refused(stack.reader(), "SELECT * FROM kpi_hourly");
        refused(stack.reader(), "SELECT * FROM flyway_schema_history");
        refused(stack.reader(), "INSERT INTO kpi_hourly (unit_code, hour) VALUES ('11239', now())");
        refused(stack.reader(), "UPDATE dossier SET status = 'LATE'");
        refused(stack.reader(), "DELETE FROM sla_alert");
        refused(stack.reader(), "UPDATE sla_target SET on_time_rate = 0");
        refused(stack.reader(), "CREATE TABLE planted (x int)");
        refused(stack.reader(), "CREATE FUNCTION planted() RETURNS int LANGUAGE sql AS 'SELECT 1'");
        refused(stack.reader(), "DROP VIEW unit_kpi_daily");
        assertLogin(reader, "onestop_reader");
    }

    private static void assertLogin(String user, String group) throws Exception {
        try (Connection c = stack.admin().connect(); PreparedStatement ps = c.prepareStatement("""
                SELECT r.rolsuper, r.rolcreatedb, r.rolcreaterole, r.rolbypassrls,
                       array(SELECT g.rolname FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid WHERE m.member = r.oid ORDER BY 1)::text
                FROM pg_roles r WHERE r.rolname = ?""")) {
            ps.setString(1, user);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(List.of(rs.getBoolean(1), rs.getBoolean(2), rs.getBoolean(3), rs.getBoolean(4))).containsOnly(false);
                assertThat(rs.getString(5)).as("member of exactly one group role").isEqualTo("{" + group + "}");
            }
        }
    }

    private static void refused(Database as, String sql) {
        assertThatThrownBy(() -> {
            try (Connection c = as.connect(); Statement s = c.createStatement()) {
                s.execute(sql);
            }
        }).as("%s as %s", sql, as.user()).isInstanceOfSatisfying(SQLException.class,
                e -> assertThat(e.getSQLState()).as(e.getMessage()).isEqualTo("42501"));
    }

    /** Tables (and, unless tablesOnly, views) of schema public. */
    private static List<String> relations(boolean tablesOnly) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = stack.admin().connect(); ResultSet rs = c.createStatement().executeQuery(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
                        + (tablesOnly ? " AND table_type = 'BASE TABLE'" : "") + " ORDER BY 1")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        assertThat(out).contains("kpi_hourly", "dead_letter", "flyway_schema_history");
        return out;
    }

    private static List<String> views() throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = stack.admin().connect(); ResultSet rs = c.createStatement().executeQuery(
                "SELECT table_name FROM information_schema.views WHERE table_schema = 'public' ORDER BY 1")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    private static Set<String> privileges(String user, String relation, List<String> kinds) throws Exception {
        Set<String> out = new TreeSet<>();
        try (Connection c = stack.admin().connect(); PreparedStatement ps = c.prepareStatement("SELECT has_table_privilege(?, ?, ?)")) {
            for (String kind : kinds) {
                ps.setString(1, user);
                ps.setString(2, "public." + relation);
                ps.setString(3, kind);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (rs.getBoolean(1)) {
                        out.add(kind);
                    }
                }
            }
        }
        return out;
    }
}

package vn.onestop.monitor.dashboards;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.onestop.monitor.MonitorConfig;
import vn.onestop.monitor.local.LocalStack;
import vn.onestop.monitor.local.Replay;
import vn.onestop.monitor.sim.DatasetWriter;
import vn.onestop.monitor.sim.SimulationSettings;
import vn.onestop.monitor.sim.Simulator;
import vn.onestop.monitor.sink.Database;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Does what Grafana would do with the provisioned files, on a real PostgreSQL that the real pipeline filled from the
 * simulator: resolves every dashboard variable with its own query, expands the PostgreSQL data source's macros and
 * the variables (single- and multi-valued), runs every panel and alert query as the read-only login Grafana uses, and
 * checks that each returns rows in the shape its panel type needs. It also checks that the login cannot write or read
 * dead-letter payloads, and that the ratios the panels show are sums over sums of the pipeline's counts.
 */
class DashboardQueriesTest {
    static final ZoneId VN = ZoneId.of("Asia/Ho_Chi_Minh");

    @TempDir
    static Path dir;
    static LocalStack stack;
    static Database reader;
    /** A range Grafana could be set to whose last local day is a fully simulated working day (offices resolve). */
    static GrafanaSql.TimeRange range;

    @BeforeAll
    static void fillTheSchemaWithThePipeline() throws Exception {
        stack = LocalStack.start(MonitorConfig.from(new String[] {
                "--data-dir=" + dir.resolve("data"), "--parallelism=2"}, Map.of()));
        assertThat(stack.reader()).as("the embedded stack creates the read-only login").isNotNull();
        reader = asItself(stack.reader());

        // Three weeks ending now, so that 'now'-relative queries (overdue now, rolling 30 days) have rows. Event times
        // never lie after the Kafka send time, which the parser would reject. More late dossiers and a lower online
        // share than the district's defaults, so units differ and some fall below target.
        Instant now = Instant.now();
        LocalDate today = LocalDate.ofInstant(now, VN);
        Instant start = today.minusDays(21).atStartOfDay(VN).toInstant();
        SimulationSettings settings = new SimulationSettings(20240, start, 6,
                0.85, 0.95, 0.95,
                0.05, 0.01, 0.06,
                0.01, 0.005, 0.005, 0.002,
                0.3,
                0.01, 0.02, 0.002);
        Path dossiers = dir.resolve("dossiers.ndjson");
        Path feedback = dir.resolve("feedback.ndjson");
        DatasetWriter.Summary written = DatasetWriter.write(Simulator.forDefaultDistrict(settings), now, dossiers, feedback);
        Replay.Summary replayed = Replay.run(stack.config(), dossiers, feedback, null);
        System.out.printf("dataset: %,d dossier lines, %,d feedback lines; replay: %s%n",
                written.dossierLines(), written.feedbackLines(), replayed.line());

        LocalDate last = today.minusDays(1);
        while (last.getDayOfWeek() == DayOfWeek.SATURDAY || last.getDayOfWeek() == DayOfWeek.SUNDAY) {
            last = last.minusDays(1);
        }
        Instant to = last.atTime(LocalTime.of(23, 59, 59)).atZone(VN).toInstant();
        range = new GrafanaSql.TimeRange(to.minus(14, ChronoUnit.DAYS), to);

        requireAlertsFromThePipeline();
    }

    /**
     * The alert panels are only tested if they have the pipeline's own alerts to show: the replay above must have
     * written overdue dossiers' alerts and KPI breaches. An alerting regression fails here instead of being papered
     * over with rows the test makes up.
     */
    static void requireAlertsFromThePipeline() throws SQLException {
        try (Connection c = stack.admin().connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT kind, count(*) FROM sla_alert GROUP BY kind")) {
            Map<String, Long> byKind = new java.util.TreeMap<>();
            while (rs.next()) {
                byKind.put(rs.getString(1), rs.getLong(2));
            }
            System.out.println("alerts written by the pipeline: " + byKind);
            assertThat(byKind).as("alerts the pipeline wrote for the simulated late dossiers and units below target")
                    .containsKeys("DOSSIER_OVERDUE", "DOSSIER_AT_RISK", "KPI_BELOW_TARGET");
        }
    }

    /**
     * The same login with any user= parameter removed from the JDBC URL: pgjdbc lets URL parameters override the
     * connection properties, so a URL built for the superuser ("...?user=postgres") would log every Database.as()
     * copy in as the superuser, and a read-only test would prove nothing.
     */
    static Database asItself(Database db) {
        String url = db.url().replaceAll("([?&])user=[^&]*&?", "$1").replaceAll("[?&]$", "");
        return new Database(url, db.user(), db.password());
    }

    static String currentUser(Database db) throws SQLException {
        try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT current_user")) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void theQueriesHereRunAsTheReaderLoginItself() throws Exception {
        assertThat(currentUser(reader)).isEqualTo(stack.reader().user());
        try (Connection c = reader.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT rolsuper, pg_has_role(current_user, 'onestop_reader', 'MEMBER'),"
                     + " pg_has_role(current_user, 'onestop_writer', 'MEMBER') FROM pg_roles WHERE rolname = current_user")) {
            rs.next();
            assertThat(rs.getBoolean(1)).as("superuser").isFalse();
            assertThat(rs.getBoolean(2)).as("member of onestop_reader").isTrue();
            assertThat(rs.getBoolean(3)).as("member of onestop_writer").isFalse();
        }
    }

    @Test
    void theStacksReaderHandleLogsInAsTheReader() throws Exception {
        // LocalStack.reader() is what Grafana's login stands for in every other test of the project. When the embedded
        // server's URL carries user=postgres, this handle is silently the superuser (see asItself).
        assertThat(currentUser(stack.reader())).as("current_user of LocalStack.reader(), URL " + stack.reader().url())
                .isEqualTo(stack.reader().user());
    }

    @AfterAll
    static void stop() throws Exception {
        if (stack != null) {
            stack.close();
        }
    }

    // ------------------------------------------------------------------ running panels like Grafana

    record Result(List<String> names, List<Integer> types, List<List<Object>> rows) {
        int column(String name) {
            return names.indexOf(name);
        }
    }

    static Result run(Database db, String sql) throws SQLException {
        try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            ResultSetMetaData md = rs.getMetaData();
            List<String> names = new ArrayList<>();
            List<Integer> types = new ArrayList<>();
            for (int i = 1; i <= md.getColumnCount(); i++) {
                names.add(md.getColumnLabel(i));
                types.add(md.getColumnType(i));
            }
            List<List<Object>> rows = new ArrayList<>();
            while (rs.next()) {
                List<Object> row = new ArrayList<>();
                for (int i = 1; i <= names.size(); i++) {
                    row.add(rs.getObject(i));
                }
                rows.add(row);
            }
            return new Result(names, types, rows);
        }
    }

    static boolean numeric(int t) {
        return switch (t) {
            case Types.BIGINT, Types.INTEGER, Types.SMALLINT, Types.TINYINT, Types.NUMERIC, Types.DECIMAL, Types.DOUBLE,
                 Types.REAL, Types.FLOAT -> true;
            default -> false;
        };
    }

    static boolean time(int t) {
        return t == Types.TIMESTAMP || t == Types.TIMESTAMP_WITH_TIMEZONE || t == Types.DATE || numeric(t);
    }

    static boolean text(int t) {
        return t == Types.VARCHAR || t == Types.CHAR || t == Types.LONGVARCHAR || t == Types.NVARCHAR || t == Types.OTHER;
    }

    /** Resolves a dashboard's variables in order, each query variable by its own SQL as the reader. */
    static Map<String, List<String>> variableOptions(JsonNode dashboard, Map<String, GrafanaSql.Selection> chosen) throws SQLException {
        Map<String, List<String>> options = new LinkedHashMap<>();
        for (Provisioning.Variable v : Provisioning.variables(dashboard)) {
            List<String> values = new ArrayList<>();
            if (v.type().equals("custom")) {
                for (JsonNode o : v.json().path("options")) {
                    values.add(o.path("value").asText());
                }
            } else if (v.type().equals("query")) {
                String sql = GrafanaSql.expand(v.query(), chosen, range);
                Result r = run(reader, sql);
                int col = r.column("__value") >= 0 ? r.column("__value") : 0;
                for (List<Object> row : r.rows()) {
                    values.add(String.valueOf(row.get(col)));
                }
            } else {
                fail("variable type " + v.type() + " is not handled by this test");
            }
            assertThat(values).as(dashboard.path("uid").asText() + " variable $" + v.name() + " has options").isNotEmpty();
            options.put(v.name(), values);
            // Grafana's default: the first option (or All for include-all); later variables see this one. A switch
            // (custom variable) the caller has already set keeps its position, and the variables after it follow it.
            if (v.type().equals("custom") && chosen.containsKey(v.name())) {
                continue;
            }
            chosen.put(v.name(), v.multi() || v.includeAll() ? GrafanaSql.Selection.multi(List.of(values.get(0)))
                    : GrafanaSql.Selection.single(values.get(0)));
        }
        return options;
    }

    /**
     * The selections to try: every variable at its first option, then each multi variable with two and with all, and
     * each single-valued custom variable (a switch) at each of its other options.
     */
    static List<Map<String, GrafanaSql.Selection>> scenarios(JsonNode dashboard) throws SQLException {
        Map<String, GrafanaSql.Selection> first = new LinkedHashMap<>();
        Map<String, List<String>> options = variableOptions(dashboard, first);
        List<Map<String, GrafanaSql.Selection>> out = new ArrayList<>();
        out.add(first);
        for (Provisioning.Variable v : Provisioning.variables(dashboard)) {
            List<String> opts = options.get(v.name());
            if (v.multi() && opts.size() >= 2) {
                Map<String, GrafanaSql.Selection> two = new LinkedHashMap<>(first);
                two.put(v.name(), GrafanaSql.Selection.multi(opts.subList(0, 2)));
                out.add(two);
            }
            if (!v.multi() && v.type().equals("custom")) {
                // A switch (recorded / restated history): every position of it changes the queries' tables.
                for (String other : opts.subList(1, opts.size())) {
                    // Variables after the switch are resolved again: their options may depend on it (period_type → period).
                    Map<String, GrafanaSql.Selection> switched = new LinkedHashMap<>();
                    switched.put(v.name(), GrafanaSql.Selection.single(other));
                    variableOptions(dashboard, switched);
                    out.add(switched);
                }
            }
            if (v.includeAll()) {
                Map<String, GrafanaSql.Selection> all = new LinkedHashMap<>(first);
                all.put(v.name(), GrafanaSql.Selection.multi(opts));
                out.add(all);
            }
        }
        return out;
    }

    static final Pattern LEFTOVER = Pattern.compile("\\$\\{?\\w+");

    static String expandChecked(Provisioning.Query q, Map<String, GrafanaSql.Selection> vars, GrafanaSql.TimeRange r) {
        String sql = GrafanaSql.expand(q.rawSql(), vars, r);
        Matcher left = LEFTOVER.matcher(SqlRules.code(sql));
        assertThat(left.find()).as(q.where() + ": unexpanded variable or macro left in\n" + sql).isFalse();
        return sql;
    }

    /** The shape Grafana needs for each panel type. */
    static void assertShape(Provisioning.Query q, Result r, String sql) {
        String where = q.where() + "\n" + sql;
        List<Integer> numericCols = new ArrayList<>();
        for (int i = 0; i < r.names().size(); i++) {
            if (numeric(r.types().get(i)) && !r.names().get(i).equals("time")) {
                numericCols.add(i);
            }
        }
        switch (q.panelType()) {
            case "timeseries" -> {
                assertThat(q.format()).as(where).isEqualTo("time_series");
                int t = r.column("time");
                assertThat(t).as(where + ": a column named time").isGreaterThanOrEqualTo(0);
                assertThat(time(r.types().get(t))).as(where + ": time is a timestamp or epoch number").isTrue();
                assertThat(numericCols).as(where + ": numeric value columns").isNotEmpty();
                for (int i = 0; i < r.names().size(); i++) {
                    if (i != t && !numericCols.contains(i)) {
                        assertThat(text(r.types().get(i))).as(where + ": other columns are series labels: " + r.names().get(i)).isTrue();
                    }
                }
                // Grafana refuses long-format frames not sorted by time ascending.
                for (int i = 1; i < r.rows().size(); i++) {
                    assertThat(timeValue(r.rows().get(i).get(t))).as(where + ": rows sorted by time")
                            .isGreaterThanOrEqualTo(timeValue(r.rows().get(i - 1).get(t)));
                }
            }
            case "stat", "gauge", "bargauge", "piechart" -> assertThat(numericCols).as(where + ": numeric columns").isNotEmpty();
            case "barchart" -> {
                assertThat(numericCols).as(where + ": numeric columns").isNotEmpty();
                assertThat(r.types().stream().anyMatch(DashboardQueriesTest::text)).as(where + ": a text axis column").isTrue();
            }
            case "table" -> assertThat(r.names()).as(where).isNotEmpty();
            default -> fail(where + ": panel type " + q.panelType() + " has no shape rule in this test");
        }
    }

    static double timeValue(Object o) {
        if (o instanceof java.sql.Timestamp ts) {
            return ts.getTime() / 1000.0;
        }
        if (o instanceof java.time.OffsetDateTime odt) {
            return odt.toEpochSecond();
        }
        return ((Number) o).doubleValue();
    }

    static boolean anyNumberNotNull(Result r) {
        for (List<Object> row : r.rows()) {
            for (int i = 0; i < row.size(); i++) {
                if (numeric(r.types().get(i)) && row.get(i) != null) {
                    return true;
                }
            }
        }
        return false;
    }

    @Test
    void everyPanelQueryRunsAsTheReadOnlyLoginAndReturnsRowsOfTheRightShape() throws Exception {
        int queries = 0;
        long rows = 0;
        Map<String, Integer> perDashboard = new TreeMap<>();
        List<String> failures = new ArrayList<>();
        for (JsonNode d : Provisioning.dashboards()) {
            String uid = d.path("uid").asText();
            List<Map<String, GrafanaSql.Selection>> scenarios;
            try {
                scenarios = scenarios(d);
            } catch (SQLException | AssertionError e) {
                failures.add(uid + " variables: " + e.getMessage());
                continue;
            }
            for (Map<String, GrafanaSql.Selection> vars : scenarios) {
                for (Provisioning.Query q : Provisioning.queries(d)) {
                    String sql = expandChecked(q, vars, range);
                    try {
                        Result r = run(reader, sql);
                        assertShape(q, r, sql);
                        assertThat(r.rows()).as(q.where() + " with " + vars + " returns rows\n" + sql).isNotEmpty();
                        if (!q.panelType().equals("table")) {
                            assertThat(anyNumberNotNull(r)).as(q.where() + " with " + vars + " has a value\n" + sql).isTrue();
                        }
                        queries++;
                        rows += r.rows().size();
                        perDashboard.merge(uid, 1, Integer::sum);
                    } catch (SQLException | AssertionError e) {
                        failures.add(q.where() + " with " + vars + ": " + e.getMessage());
                    }
                }
            }
        }
        System.out.printf("panel queries run as %s: %d (%s), %,d rows; range %s .. %s%n", reader.user(), queries,
                perDashboard, rows, range.from(), range.to());
        assertThat(failures).as("panel queries that failed").isEmpty();
    }

    /**
     * A dashboard variable is text a viewer can type into the URL. Whatever it holds, the expanded query must stay a
     * single statement in which the value is only ever a quoted literal, and it must run without touching anything.
     */
    @Test
    void dashboardVariablesCannotInjectSql() throws Exception {
        String hostile = "11239') OR 1=1; DROP TABLE kpi_hourly; --";
        int checked = 0;
        for (JsonNode d : Provisioning.dashboards()) {
            Map<String, GrafanaSql.Selection> vars = new LinkedHashMap<>();
            variableOptions(d, vars);
            for (String name : List.copyOf(vars.keySet())) {
                Map<String, GrafanaSql.Selection> evil = new LinkedHashMap<>(vars);
                evil.put(name, vars.get(name).values().size() > 1 || Provisioning.variables(d).stream().anyMatch(v -> v.name().equals(name) && v.multi())
                        ? GrafanaSql.Selection.multi(List.of("11239", hostile)) : GrafanaSql.Selection.single(hostile));
                for (Provisioning.Query q : Provisioning.queries(d)) {
                    if (!q.rawSql().contains("$" + name) && !q.rawSql().contains("${" + name)) {
                        continue;
                    }
                    String sql = GrafanaSql.expand(q.rawSql(), evil, range);
                    String code = SqlRules.code(sql);
                    assertThat(code).as(q.where() + ": the value escaped its literal\n" + sql).doesNotContainIgnoringCase("drop table");
                    assertThat(code.replaceAll(";\\s*$", "")).as(q.where() + ": more than one statement\n" + sql).doesNotContain(";");
                    try {
                        run(reader, sql);
                    } catch (SQLException e) {
                        // A value that is not a valid code may fail a cast; it must never run as SQL.
                        assertThat(e.getSQLState()).as(q.where() + ": " + e.getMessage()).isNotEqualTo("42601");
                    }
                    checked++;
                }
            }
        }
        try (Connection c = stack.admin().connect(); ResultSet rs = c.createStatement().executeQuery("SELECT to_regclass('kpi_hourly') IS NOT NULL")) {
            rs.next();
            assertThat(rs.getBoolean(1)).as("kpi_hourly still exists").isTrue();
        }
        assertThat(checked).as("queries that use a variable").isPositive();
        System.out.printf("variable injection: %d queries expanded with a hostile value, none escaped its literal%n", checked);
    }

    @Test
    void withTheDashboardsDefaultTimeRangeEveryQueryStillRuns() throws Exception {
        // The range a user first sees ends at the wall clock; some panels may legitimately be empty then (a Sunday),
        // but none may fail or change shape.
        List<String> failures = new ArrayList<>();
        for (JsonNode d : Provisioning.dashboards()) {
            String from = d.path("time").path("from").asText();
            Matcher m = Pattern.compile("now-(\\d+)([dhy])").matcher(from);
            assertThat(m.matches()).as(d.path("uid") + " default range " + from).isTrue();
            ChronoUnit unit = switch (m.group(2)) {
                case "h" -> ChronoUnit.HOURS;
                case "d" -> ChronoUnit.DAYS;
                default -> ChronoUnit.YEARS;
            };
            Instant now = Instant.now();
            Instant start = unit == ChronoUnit.YEARS ? now.atZone(VN).minusYears(Long.parseLong(m.group(1))).toInstant()
                    : now.minus(Long.parseLong(m.group(1)), unit);
            GrafanaSql.TimeRange r = new GrafanaSql.TimeRange(start, now);
            Map<String, GrafanaSql.Selection> vars = new LinkedHashMap<>();
            try {
                variableOptions(d, vars);
            } catch (SQLException | AssertionError e) {
                failures.add(d.path("uid") + " variables: " + e.getMessage());
                continue;
            }
            for (Provisioning.Query q : Provisioning.queries(d)) {
                String sql = expandChecked(q, vars, r);
                try {
                    Result res = run(reader, sql);
                    if (!res.rows().isEmpty()) {
                        assertShape(q, res, sql);
                    }
                } catch (SQLException | AssertionError e) {
                    failures.add(q.where() + ": " + e.getMessage());
                }
            }
        }
        assertThat(failures).isEmpty();
    }

    @Test
    void everyAlertRuleQueryRunsAsTheReaderAndGivesOneValuePerUnit() throws Exception {
        int rules = 0;
        for (Provisioning.AlertQuery a : Provisioning.alertQueries()) {
            Result r = run(reader, a.rawSql());
            assertThat(r.rows()).as(a.uid() + " returns a row per unit").isNotEmpty();
            long numericCols = r.types().stream().filter(DashboardQueriesTest::numeric).count();
            // Grafana turns a table into one alert instance per row: string columns are labels, exactly one number.
            assertThat(numericCols).as(a.uid() + " exactly one numeric column").isEqualTo(1);
            assertThat(r.names()).as(a.uid() + " labels").contains("unit_code");
            for (int i = 0; i < r.types().size(); i++) {
                assertThat(numeric(r.types().get(i)) || text(r.types().get(i))).as(a.uid() + " column " + r.names().get(i)).isTrue();
            }
            Set<Object> units = new java.util.HashSet<>();
            for (List<Object> row : r.rows()) {
                assertThat(units.add(row.get(r.column("unit_code")))).as(a.uid() + " one row per unit").isTrue();
            }
            // What the threshold expression C would fire on, for the report.
            JsonNode c = null;
            for (JsonNode d : a.rule().path("data")) {
                if (d.path("refId").asText().equals(a.rule().path("condition").asText())) {
                    c = d.path("model").path("conditions").get(0).path("evaluator");
                }
            }
            assertThat(c).as(a.uid() + " threshold").isNotNull();
            double limit = c.path("params").get(0).asDouble();
            String op = c.path("type").asText();
            int value = (int) r.types().stream().takeWhile(t -> !numeric(t)).count();
            long firing = r.rows().stream().map(row -> row.get(value)).filter(v -> v != null)
                    .mapToDouble(v -> ((Number) v).doubleValue())
                    .filter(v -> op.equals("lt") ? v < limit : v > limit).count();
            System.out.printf("alert %s: %d units evaluated, %d would fire%n", a.uid(), r.rows().size(), firing);
            rules++;
        }
        assertThat(rules).isGreaterThanOrEqualTo(2);
    }

    // ------------------------------------------------------------------ least privilege

    @Test
    void theReadOnlyLoginCannotWriteNorReadDeadLetterPayloads() throws Exception {
        List<String> writes = List.of(
                "INSERT INTO kpi_hourly (unit_code, hour) VALUES ('11239', now())",
                "UPDATE kpi_hourly SET received = received + 1",
                "DELETE FROM kpi_hourly",
                "INSERT INTO dossier (dossier_id, status) VALUES ('x', 'OPEN')",
                "UPDATE dossier SET status = 'LATE'",
                "DELETE FROM dossier",
                "UPDATE sla_alert SET closed_at = now()",
                "DELETE FROM unit",
                "TRUNCATE kpi_hourly",
                "SELECT payload FROM dead_letter LIMIT 1",
                "SELECT count(*) FROM dead_letter");
        try (Connection c = reader.connect(); Statement s = c.createStatement()) {
            List<String> allowed = new ArrayList<>();
            for (String sql : writes) {
                try {
                    s.execute(sql);
                    allowed.add(sql);
                } catch (SQLException e) {
                    // 42501 insufficient_privilege: refused for the role, not for some other reason (syntax, constraint).
                    assertThat(e.getSQLState()).as(sql + ": " + e.getMessage()).isEqualTo("42501");
                }
            }
            assertThat(allowed).as("statements the read-only login was allowed to run").isEmpty();
            // The same login does read what the dashboards need, through the reporting views (so the refusals above are
            // about privilege, not a broken connection).
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM unit_kpi_hourly")) {
                rs.next();
                assertThat(rs.getLong(1)).isPositive();
            }
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM dead_letter_summary")) {
                rs.next();
                assertThat(rs.getLong(1)).as("malformed records were dead-lettered and summarised").isPositive();
            }
        }
        // And nothing changed.
        try (Connection c = stack.admin().connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM dossier WHERE dossier_id = 'x'")) {
            rs.next();
            assertThat(rs.getLong(1)).isZero();
        }
    }

    // ------------------------------------------------------------------ ratios are sums over sums

    /** Per unit and local day: [in time, resolved] from the pipeline's hourly rows, read as the admin. */
    static Map<String, Map<LocalDate, long[]>> onTimeCounts() throws SQLException {
        Map<String, Map<LocalDate, long[]>> out = new HashMap<>();
        try (Connection c = stack.admin().connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT unit_code, hour, resolved_early + resolved_on_time, resolved FROM kpi_hourly")) {
            while (rs.next()) {
                LocalDate day = LocalDate.ofInstant(rs.getTimestamp(2).toInstant(), VN);
                long[] v = out.computeIfAbsent(rs.getString(1), k -> new HashMap<>()).computeIfAbsent(day, k -> new long[2]);
                v[0] += rs.getLong(3);
                v[1] += rs.getLong(4);
            }
        }
        return out;
    }

    static Provisioning.Query panel(String dashboardUid, String title) {
        for (JsonNode d : Provisioning.dashboards()) {
            if (d.path("uid").asText().equals(dashboardUid)) {
                for (Provisioning.Query q : Provisioning.queries(d)) {
                    if (q.panelTitle().equals(title)) {
                        return q;
                    }
                }
            }
        }
        throw new AssertionError("no panel '" + title + "' in " + dashboardUid);
    }

    static JsonNode dashboard(String uid) {
        return Provisioning.dashboards().stream().filter(d -> d.path("uid").asText().equals(uid)).findFirst().orElseThrow();
    }

    @Test
    void theParentsDailyOnTimeRateIsTheSumOverItsCommunesNotTheMeanOfTheirRates() throws Exception {
        Map<String, GrafanaSql.Selection> vars = new LinkedHashMap<>();
        variableOptions(dashboard("onestop-tong-quan"), vars);
        String parent = vars.get("parent").values().get(0);
        Set<String> communes = new java.util.HashSet<>();
        try (Connection c = stack.admin().connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT unit_code FROM unit_closure WHERE ancestor_code = '" + parent + "'")) {
            while (rs.next()) {
                communes.add(rs.getString(1));
            }
        }
        Map<String, Map<LocalDate, long[]>> counts = onTimeCounts();
        Provisioning.Query q = panel("onestop-tong-quan", "Xu hướng các chỉ số (theo ngày)");
        Result r = run(reader, GrafanaSql.expand(q.rawSql(), vars, range));
        assertThat(r.rows()).isNotEmpty();
        int days = 0;
        int daysWhereTheMeanDiffers = 0;
        for (List<Object> row : r.rows()) {
            LocalDate day = LocalDate.ofInstant(((java.sql.Timestamp) row.get(r.column("time"))).toInstant(), VN);
            long inTime = 0;
            long resolved = 0;
            double sumOfRates = 0;
            int unitsWithRate = 0;
            for (String u : communes) {
                long[] v = counts.getOrDefault(u, Map.of()).get(day);
                if (v != null && v[1] > 0) {
                    inTime += v[0];
                    resolved += v[1];
                    sumOfRates += (double) v[0] / v[1];
                    unitsWithRate++;
                }
            }
            Object shown = row.get(r.column("Đúng hạn"));
            if (resolved == 0) {
                assertThat(shown).as(day + ": no dossier resolved, no rate").isNull();
                continue;
            }
            double expected = (double) inTime / resolved;
            assertThat(((Number) shown).doubleValue()).as(day + " on-time rate of " + parent).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-9));
            if (Math.abs(sumOfRates / unitsWithRate - expected) > 1e-6) {
                daysWhereTheMeanDiffers++;
            }
            days++;
        }
        assertThat(days).as("days with resolved dossiers in the range").isGreaterThan(5);
        // Otherwise this data could not tell a sum of counts from a mean of rates.
        assertThat(daysWhereTheMeanDiffers).as("days where averaging unit rates would give another number").isPositive();
    }

    @Test
    void aMultiValuedUnitSelectionSumsTheSelectedUnitsCounts() throws Exception {
        JsonNode d = dashboard("onestop-don-vi");
        Map<String, GrafanaSql.Selection> first = new LinkedHashMap<>();
        Map<String, List<String>> options = variableOptions(d, first);
        // Two units that served citizens in the range: the picker starts at the top of the hierarchy (Hải Phòng) and
        // also offers units the simulated district has no dossiers for (Việt Hòa, Tứ Minh), whose sum proves nothing.
        Map<String, Map<LocalDate, long[]>> withCounts = onTimeCounts();
        List<String> two = options.get("unit").stream().filter(u -> withCounts.getOrDefault(u, Map.of()).keySet().stream()
                .anyMatch(day -> !day.isBefore(LocalDate.ofInstant(range.from(), VN)) && !day.isAfter(LocalDate.ofInstant(range.to(), VN))))
                .limit(2).toList();
        assertThat(two).hasSize(2);
        Map<String, GrafanaSql.Selection> vars = new LinkedHashMap<>(first);
        vars.put("unit", GrafanaSql.Selection.multi(two));
        Provisioning.Query q = panel("onestop-don-vi", "Tỷ lệ đúng hạn");
        String sql = GrafanaSql.expand(q.rawSql(), vars, range);
        assertThat(sql).contains("IN ('" + two.get(0) + "','" + two.get(1) + "')");
        Result r = run(reader, sql);

        LocalDate d0 = LocalDate.ofInstant(range.from(), VN);
        LocalDate d1 = LocalDate.ofInstant(range.to(), VN);
        long inTime = 0;
        long resolved = 0;
        Map<String, Map<LocalDate, long[]>> counts = onTimeCounts();
        for (String u : two) {
            for (Map.Entry<LocalDate, long[]> e : counts.getOrDefault(u, Map.of()).entrySet()) {
                if (!e.getKey().isBefore(d0) && !e.getKey().isAfter(d1)) {
                    inTime += e.getValue()[0];
                    resolved += e.getValue()[1];
                }
            }
        }
        assertThat(resolved).isPositive();
        assertThat(((Number) r.rows().get(0).get(0)).doubleValue()).as("on-time rate of " + two)
                .isCloseTo((double) inTime / resolved, org.assertj.core.data.Offset.offset(1e-9));
    }
}

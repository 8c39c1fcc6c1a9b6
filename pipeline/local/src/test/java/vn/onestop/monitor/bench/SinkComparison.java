package vn.onestop.monitor.bench;

import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.connector.jdbc.JdbcConnectionOptions;
import org.apache.flink.connector.jdbc.JdbcExecutionOptions;
import org.apache.flink.connector.jdbc.core.datastream.sink.JdbcSink;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import vn.onestop.monitor.MonitorConfig;
import vn.onestop.monitor.kpi.Measure;
import vn.onestop.monitor.kpi.UnitHourCounts;
import vn.onestop.monitor.local.LocalStack;
import vn.onestop.monitor.sink.Database;
import vn.onestop.monitor.sink.Rows;
import vn.onestop.monitor.sink.UpsertSink;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * One side-by-side run (docs/OPERATIONS.md, "Why the job writes PostgreSQL with its own sink"): the same bounded
 * stream of {@code kpi_hourly} updates written once by the job's {@link UpsertSink} ({@link Rows.KpiHourly}) and
 * once by flink-connector-jdbc's {@link JdbcSink} with the same upsert statement, batch size and interval, on a
 * MiniCluster against the embedded PostgreSQL of {@link LocalStack}. Prints rows/s, the rows PostgreSQL wrote
 * (pg_stat_user_tables n_tup_ins + n_tup_upd of kpi_hourly) and whether both leave the same table. A measurement to
 * run by hand, not a test: it asserts nothing about time.
 *
 * <p>Arguments: {@code [updates=500000] [keys=2000]}. The updates come from one source subtask in order and are
 * keyed by unit-hour to the sink (parallelism 2), as the job's hourly aggregation feeds its sink: every key's
 * updates arrive in order at one sink subtask, so both sinks must end with the newest value of every key.
 */
public final class SinkComparison {
    static final int PARALLELISM = 2;
    static final int BATCH = 5_000;
    static final long INTERVAL_MS = 200;
    static final long BASE_HOUR = 1_767_225_600_000L; // 2026-01-01T00:00Z
    static final int UNITS = 200;

    public static void main(String[] args) throws Exception {
        long updates = args.length > 0 ? Long.parseLong(args[0]) : 500_000;
        int keys = args.length > 1 ? Integer.parseInt(args[1]) : 2_000;
        MonitorConfig cfg = MonitorConfig.defaults()
                .with("data-dir", Files.createTempDirectory("onestop-sinkcmp").toString());
        try (LocalStack stack = LocalStack.start(cfg)) {
            Database job = stack.job();
            Database admin = stack.admin();
            rewriteProbe(admin);

            // Warm-up of both paths (JIT, class loading, MiniCluster start), not measured.
            run("warm-up own", ownSink(job), 20_000, keys);
            run("warm-up jdbc", jdbcSink(job), 20_000, keys);

            truncate(admin);
            Result own = measure("UpsertSink (project)", ownSink(job), updates, keys, admin);
            String ownTable = table(admin);
            truncate(admin);
            Result jdbc = measure("JdbcSink (flink-connector-jdbc 4.0.0-2.0)", jdbcSink(job), updates, keys, admin);
            String jdbcTable = table(admin);

            System.out.printf("%n%,d updates over %,d unit-hour keys, sink parallelism %d, batch %,d, interval %d ms%n",
                    updates, keys, PARALLELISM, BATCH, INTERVAL_MS);
            System.out.printf("%-42s %12s %12s %20s%n", "sink", "wall s", "rows/s", "PostgreSQL rows written");
            for (Result r : new Result[] {own, jdbc}) {
                System.out.printf("%-42s %12.2f %,12.0f %,20d%n", r.name, r.seconds, updates / r.seconds, r.pgRows);
            }
            System.out.printf("final kpi_hourly equal: %s (%,d rows each; newest value expected for every key: %s)%n",
                    ownTable.equals(jdbcTable), rowCount(ownTable), ownTable.equals(expected(updates, keys)));
        }
    }

    record Result(String name, double seconds, long pgRows) {}

    static Sink<UnitHourCounts> ownSink(Database db) {
        return new UpsertSink<>(db, new Rows.KpiHourly(), Duration.ofMillis(INTERVAL_MS), BATCH, Duration.ofMinutes(2));
    }

    /** The connector's sink with the job's own statement and binding; the driver's defaults (no batch rewriting). */
    static Sink<UnitHourCounts> jdbcSink(Database db) {
        Rows.KpiHourly statement = new Rows.KpiHourly();
        return JdbcSink.<UnitHourCounts>builder()
                .withQueryStatement(statement.sql(), statement::bind)
                .withExecutionOptions(JdbcExecutionOptions.builder()
                        .withBatchSize(BATCH).withBatchIntervalMs(INTERVAL_MS).withMaxRetries(3).build())
                .buildAtLeastOnce(new JdbcConnectionOptions.JdbcConnectionOptionsBuilder()
                        .withUrl(db.url()).withDriverName("org.postgresql.Driver")
                        .withUsername(db.user()).withPassword(db.password()).build());
    }

    static Result measure(String name, Sink<UnitHourCounts> sink, long updates, int keys, Database admin) throws Exception {
        long before = pgRows(admin);
        double seconds = run(name, sink, updates, keys);
        long written = pgRows(admin) - before;
        return new Result(name, seconds, written);
    }

    static double run(String name, Sink<UnitHourCounts> sink, long updates, int keys) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(PARALLELISM);
        env.fromSequence(0, updates - 1).setParallelism(1).name("updates")
                .map(i -> update(i, keys)).setParallelism(1).name("to-row")
                .keyBy(r -> r.unitCode + '|' + r.hourStart)
                .sinkTo(sink).name(name);
        long start = System.nanoTime();
        JobExecutionResult r = env.execute(name);
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("%s: %.2f s wall (%d ms net job runtime)%n", name, seconds, r.getNetRuntime());
        return seconds;
    }

    /** The j-th update of key {@code i % keys}: absolute counts that grow with j. */
    static UnitHourCounts update(long i, int keys) {
        int k = (int) (i % keys);
        long j = i / keys + 1;
        long[] counts = new long[Measure.COUNT];
        for (int m = 0; m < counts.length; m++) {
            counts[m] = j * (m + 1);
        }
        return new UnitHourCounts(String.format("BENCH-%03d", k % UNITS), BASE_HOUR + (long) (k / UNITS) * 3_600_000L, counts);
    }

    /** Every key's newest value, as the table should hold it, in the form {@link #table} reads. */
    static String expected(long updates, int keys) {
        java.util.TreeMap<String, String> rows = new java.util.TreeMap<>();
        for (long i = Math.max(0, updates - keys); i < updates; i++) {
            UnitHourCounts r = update(i, keys);
            String key = r.unitCode + '|' + r.hourStart;
            rows.put(key, key + '|' + Arrays.stream(r.counts).mapToObj(Long::toString).collect(Collectors.joining("|")));
        }
        return String.join("\n", rows.values());
    }

    static String table(Database admin) throws SQLException {
        String cols = Arrays.stream(Measure.values()).map(Measure::column).collect(Collectors.joining(", "));
        java.util.TreeMap<String, String> rows = new java.util.TreeMap<>();
        try (Connection c = admin.connect(); ResultSet rs = c.createStatement().executeQuery(
                "SELECT unit_code, (extract(epoch FROM hour) * 1000)::bigint, " + cols + " FROM kpi_hourly")) {
            while (rs.next()) {
                String key = rs.getString(1) + '|' + rs.getLong(2);
                StringBuilder b = new StringBuilder(key);
                for (int m = 0; m < Measure.COUNT; m++) {
                    b.append('|').append(rs.getLong(3 + m));
                }
                rows.put(key, b.toString());
            }
        }
        return String.join("\n", rows.values());
    }

    static long rowCount(String table) {
        return table.isEmpty() ? 0 : table.split("\n").length;
    }

    static void truncate(Database admin) throws SQLException {
        try (Connection c = admin.connect()) {
            c.createStatement().execute("TRUNCATE kpi_hourly");
        }
    }

    static long pgRows(Database admin) throws Exception {
        Thread.sleep(1_500); // backends report their statistics when idle or closing, at most once a second
        try (Connection c = admin.connect(); ResultSet rs = c.createStatement().executeQuery(
                "SELECT coalesce(sum(n_tup_ins + n_tup_upd), 0) FROM pg_stat_user_tables WHERE relname = 'kpi_hourly'")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * Why the connector runs with the driver's defaults: the job's connections rewrite batches into multi-row
     * INSERTs (reWriteBatchedInserts, {@link Database#connect}), which the coalesced batches allow; an uncoalesced
     * batch holding one key twice is then one statement touching a row twice. Prints what PostgreSQL answers.
     */
    static void rewriteProbe(Database admin) throws SQLException {
        Rows.KpiHourly statement = new Rows.KpiHourly();
        try (Connection c = admin.connect()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(statement.sql())) {
                for (long j = 1; j <= 2; j++) {
                    statement.bind(ps, update((j - 1) * 2_000, 2_000)); // key 0, updates 1 and 2
                    ps.addBatch();
                }
                ps.executeBatch();
                System.out.println("rewrite probe: a rewritten batch with one key twice was accepted");
            } catch (SQLException e) {
                SQLException cause = e.getNextException() != null ? e.getNextException() : e;
                String msg = String.valueOf(cause.getMessage());
                System.out.println("rewrite probe: a rewritten batch with one key twice fails: SQLSTATE " + cause.getSQLState()
                        + " " + msg.lines().findFirst().orElse(""));
            } finally {
                c.rollback();
            }
        }
    }
}

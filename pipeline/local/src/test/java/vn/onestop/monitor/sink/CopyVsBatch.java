package vn.onestop.monitor.sink;

import vn.onestop.monitor.MonitorConfig;
import vn.onestop.monitor.ingest.DossierEvent;
import vn.onestop.monitor.kpi.DossierRow;
import vn.onestop.monitor.kpi.DossierStatus;
import vn.onestop.monitor.kpi.Measure;
import vn.onestop.monitor.kpi.UnitHourCounts;
import vn.onestop.monitor.local.LocalStack;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.LongFunction;

/**
 * PostgreSQL's CPU per row written, JDBC batch against bulk load (COPY into the staging table and one
 * {@code INSERT … SELECT … ON CONFLICT}), through the sink's own {@link SinkSession} (the code the writer threads run)
 * on the embedded PostgreSQL of {@link LocalStack}. A measurement run by hand (docs/OPERATIONS.md, sink section), not
 * a test; it asserts nothing about time, but it does compare the tables both paths leave (every column but
 * {@code updated_at}) and says whether they are equal.
 *
 * <p>PostgreSQL's CPU is read from /proc: the postmaster's own and reaped children's time plus that of its live
 * children (backends, WAL writer, checkpointer, autovacuum), as the bench's CpuSampler does. The client's CPU is the
 * driver thread's (binding, COPY text, JDBC), which is the sink writer thread's work.
 *
 * <p>Arguments: {@code [rows=500000] [sweepRows=40000]}. Runs, each on an emptied table, batch then COPY, twice:
 * {@code dossier}: {@code rows} new dossiers in flushes of 50,000 (a bounded run's dossier sink), then the same
 * dossiers again (the conflict branch); {@code kpi_hourly}: {@code rows} updates of rows/10 unit-hour keys in
 * flushes of 5,000 distinct keys (the first tenth inserts). Then a sweep of flush sizes on {@code kpi_hourly}
 * and {@code dossier} ({@code sweepRows} rows each) to place the threshold from which COPY pays.
 */
public final class CopyVsBatch {
    static final long T = 1_717_200_000_000L; // 2024-06-01T00:00Z
    static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    public static void main(String[] args) throws Exception {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 500_000;
        int sweepRows = args.length > 1 ? Integer.parseInt(args[1]) : 40_000;
        MonitorConfig cfg = MonitorConfig.defaults().with("data-dir", Files.createTempDirectory("onestop-copy").toString());
        try (LocalStack stack = LocalStack.start(cfg)) {
            if (!stack.embeddedPostgres()) {
                throw new IllegalStateException("needs the embedded PostgreSQL (its CPU is read from /proc)");
            }
            Path pgData = stack.dataDir().resolve("postgres");
            CopyVsBatch m = new CopyVsBatch(stack.job(), stack.admin(), pgData);
            // Warm-up (JIT, server caches), not reported.
            for (int copyMin : new int[] {Integer.MAX_VALUE, 1}) {
                m.run("dossier", new Rows.Dossier(), i -> dossier(i, 0), 20_000, 5_000, copyMin, true);
                m.run("kpi_hourly", new Rows.KpiHourly(), i -> counts(i, 2_000), 20_000, 1_000, copyMin, true);
            }
            System.out.printf("%n%-34s %-6s %9s %8s %10s %12s %12s %9s  %s%n", "workload", "path", "rows", "flushes",
                    "wall s", "PG µs/row", "client µs/row", "PG s", "load average before / after");
            String dossierTable = null;
            String kpiTable = null;
            for (int round = 0; round < 2; round++) {
                for (int copyMin : new int[] {Integer.MAX_VALUE, UpsertSink.BULK_LOAD_MIN_ROWS}) {
                    m.truncate("dossier");
                    m.run("dossier new (flush 50,000)", new Rows.Dossier(), i -> dossier(i, 0), rows, 50_000, copyMin, false);
                    m.run("dossier again (conflict branch)", new Rows.Dossier(), i -> dossier(i, 1), rows, 50_000, copyMin, false);
                    String d = m.dump("dossier");
                    System.out.printf("    dossier table %s%n", dossierTable == null ? "digest " + d
                            : dossierTable.equals(d) ? "equal to the first run's" : "DIFFERS from the first run's (" + d + ")");
                    dossierTable = dossierTable == null ? d : dossierTable;

                    m.truncate("kpi_hourly");
                    int keys = Math.max(rows / 10, 5_000); // at least one flush of distinct keys, as coalescing guarantees
                    m.run("kpi_hourly updates (flush 5,000)", new Rows.KpiHourly(), i -> counts(i, keys), rows, 5_000, copyMin, false);
                    String k = m.dump("kpi_hourly");
                    System.out.printf("    kpi_hourly table %s%n", kpiTable == null ? "digest " + k
                            : kpiTable.equals(k) ? "equal to the first run's" : "DIFFERS from the first run's (" + k + ")");
                    kpiTable = kpiTable == null ? k : kpiTable;
                }
            }
            System.out.printf("%nFlush-size sweep (%,d rows per run; keys = 8 flushes' worth, so 1/8 inserts, the rest updates)%n", sweepRows);
            for (int flush : new int[] {16, 64, 128, 256, 1_024, 4_096}) {
                for (int copyMin : new int[] {Integer.MAX_VALUE, 1}) {
                    m.truncate("kpi_hourly");
                    m.run("kpi_hourly flush " + flush, new Rows.KpiHourly(), i -> counts(i, flush * 8), sweepRows, flush, copyMin, false);
                }
                for (int copyMin : new int[] {Integer.MAX_VALUE, 1}) {
                    m.truncate("dossier");
                    final int keys = flush * 8;
                    m.run("dossier flush " + flush, new Rows.Dossier(), i -> dossier(i % keys, (int) (i / keys)), sweepRows, flush, copyMin, false);
                }
            }
        }
    }

    private final Database job;
    private final Database admin;
    private final Path postmasterPid;

    CopyVsBatch(Database job, Database admin, Path pgData) {
        this.job = job;
        this.admin = admin;
        this.postmasterPid = pgData.resolve("postmaster.pid");
    }

    /** Writes {@code total} rows, {@code flush} distinct keys per transaction, as the writer thread would. */
    <T> void run(String name, UpsertStatement<T> statement, LongFunction<T> row, int total, int flush, int copyMin, boolean quiet) throws Exception {
        String loadBefore = Files.readString(Path.of("/proc/loadavg")).trim();
        try (SinkSession<T> session = new SinkSession<>(job, statement, copyMin)) {
            // Rows are made before the clocks start: only binding and writing are measured.
            List<List<T>> batches = new ArrayList<>();
            for (long i = 0; i < total; i += flush) {
                List<T> batch = new ArrayList<>(flush);
                for (long j = i; j < Math.min(total, i + flush); j++) {
                    batch.add(row.apply(j));
                }
                batches.add(batch);
            }
            long pg0 = postgresTicks();
            long cpu0 = THREADS.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            for (List<T> batch : batches) {
                session.write(batch);
            }
            long cpu = THREADS.getCurrentThreadCpuTime() - cpu0;
            double wall = (System.nanoTime() - t0) / 1e9;
            Thread.sleep(300); // the WAL writer's and stats' follow-up work of this run, not of the next
            double pg = (postgresTicks() - pg0) / 100.0;
            if (!quiet) {
                System.out.printf("%-34s %-6s %,9d %,8d %10.2f %12.2f %12.2f %9.2f  %s / %s%n", name,
                        copyMin == Integer.MAX_VALUE ? "batch" : "COPY", total, batches.size(), wall, pg * 1e6 / total,
                        cpu / 1e3 / total, pg, loadBefore.substring(0, loadBefore.lastIndexOf(' ', loadBefore.lastIndexOf(' ') - 1)),
                        loadAvg());
            }
        }
    }

    static String loadAvg() throws IOException {
        String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
        return f[0] + " " + f[1] + " " + f[2];
    }

    void truncate(String table) throws SQLException {
        try (Connection c = admin.connect(); Statement s = c.createStatement()) {
            s.execute("TRUNCATE " + table);
        }
    }

    /** SHA-256 and row count of the table's rows in key order, every column but updated_at. */
    String dump(String table) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        long n = 0;
        String order = table.equals("dossier") ? "dossier_id" : "unit_code, hour";
        try (Connection c = admin.connect(); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            s.setFetchSize(10_000);
            try (ResultSet rs = s.executeQuery("SELECT * FROM " + table + " ORDER BY " + order)) {
                int cols = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    for (int i = 1; i <= cols; i++) {
                        if (!rs.getMetaData().getColumnName(i).equals("updated_at")) {
                            sha.update(String.valueOf(rs.getString(i)).getBytes(java.nio.charset.StandardCharsets.UTF_8));
                            sha.update((byte) 0);
                        }
                    }
                    n++;
                }
            }
        }
        return String.format("%,d rows, sha256 %s", n, HexFormat.of().formatHex(sha.digest()).substring(0, 16));
    }

    /** The postmaster's CPU ticks with its reaped children's, plus its live children's (/proc, USER_HZ = 100). */
    long postgresTicks() throws IOException {
        int pid = Integer.parseInt(Files.readString(postmasterPid).lines().findFirst().orElseThrow().trim());
        long ticks = ticks(Files.readString(Path.of("/proc/" + pid + "/stat")), -1);
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), p -> p.getFileName().toString().matches("\\d+"))) {
            for (Path p : procs) {
                try {
                    ticks += ticks(Files.readString(p.resolve("stat")), pid);
                } catch (IOException gone) {
                    // an exited backend: its time is in the postmaster's reaped children now
                }
            }
        }
        return ticks;
    }

    /** utime + stime + cutime + cstime of a stat line, or 0 when its parent is not {@code parent} (-1: any). */
    static long ticks(String stat, int parent) {
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" +");
        if (parent != -1 && Integer.parseInt(f[1]) != parent) {
            return 0;
        }
        return Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13]) + Long.parseLong(f[14]);
    }

    /** Update {@code i} of a kpi_hourly stream over {@code keys} unit-hours: absolute counts that grow with each round. */
    static UnitHourCounts counts(long i, int keys) {
        int k = (int) (i % keys);
        long round = i / keys + 1;
        long[] c = new long[Measure.COUNT];
        for (int m = 0; m < c.length; m++) {
            c[m] = round * (m + 1) + k % 7;
        }
        return new UnitHourCounts(String.format("000.00.%05d.H23", 11000 + k % 300), T + (long) (k / 300) * 3_600_000L, c);
    }

    /** Dossier {@code i} in version {@code v}: a realistic row (a third ended, some supplements, NULLs where open). */
    static DossierRow dossier(long i, int v) {
        DossierRow r = new DossierRow();
        r.dossierId = String.format("000.00.%05d.H23-%07d", 11000 + i % 300, i);
        r.unitCode = String.format("000.00.%05d.H23", 11000 + i % 300);
        r.procedureCode = "1.00" + (i % 97) + ".000.00.00.H23";
        r.channel = i % 3 == 0 ? "ONLINE" : "DIRECT";
        r.receivedAt = T + i * 1_000L;
        r.dueAt = r.receivedAt + 3 * 86_400_000L;
        r.effectiveDueAt = r.dueAt + (i % 5 == 0 ? 7_200_000L : 0);
        r.supplementRequests = (int) (i % 5 == 0 ? 1 : 0);
        r.waitingSupplement = i % 5 == 0 && v == 0;
        r.pausedMs = i % 5 == 0 ? 7_200_000L : 0;
        boolean ended = (i + v) % 3 == 0;
        r.status = ended ? (i % 2 == 0 ? DossierStatus.ON_TIME : DossierStatus.LATE) : DossierStatus.OPEN;
        r.endedAt = ended ? r.receivedAt + 2 * 86_400_000L + v : DossierEvent.NO_TIME;
        r.endType = ended ? "RESOLVED" : null;
        r.digitised = i % 2 == 0;
        r.resultDigitised = ended && i % 4 == 0;
        r.apologyDueAt = DossierEvent.NO_TIME;
        r.lastEventAt = r.receivedAt + 3_600_000L * (v + 1);
        r.eventsApplied = 2 + v;
        r.resolvedAt = r.endedAt;
        r.returnedAt = ended ? r.endedAt + 3_600_000L : DossierEvent.NO_TIME;
        r.stoppedAt = DossierEvent.NO_TIME;
        r.withdrawnAt = DossierEvent.NO_TIME;
        r.supplementRequestedAt = i % 5 == 0 ? new long[] {r.receivedAt + 3_600_000L} : new long[0];
        r.supplementSuppliedAt = i % 5 == 0 ? new long[] {v == 0 ? DossierEvent.NO_TIME : r.receivedAt + 10_800_000L} : new long[0];
        r.onlineMode = i % 3 == 0 ? "FULL" : null;
        r.syncedToPortal = i % 2 == 1;
        r.electronicResult = ended;
        r.reusedData = false;
        r.personalDataStore = i % 7 == 0;
        r.vneid = i % 3 == 0;
        r.payments = (int) (i % 2);
        r.paymentAmount = i % 2 == 0 ? 0 : 50_000L;
        r.paidOnline = i % 6 == 1;
        return r;
    }
}

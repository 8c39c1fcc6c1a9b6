package vn.onestop.monitor.review;

import vn.onestop.monitor.MonitorConfig;
import vn.onestop.monitor.local.LocalPostgres;
import vn.onestop.monitor.sink.Database;
import vn.onestop.monitor.sink.Schema;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code make review PERIOD=2024-03|2024-Q1|2024 [OUT=dir]}: writes {@code review-<period>.html} and
 * {@code review-<period>.csv} from the unit_review view. With JDBC_URL it reads that database (a reader login is
 * enough); without, it opens the embedded PostgreSQL that {@code make replay} fills ({@code <DATA_DIR>/replay}),
 * bringing its schema up to date first.
 */
public final class ReviewReport {
    private ReviewReport() {}

    /** What one report run wrote. */
    public record Written(Path html, Path csv, int units) {}

    public static void main(String[] args) throws Exception {
        String period = System.getenv("PERIOD");
        String out = firstNonBlank(System.getenv("REPORT_DIR"), System.getenv("OUT"), "reports");
        List<String> rest = new ArrayList<>();
        for (String a : args) {
            if (a.startsWith("--period=")) {
                period = a.substring("--period=".length());
            } else if (a.startsWith("--out=")) {
                out = a.substring("--out=".length());
            } else {
                rest.add(a);
            }
        }
        if (period == null || period.isBlank()) {
            System.err.println("Which period? e.g. make review PERIOD=2024-03 (a month), PERIOD=2024-Q1 (a quarter) or PERIOD=2024 (a year)");
            System.exit(2);
        }
        ReviewPeriod p;
        try {
            p = ReviewPeriod.parse(period);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        try {
            Written w = write(MonitorConfig.fromEnvironment(rest.toArray(String[]::new)), p, Path.of(out));
            System.out.println("review " + p.label() + ": " + w.units() + " units");
            System.out.println("  " + w.html().toAbsolutePath());
            System.out.println("  " + w.csv().toAbsolutePath());
            System.out.println("  " + Index766Report.csvFile(w.csv().getParent(), p).toAbsolutePath());
        } catch (IllegalStateException e) {
            System.err.println(e.getMessage());
            System.exit(1);
        }
    }

    private static Written write(MonitorConfig cfg, ReviewPeriod p, Path out) throws Exception {
        Written w;
        if (cfg.jdbcUrl() != null) {
            w = write(new Database(cfg.jdbcUrl(), cfg.jdbcUser(), cfg.jdbcPassword()), p, out);
        } else {
            Path pgData = cfg.dataDir().resolve("replay").resolve("postgres");
            if (!Files.isDirectory(pgData)) {
                throw new IllegalStateException("No database: " + pgData + " does not exist. Fill it with make replay (see make dataset), "
                        + "or point JDBC_URL / JDBC_USER / JDBC_PASSWORD at the monitor's database.");
            }
            try (LocalPostgres pg = LocalPostgres.start(pgData, 0)) {
                Database admin = pg.admin();
                Schema.migrate(admin);
                w = write(admin, p, out);
            }
        }
        return w;
    }

    /** Reads the period's review and writes both files into {@code dir}; fails when the period has no data. */
    public static Written write(Database db, ReviewPeriod period, Path dir) throws Exception {
        try (Connection c = db.connect()) {
            ReviewQuery q = new ReviewQuery(c);
            List<ReviewRow> rows = q.rows(period);
            if (rows.isEmpty()) {
                List<String> available = q.availablePeriods(period.type());
                throw new IllegalStateException("No data for " + period.label() + ". Periods with data: "
                        + (available.isEmpty() ? "none (has make replay run?)" : String.join(", ", available)));
            }
            Map<String, Map<ReviewPeriod, BigDecimal>> trends = q.recentTotals(period, ReviewHtml.TREND_PERIODS);
            String generated = ZonedDateTime.now(vn.onestop.monitor.ingest.LocalClock.ZONE).format(DateTimeFormatter.ofPattern("dd/MM/yyyy HH:mm"));
            Map<String, String> names = unitNames(c, period);
            Map<String, List<Predecessor>> predecessors = q.predecessors(period, ReviewHtml.TREND_PERIODS);
            String html = ReviewHtml.render(period, rows, trends, names, predecessors, generated,
                    Index766Report.write(c, period, names, dir));
            Files.createDirectories(dir);
            Path htmlFile = dir.resolve("review-" + period.label() + ".html");
            Path csvFile = dir.resolve("review-" + period.label() + ".csv");
            Files.writeString(htmlFile, html, StandardCharsets.UTF_8);
            Files.writeString(csvFile, ReviewCsv.render(rows, predecessors), StandardCharsets.UTF_8);
            return new Written(htmlFile, csvFile, rows.size());
        }
    }

    /** Names of the units as they are on the period's last day (a reused code names the unit of that day). */
    private static Map<String, String> unitNames(Connection c, ReviewPeriod period) throws SQLException {
        Map<String, String> names = new HashMap<>();
        try (java.sql.PreparedStatement ps = c.prepareStatement("SELECT code, name FROM unit_version "
                + "WHERE valid_from <= ? AND (valid_to IS NULL OR valid_to >= ?)")) {
            java.sql.Date day = java.sql.Date.valueOf(period.end().minusDays(1));
            ps.setDate(1, day);
            ps.setDate(2, day);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    names.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        return names;
    }

    private static String firstNonBlank(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v;
            }
        }
        return null;
    }
}

package vn.onestop.monitor.local;

import vn.onestop.monitor.ingest.LocalClock;
import vn.onestop.monitor.sink.Database;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;

/**
 * The terminal summary of {@code make run}: per commune valid today, today's intake and the last 30 local days' KPIs,
 * read from PostgreSQL exactly as a dashboard would (ratios from summed counts), plus the parent unit's totals.
 */
public final class LiveTable {
    // Today's units (unit_version valid on the local day): a reused code shows the unit it names today, a merged
    // commune no longer appears. Communes with something recorded in the window or an open dossier, and their
    // parents; counts roll up by the parent valid on each day (unit_kpi_daily_rollup), open dossiers by the parent
    // valid today (for a commune that has ended: as of its last day, unit_registry_day).
    private static final String QUERY = """
        WITH today AS (SELECT ?::date AS day),
        k AS (
            SELECT d.unit_code,
                   sum(d.received) FILTER (WHERE d.day = t.day) AS received_today,
                   sum(d.received) AS received, sum(d.received_online) AS online, sum(d.received_digitised) AS digitised,
                   sum(d.resolved) AS resolved, sum(d.resolved_early + d.resolved_on_time) AS on_time,
                   sum(d.results_digitised) AS results_digitised, sum(d.ratings) AS ratings, sum(d.ratings_satisfied) AS satisfied
            FROM unit_kpi_daily_rollup d, today t
            WHERE d.day > t.day - 30 AND d.day <= t.day
            GROUP BY d.unit_code),
        o AS (
            SELECT c.ancestor_code AS unit_code, count(*) AS overdue
            FROM dossier x, today t, unit_closure_dated c
            WHERE c.unit_code = x.unit_code AND unit_registry_day(x.unit_code, t.day) BETWEEN c.valid_from AND c.valid_to
              AND x.status = 'OPEN' AND x.effective_due_at < ?
            GROUP BY c.ancestor_code),
        valid AS (
            SELECT v.code, v.name, v.level, v.parent_code
            FROM unit_version v, today t
            WHERE v.valid_from <= t.day AND (v.valid_to IS NULL OR v.valid_to >= t.day)),
        shown AS (
            SELECT u.* FROM valid u
            WHERE u.level = 'COMMUNE'
              AND (EXISTS (SELECT 1 FROM k WHERE k.unit_code = u.code) OR EXISTS (SELECT 1 FROM o WHERE o.unit_code = u.code)))
        SELECT u.code, u.name, u.level, coalesce(k.received_today, 0), coalesce(k.received, 0), coalesce(k.resolved, 0),
               k.on_time::numeric / nullif(k.resolved, 0), k.online::numeric / nullif(k.received, 0),
               k.digitised::numeric / nullif(k.received, 0), k.results_digitised::numeric / nullif(k.resolved, 0),
               k.satisfied::numeric / nullif(k.ratings, 0), coalesce(o.overdue, 0)
        FROM valid u LEFT JOIN k ON k.unit_code = u.code LEFT JOIN o ON o.unit_code = u.code
        WHERE u.code IN (SELECT code FROM shown) OR u.code IN (SELECT parent_code FROM shown)
        ORDER BY (u.level = 'COMMUNE') DESC, u.code
        """;

    private LiveTable() {}

    public static String render(Database db, Instant asOf, String header) throws SQLException {
        LocalDate today = LocalClock.day(asOf.toEpochMilli());
        StringBuilder out = new StringBuilder();
        out.append(header).append('\n');
        out.append(String.format("%-26s %6s %8s %8s %8s %7s %7s %7s %7s %7s%n",
                "Đơn vị (unit)", "Today", "30d rcv", "Resolved", "On-time", "Online", "Dig.in", "Dig.out", "Satisf.", "Overdue"));
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(QUERY)) {
            ps.setObject(1, today);
            ps.setTimestamp(2, Timestamp.from(asOf));
            try (ResultSet rs = ps.executeQuery()) {
                boolean separated = false;
                while (rs.next()) {
                    if (!"COMMUNE".equals(rs.getString(3)) && !separated) {
                        out.append("-".repeat(104)).append('\n');
                        separated = true;
                    }
                    String name = rs.getString(2);
                    out.append(String.format("%-26s %6d %8d %8d %8s %7s %7s %7s %7s %7d%n",
                            name.length() > 26 ? name.substring(0, 26) : name,
                            rs.getLong(4), rs.getLong(5), rs.getLong(6),
                            pct(rs.getBigDecimal(7)), pct(rs.getBigDecimal(8)), pct(rs.getBigDecimal(9)),
                            pct(rs.getBigDecimal(10)), pct(rs.getBigDecimal(11)), rs.getLong(12)));
                }
            }
        }
        return out.toString();
    }

    /** Open alerts by kind, e.g. "3 overdue, 5 at risk, 1 KPI below target". */
    public static String openAlerts(Database db) throws SQLException {
        long overdue = 0;
        long atRisk = 0;
        long kpi = 0;
        try (Connection c = db.connect(); ResultSet rs = c.createStatement().executeQuery(
                "SELECT kind, count(*) FROM sla_alert WHERE closed_at IS NULL GROUP BY kind")) {
            while (rs.next()) {
                switch (rs.getString(1)) {
                    case "DOSSIER_OVERDUE" -> overdue = rs.getLong(2);
                    case "DOSSIER_AT_RISK" -> atRisk = rs.getLong(2);
                    default -> kpi = rs.getLong(2);
                }
            }
        }
        StringBuilder out = new StringBuilder(String.format("Open alerts: %d overdue, %d at risk, %d KPI below target", overdue, atRisk, kpi));
        try (Connection c = db.connect(); ResultSet rs = c.createStatement().executeQuery(
                "SELECT a.unit_code, u.name, a.kpi, a.value, a.target FROM sla_alert a JOIN unit u ON u.code = a.unit_code "
                        + "WHERE a.kind = 'KPI_BELOW_TARGET' AND a.closed_at IS NULL ORDER BY a.opened_at DESC LIMIT 5")) {
            while (rs.next()) {
                out.append(String.format("%n  %s: %s %.1f%% < %.1f%%", rs.getString(2), rs.getString(3),
                        rs.getDouble(4) * 100, rs.getDouble(5) * 100));
            }
        }
        return out.toString();
    }

    public static long deadLetters(Database db) throws SQLException {
        try (Connection c = db.connect(); ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM dead_letter")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static String pct(java.math.BigDecimal ratio) {
        return ratio == null ? "-" : String.format("%.1f%%", ratio.doubleValue() * 100);
    }

    static String localTime(Instant t) {
        return DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(LocalClock.ZONE).format(t);
    }
}

package vn.onestop.monitor.review;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads the review views (V10): a period's rows, a unit's recent totals and predecessors, the periods that have
 * data. Everything is read on the units valid on the period's last day.
 */
public final class ReviewQuery {
    private final Connection connection;

    public ReviewQuery(Connection connection) {
        this.connection = connection;
    }

    /** Every unit's row for the period, ranking groups together and in rank order. */
    public List<ReviewRow> rows(ReviewPeriod period) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT * FROM unit_review WHERE period_type = ? AND period_start = ? "
                        + "ORDER BY parent_code NULLS FIRST, unit_level, rank")) {
            ps.setString(1, period.type().sqlName());
            ps.setDate(2, Date.valueOf(period.start()));
            List<ReviewRow> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(row(rs, period));
                }
            }
            return out;
        }
    }

    /**
     * unit code → period → total points, for the {@code count} periods ending with {@code period}, every one of them
     * read on the units valid at {@code period}'s end (restated: a new unit's trend is its predecessors'). Periods in
     * which a unit had nothing to measure are left out (a gap in the trend, not 0 points). At most 6 periods: the
     * view computes the six a report shows (V10, review_measured_period).
     */
    public Map<String, Map<ReviewPeriod, BigDecimal>> recentTotals(ReviewPeriod period, int count) throws SQLException {
        List<ReviewPeriod> periods = period.lastPeriods(count);
        Map<String, Map<ReviewPeriod, BigDecimal>> out = new HashMap<>();
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT unit_code, measured_start, total_points FROM unit_review_score "
                        + "WHERE period_type = ? AND period_start = ? AND lag < ? AND has_data")) {
            ps.setString(1, period.type().sqlName());
            ps.setDate(2, Date.valueOf(period.start()));
            ps.setInt(3, periods.size());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.computeIfAbsent(rs.getString(1), k -> new TreeMap<>(
                                    (a, b) -> a.start().compareTo(b.start())))
                            .put(new ReviewPeriod(period.type(), rs.getObject(2, LocalDate.class)), rs.getBigDecimal(3));
                }
            }
        }
        return out;
    }

    /**
     * successor code → the units whose history it took over in a succession that took effect after the first of the
     * {@code count} periods ending with {@code period} began and no later than the period's last day: the
     * predecessors whose restated counts the review's previous rank and trend read. One step back only (a chain of
     * two reorganisations in the window names the last one's predecessors).
     */
    public Map<String, List<Predecessor>> predecessors(ReviewPeriod period, int count) throws SQLException {
        LocalDate structureDay = period.end().minusDays(1);
        LocalDate windowStart = period.lastPeriods(count).get(0).start();
        Map<String, List<Predecessor>> out = new TreeMap<>();
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT s.successor_code, s.predecessor_code, pv.name, s.effective_from, s.share "
                        + "FROM unit_succession s "
                        + "JOIN unit_version sv ON sv.code = s.successor_code AND sv.valid_from <= s.effective_from "
                        + " AND (sv.valid_to IS NULL OR sv.valid_to >= ?) "
                        + "JOIN unit_version pv ON pv.code = s.predecessor_code AND pv.valid_from <= s.effective_from - 1 "
                        + " AND (pv.valid_to IS NULL OR pv.valid_to >= s.effective_from - 1) "
                        + "WHERE s.effective_from > ? AND s.effective_from <= ? "
                        + "ORDER BY s.successor_code, s.effective_from, s.share DESC, s.predecessor_code")) {
            ps.setDate(1, Date.valueOf(structureDay));
            ps.setDate(2, Date.valueOf(windowStart));
            ps.setDate(3, Date.valueOf(structureDay));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(new Predecessor(rs.getString(2),
                            rs.getString(3), rs.getObject(4, LocalDate.class), rs.getBigDecimal(5)));
                }
            }
        }
        return out;
    }

    /** Labels of the periods of a type that have data, newest first (for a helpful error message). */
    public List<String> availablePeriods(ReviewPeriod.Type type) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT period_label FROM review_period WHERE period_type = ? ORDER BY period_start DESC")) {
            ps.setString(1, type.sqlName());
            List<String> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        }
    }

    private static ReviewRow row(ResultSet rs, ReviewPeriod period) throws SQLException {
        Map<Indicator, BigDecimal> points = new EnumMap<>(Indicator.class);
        for (Indicator i : Indicator.values()) {
            points.put(i, rs.getBigDecimal("points_" + i.code()));
        }
        return new ReviewRow(
                rs.getString("unit_code"), rs.getString("unit_name"), rs.getString("unit_level"), rs.getString("parent_code"),
                period,
                count(rs, "received"), count(rs, "resolved"), count(rs, "resolved_in_time"), count(rs, "resolved_late"),
                count(rs, "open_at_end"), count(rs, "open_within_deadline"), count(rs, "ratings"),
                ratio(rs, "on_time_rate"), ratio(rs, "online_share"), ratio(rs, "intake_digitisation"),
                ratio(rs, "result_digitisation"), ratio(rs, "satisfaction"), ratio(rs, "progress_ratio"),
                ratio(rs, "overdue_rate"), ratio(rs, "dissatisfied_rate"), ratio(rs, "satisfaction_index"),
                points, rs.getBigDecimal("total_points"), (Integer) rs.getObject("rank"),
                (Integer) rs.getObject("previous_rank"), (Integer) rs.getObject("rank_change"),
                rs.getString("weakest_indicator"));
    }

    /** A restated count: whole numbers without a trailing ".000", a split's fraction as it is. */
    private static BigDecimal count(ResultSet rs, String column) throws SQLException {
        BigDecimal v = rs.getBigDecimal(column);
        v = v.stripTrailingZeros();
        return v.scale() < 0 ? v.setScale(0) : v;
    }

    private static Double ratio(ResultSet rs, String column) throws SQLException {
        BigDecimal v = rs.getBigDecimal(column);
        return v == null ? null : v.doubleValue();
    }
}

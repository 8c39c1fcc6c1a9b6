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

/** Reads the unit_review view: a period's rows, a unit's recent totals, the periods that have data. */
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

    /** unit code → period → total points, for the {@code count} periods ending with {@code period}. */
    public Map<String, Map<ReviewPeriod, BigDecimal>> recentTotals(ReviewPeriod period, int count) throws SQLException {
        List<ReviewPeriod> periods = period.lastPeriods(count);
        Map<String, Map<ReviewPeriod, BigDecimal>> out = new HashMap<>();
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT unit_code, period_start, total_points FROM unit_review "
                        + "WHERE period_type = ? AND period_start BETWEEN ? AND ?")) {
            ps.setString(1, period.type().sqlName());
            ps.setDate(2, Date.valueOf(periods.get(0).start()));
            ps.setDate(3, Date.valueOf(period.start()));
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
                rs.getLong("received"), rs.getLong("resolved"), rs.getLong("resolved_in_time"), rs.getLong("resolved_late"),
                rs.getLong("open_at_end"), rs.getLong("open_within_deadline"), rs.getLong("ratings"),
                ratio(rs, "on_time_rate"), ratio(rs, "online_share"), ratio(rs, "intake_digitisation"),
                ratio(rs, "result_digitisation"), ratio(rs, "satisfaction"), ratio(rs, "progress_ratio"),
                ratio(rs, "overdue_rate"), ratio(rs, "dissatisfied_rate"), ratio(rs, "satisfaction_index"),
                points, rs.getBigDecimal("total_points"), (Integer) rs.getObject("rank"),
                (Integer) rs.getObject("previous_rank"), (Integer) rs.getObject("rank_change"),
                rs.getString("weakest_indicator"));
    }

    private static Double ratio(ResultSet rs, String column) throws SQLException {
        BigDecimal v = rs.getBigDecimal(column);
        return v == null ? null : v.doubleValue();
    }
}

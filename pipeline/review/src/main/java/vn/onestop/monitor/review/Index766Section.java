package vn.onestop.monitor.review;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The national index of Decision 766 (docs/INDEX766.md) in the control review: per unit the points of every
 * indicator the views compute, the total with its maximum, and the rank among its peers (same parent and level, as
 * the review ranks). Read from {@code unit_index_766} / {@code unit_index_766_total}; the set of indicators is
 * whatever the view holds for the period (migrations add indicators), never a fixed list.
 */
public final class Index766Section {
    /** One indicator of one unit: value is NULL when the indicator has nothing to measure (zero denominator). */
    public record Score(BigDecimal value, BigDecimal points, BigDecimal maxPoints) {}

    /** One unit's row. rank is 1-based within {@code parentCode} and {@code level}. */
    public record Row(String unitCode, String unitName, String level, String parentCode, Map<String, Score> scores,
                      BigDecimal totalPoints, BigDecimal maxPoints, int rank) {}

    private final ReviewPeriod period;
    private final List<Row> rows;
    private final List<String> indicators;

    private Index766Section(ReviewPeriod period, List<Row> rows) {
        this.period = period;
        this.rows = rows;
        TreeSet<String> ids = new TreeSet<>(INDICATOR_ORDER);
        rows.forEach(r -> ids.addAll(r.scores().keySet()));
        this.indicators = List.copyOf(ids);
    }

    public List<Row> rows() {
        return rows;
    }

    /** The indicators present, in the index's order (1.4, 2.1, 3.3, 3.5.1, …, 5.4). */
    public List<String> indicators() {
        return indicators;
    }

    /**
     * Short Vietnamese names for the table's header (docs/INDEX766.md's table); an indicator not named here is shown
     * by its id alone, so a migration adding indicators needs no change here.
     */
    static final Map<String, String> NAMES = Map.ofEntries(
            Map.entry("1.4", "Đồng bộ hồ sơ"), Map.entry("2.1", "Tiến độ giải quyết"),
            Map.entry("3.1", "TTHC cung cấp trực tuyến"), Map.entry("3.2", "DVC trực tuyến có hồ sơ"),
            Map.entry("3.3", "Tiếp nhận trực tuyến"), Map.entry("3.5.1", "TTHC thanh toán trực tuyến"),
            Map.entry("3.5.2", "TTHC có dữ liệu phí"), Map.entry("3.6", "Hồ sơ thanh toán trực tuyến"),
            Map.entry("4.1", "Kết quả điện tử"), Map.entry("4.2", "Số hoá hồ sơ"), Map.entry("4.3", "Tái sử dụng dữ liệu"),
            Map.entry("4.4", "Kho dữ liệu cá nhân"), Map.entry("4.5.1", "Hồ sơ dùng VNeID / CSDL dân cư"),
            Map.entry("4.5.2", "TTHC dùng dữ liệu dân cư"), Map.entry("5.4", "Mức độ hài lòng"));

    /** "3.5.1" before "3.6" before "4.5.1": numeric, part by part. */
    static final Comparator<String> INDICATOR_ORDER = (a, b) -> {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.min(x.length, y.length); i++) {
            int c = Integer.compare(Integer.parseInt(x[i]), Integer.parseInt(y[i]));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(x.length, y.length);
    };

    /**
     * The period's rows, every unit with a row in unit_index_766_total. Rank: more total points first; a tie goes
     * to more 2.1 points, then to the smaller unit code (the review's own tie rule). Name, level and parent are the
     * unit version's of the period's last day.
     */
    public static Index766Section load(Connection c, ReviewPeriod period) throws SQLException {
        String type = period.type().sqlName().toUpperCase(java.util.Locale.ROOT);
        Map<String, Map<String, Score>> scores = new TreeMap<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT unit_code, indicator, value, points, max_points FROM unit_index_766 WHERE period_type = ? AND period = ?")) {
            ps.setString(1, type);
            ps.setString(2, period.label());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    scores.computeIfAbsent(rs.getString(1), k -> new TreeMap<>(INDICATOR_ORDER))
                            .put(rs.getString(2), new Score(rs.getBigDecimal(3), rs.getBigDecimal(4), rs.getBigDecimal(5)));
                }
            }
        }
        List<Row> rows = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT t.unit_code, coalesce(u.name, t.unit_code), coalesce(u.level, ''), u.parent_code, t.points, t.max_points,"
                        + " row_number() OVER (PARTITION BY u.parent_code, u.level ORDER BY t.points DESC, p.points DESC NULLS LAST, t.unit_code)"
                        + " FROM unit_index_766_total t"
                        // peers as on the period's last day (the code's last version before it, for a unit that
                        // ended within the period), as the views place dossiers by day (V15) and the review ranks (V10)
                        + " JOIN index_766_period ip ON ip.period_type = t.period_type AND ip.period = t.period"
                        + " LEFT JOIN LATERAL (SELECT v.name, v.level, v.parent_code FROM unit_version v WHERE v.code = t.unit_code"
                        + "   AND v.valid_from <= (ip.ends_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date - 1"
                        + "   ORDER BY v.valid_from DESC LIMIT 1) u ON true"
                        + " LEFT JOIN unit_index_766 p ON p.unit_code = t.unit_code AND p.period_type = t.period_type"
                        + "   AND p.period = t.period AND p.indicator = '2.1'"
                        + " WHERE t.period_type = ? AND t.period = ?"
                        + " ORDER BY u.parent_code NULLS FIRST, u.level, 7")) {
            ps.setString(1, type);
            ps.setString(2, period.label());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            scores.getOrDefault(rs.getString(1), Map.of()), rs.getBigDecimal(5), rs.getBigDecimal(6), rs.getInt(7)));
                }
            }
        }
        return new Index766Section(period, rows);
    }

    /** The section of the HTML report: one table per ranking group, the same grouping as the review's. */
    public String html(Map<String, String> names) {
        StringBuilder h = new StringBuilder(16_000);
        h.append("<section id=\"index-766\">\n<h2>Chỉ số 766 (cách tính quốc gia) — ").append(ReviewHtml.escape(period.vietnamese()))
                .append("</h2>\n");
        if (rows.isEmpty()) {
            h.append("<p class=\"nodata\">").append(ReviewHtml.NO_DATA).append("</p>\n</section>\n");
            return h.toString();
        }
        Map<String, List<Row>> groups = new LinkedHashMap<>();
        for (Row r : rows) {
            groups.computeIfAbsent((r.parentCode() == null ? "" : r.parentCode()) + "|" + r.level(), k -> new ArrayList<>()).add(r);
        }
        List<List<Row>> ordered = new ArrayList<>(groups.values());
        ordered.sort(Comparator.<List<Row>>comparingInt(List::size).reversed()
                .thenComparing(g -> g.get(0).parentCode() == null ? "" : g.get(0).parentCode()));
        for (List<Row> group : ordered) {
            Row first = group.get(0);
            h.append("<h3>Các đơn vị ").append(ReviewHtml.levelName(first.level()));
            if (first.parentCode() != null) {
                h.append(" thuộc ").append(ReviewHtml.escape(names.getOrDefault(first.parentCode(), first.parentCode())));
            }
            h.append("</h3>\n<table class=\"index-766\">\n<thead><tr><th>Hạng</th><th class=\"unit\">Đơn vị</th>");
            for (String i : indicators) {
                BigDecimal max = group.stream().map(r -> r.scores().get(i)).filter(java.util.Objects::nonNull)
                        .map(Score::maxPoints).findFirst().orElse(null);
                h.append("<th>").append(ReviewHtml.escape(i));
                if (NAMES.containsKey(i)) {
                    h.append(' ').append(ReviewHtml.escape(NAMES.get(i)));
                }
                h.append("<br><small>tối đa ").append(ReviewHtml.points(max)).append("</small></th>");
            }
            h.append("<th>Tổng điểm</th><th>Tối đa</th><th>Còn thiếu</th></tr></thead>\n<tbody>\n");
            for (Row r : group) {
                h.append("<tr data-unit=\"").append(ReviewHtml.escape(r.unitCode())).append("\"><td class=\"num rank\">").append(r.rank())
                        .append("</td><td class=\"unit\"><span class=\"name\">").append(ReviewHtml.escape(r.unitName()))
                        .append("</span> <span class=\"code\">").append(ReviewHtml.escape(r.unitCode())).append("</span></td>");
                for (String i : indicators) {
                    Score s = r.scores().get(i);
                    h.append("<td class=\"num\" data-indicator=\"").append(ReviewHtml.escape(i)).append("\" title=\"")
                            .append(s == null || s.value() == null ? "không có hồ sơ" : ReviewHtml.percent(s.value().doubleValue()))
                            .append("\">").append(s == null ? "—" : ReviewHtml.points(s.points())).append("</td>");
                }
                h.append("<td class=\"num total\" data-indicator=\"total\">").append(ReviewHtml.points(r.totalPoints())).append("</td>")
                        .append("<td class=\"num\" data-indicator=\"max\">").append(ReviewHtml.points(r.maxPoints())).append("</td>")
                        .append("<td class=\"num\">").append(ReviewHtml.points(r.maxPoints().subtract(r.totalPoints()))).append("</td></tr>\n");
            }
            h.append("</tbody>\n</table>\n");
        }
        h.append("<p class=\"sub\">Điểm theo cách tính của Cổng Dịch vụ công quốc gia cho các chỉ tiêu tính được từ dữ liệu hồ sơ ")
                .append("(docs/INDEX766.md); \"tối đa\" là tổng điểm tối đa của các chỉ tiêu đó, không phải 100. Hạng: trong cùng đơn vị cấp trên ")
                .append("và cùng cấp, bằng điểm thì hơn điểm 2.1 xếp trên, rồi mã đơn vị nhỏ hơn. Di chuột lên ô để xem tỷ lệ.</p>\n");
        h.append("</section>\n");
        return h.toString();
    }

    public static final List<String> CSV_HEADER = List.of("unit_code", "unit_name", "unit_level", "parent_code", "period",
            "indicator", "value", "points", "max_points", "rank");

    /**
     * review-&lt;period&gt;-766.csv: one row per unit and indicator, then the unit's "total" row carrying the rank
     * (long format, because the set of indicators grows with the views). Same conventions as ReviewCsv.
     */
    public String csv() {
        StringBuilder b = new StringBuilder(ReviewCsv.BOM).append(String.join(",", CSV_HEADER)).append("\r\n");
        for (Row r : rows) {
            for (Map.Entry<String, Score> e : r.scores().entrySet()) {
                line(b, r, e.getKey(), e.getValue().value() == null ? "" : e.getValue().value().toPlainString(),
                        e.getValue().points(), e.getValue().maxPoints(), "");
            }
            line(b, r, "total", "", r.totalPoints(), r.maxPoints(), Integer.toString(r.rank()));
        }
        return b.toString();
    }

    private void line(StringBuilder b, Row r, String indicator, String value, BigDecimal points, BigDecimal max, String rank) {
        List<String> f = List.of(r.unitCode(), r.unitName(), r.level(), r.parentCode() == null ? "" : r.parentCode(), period.label(),
                indicator, value, plain(points), plain(max), rank);
        List<String> quoted = new ArrayList<>(f.size());
        f.forEach(s -> quoted.add(ReviewCsv.quote(s)));
        b.append(String.join(",", quoted)).append("\r\n");
    }

    static String plain(BigDecimal p) {
        return p == null ? "" : p.setScale(2, java.math.RoundingMode.HALF_UP).toPlainString();
    }
}

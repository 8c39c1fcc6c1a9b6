package vn.onestop.monitor.review;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The control review as one self-contained HTML page in Vietnamese: per ranking group (units with the same parent
 * and level) a ranking chart, and a table of every unit's indicators coloured against their targets, its points,
 * rank, change of rank and the trend of its total over the last six periods. Inline CSS and SVG only; the page's
 * Content-Security-Policy forbids loading anything, so a stray external reference shows up as a browser error.
 */
public final class ReviewHtml {
    /** Shown instead of figures for a unit with nothing to measure in the period ("no data yet"). */
    static final String NO_DATA = "chưa có số liệu";

    static final int TREND_PERIODS = 6;

    private ReviewHtml() {}

    /**
     * @param rows   every unit's row for the period (any order)
     * @param trends unit code → period → total points over the last {@link #TREND_PERIODS} periods
     * @param names  unit code → name, for naming the parent of each ranking group
     */
    public static String render(ReviewPeriod period, List<ReviewRow> rows, Map<String, Map<ReviewPeriod, BigDecimal>> trends,
                                Map<String, String> names, String generatedAt) {
        return render(period, rows, trends, names, Map.of(), generatedAt, "");
    }

    /**
     * @param predecessors successor code → the units whose history it took over within the trend's periods: named
     *                     under the unit, since its previous rank and trend are read from their restated counts
     */
    public static String render(ReviewPeriod period, List<ReviewRow> rows, Map<String, Map<ReviewPeriod, BigDecimal>> trends,
                                Map<String, String> names, Map<String, List<Predecessor>> predecessors, String generatedAt) {
        return render(period, rows, trends, names, predecessors, generatedAt, "");
    }

    /** @param sections more sections of the page, after the rankings (the national index: Index766Report) */
    public static String render(ReviewPeriod period, List<ReviewRow> rows, Map<String, Map<ReviewPeriod, BigDecimal>> trends,
                                Map<String, String> names, Map<String, List<Predecessor>> predecessors, String generatedAt,
                                String sections) {
        List<ReviewPeriod> trendPeriods = period.lastPeriods(TREND_PERIODS);
        StringBuilder h = new StringBuilder(64_000);
        h.append("<!DOCTYPE html>\n<html lang=\"vi\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>Kiểm điểm chất lượng phục vụ ").append(escape(period.vietnamese())).append("</title>\n")
                .append("<style>").append(CSS).append("</style>\n</head>\n<body>\n");
        h.append("<header><h1>Báo cáo kiểm điểm chất lượng phục vụ — ").append(escape(period.vietnamese())).append("</h1>\n")
                .append("<p class=\"sub\">Bộ phận một cửa · 5 chỉ tiêu của Bộ chỉ số theo Quyết định 766/QĐ-TTg (tối đa 42 điểm) · ")
                .append("kỳ ").append(escape(period.label())).append(" (").append(period.start()).append(" đến hết ")
                .append(period.end().minusDays(1)).append(", giờ Việt Nam) · lập lúc ").append(escape(generatedAt)).append("</p>\n")
                .append("</header>\n");

        Map<String, List<ReviewRow>> groups = new LinkedHashMap<>();
        List<ReviewRow> sorted = new ArrayList<>(rows);
        // Unranked units (nothing to measure) after the ranked ones, by code.
        sorted.sort(Comparator.comparing(ReviewRow::rankingGroup)
                .thenComparing(ReviewRow::rank, Comparator.nullsLast(Comparator.naturalOrder())).thenComparing(ReviewRow::unitCode));
        for (ReviewRow r : sorted) {
            groups.computeIfAbsent(r.rankingGroup(), k -> new ArrayList<>()).add(r);
        }
        // The biggest groups (communes within their district) are what a review is about: they come first.
        List<List<ReviewRow>> ordered = new ArrayList<>(groups.values());
        ordered.sort(Comparator.<List<ReviewRow>>comparingInt(List::size).reversed().thenComparing(g -> g.get(0).rankingGroup()));

        for (List<ReviewRow> group : ordered) {
            ReviewRow first = group.get(0);
            String parent = first.parentCode() == null ? null : names.getOrDefault(first.parentCode(), first.parentCode());
            h.append("<section>\n<h2>Xếp hạng các đơn vị ").append(levelName(first.unitLevel()));
            if (parent != null) {
                h.append(" thuộc ").append(escape(parent));
            }
            h.append(" <span class=\"count\">(").append(group.size()).append(" đơn vị)</span></h2>\n");
            List<ReviewRow> ranked = group.stream().filter(ReviewRow::isRanked).toList();
            if (!ranked.isEmpty()) {
                h.append(RankingChart.svg(ranked)).append('\n');
            }
            table(h, group, trendPeriods, trends, predecessors);
            h.append("</section>\n");
        }
        h.append(sections);
        h.append(footnote(trendPeriods));
        h.append("</body>\n</html>\n");
        return h.toString();
    }

    private static void table(StringBuilder h, List<ReviewRow> group, List<ReviewPeriod> trendPeriods,
                              Map<String, Map<ReviewPeriod, BigDecimal>> trends, Map<String, List<Predecessor>> predecessors) {
        h.append("<table>\n<thead><tr><th>Hạng</th><th>Thay đổi</th><th class=\"unit\">Đơn vị</th>")
                .append("<th>Tiếp nhận</th><th>Đã giải quyết</th><th>Đúng hạn</th>");
        for (Indicator i : Indicator.values()) {
            h.append("<th>").append(i.number()).append(' ').append(escape(i.vietnamese())).append("<br><small>tối đa ")
                    .append(i.maxPoints()).append("</small></th>");
        }
        h.append("<th>Tổng điểm</th><th>Hạng kỳ trước</th><th>Chỉ tiêu mất nhiều điểm nhất</th><th>Xu hướng ")
                .append(trendPeriods.size()).append(" kỳ</th></tr></thead>\n<tbody>\n");
        List<Map<ReviewPeriod, BigDecimal>> groupTrends = new ArrayList<>();
        group.forEach(r -> groupTrends.add(trends.get(r.unitCode())));
        double floor = Sparkline.floor(groupTrends);
        for (ReviewRow r : group) {
            if (!r.isRanked()) {
                noData(h, r, trendPeriods, trends, floor, predecessors);
                continue;
            }
            h.append("<tr><td class=\"num rank\">").append(r.rank()).append("</td><td class=\"change\">")
                    .append(rankChange(r.rankChange())).append("</td><td class=\"unit\"><span class=\"name\">")
                    .append(escape(r.unitName())).append("</span> <span class=\"code\">").append(escape(r.unitCode())).append("</span>")
                    .append(restatedFrom(predecessors.get(r.unitCode()))).append("</td>")
                    .append("<td class=\"num\">").append(count(r.received())).append("</td>")
                    .append("<td class=\"num\">").append(count(r.resolved())).append("</td>")
                    .append("<td class=\"num\">").append(percent(r.onTimeRate())).append("</td>");
            for (Indicator i : Indicator.values()) {
                h.append("<td class=\"num ").append(i.standing(r.ratio(i)).cssClass()).append("\">")
                        .append(percent(r.ratio(i))).append("<br><b>").append(points(r.points(i))).append("</b></td>");
            }
            h.append("<td class=\"num total\">").append(points(r.totalPoints())).append("</td>")
                    .append("<td class=\"num\">").append(r.previousRank() == null ? "—" : r.previousRank().toString()).append("</td>")
                    .append("<td>").append(r.weakestIndicator() == null ? "—" : weakest(r.weakestIndicator())).append("</td>")
                    .append("<td>").append(Sparkline.svg(trendPeriods, trends.get(r.unitCode()), floor)).append("</td></tr>\n");
        }
        h.append("</tbody>\n</table>\n");
    }

    /**
     * A unit with nothing to measure in the period: its 0 points would rank it among units that served citizens, so
     * it is listed without rank, points or colours, as "chưa có số liệu" (no data yet).
     */
    private static void noData(StringBuilder h, ReviewRow r, List<ReviewPeriod> trendPeriods,
                               Map<String, Map<ReviewPeriod, BigDecimal>> trends, double floor,
                               Map<String, List<Predecessor>> predecessors) {
        h.append("<tr class=\"unranked\"><td class=\"num rank\">—</td><td class=\"change\">—</td><td class=\"unit\"><span class=\"name\">")
                .append(escape(r.unitName())).append("</span> <span class=\"code\">").append(escape(r.unitCode())).append("</span>")
                .append(restatedFrom(predecessors.get(r.unitCode()))).append("</td>")
                .append("<td class=\"nodata\" colspan=\"").append(3 + Indicator.values().length + 3).append("\">")
                .append(NO_DATA).append("</td>")
                .append("<td>").append(Sparkline.svg(trendPeriods, trends.get(r.unitCode()), floor)).append("</td></tr>\n");
    }

    private static String footnote(List<ReviewPeriod> trendPeriods) {
        StringBuilder f = new StringBuilder("<footer>\n<h3>Cách tính</h3>\n<ul>\n");
        f.append("<li><b>2.1 Tiến độ</b> = 20 × (hồ sơ giải quyết sớm và đúng hạn trong kỳ + hồ sơ còn hạn chưa giải quyết cuối kỳ) ÷ ")
                .append("(hồ sơ giải quyết trong kỳ + hồ sơ chưa giải quyết cuối kỳ).</li>\n")
                .append("<li><b>3.3 Trực tuyến</b> = min(6; 6 × tỷ lệ ÷ 50%). <b>4.2 Số hoá hồ sơ</b> = min(4; 4 × tỷ lệ ÷ 80%). ")
                .append("<b>4.1 Số hoá kết quả</b> = 6 × tỷ lệ.</li>\n")
                .append("<li><b>5.4 Hài lòng</b> = min(6; 6 × r ÷ 90%), r = 1 − (tỷ lệ hồ sơ trễ hạn trong số đã giải quyết + ")
                .append("tỷ lệ đánh giá không hài lòng, rất không hài lòng). Ô 5.4 hiển thị r.</li>\n")
                .append("<li>Chỉ tiêu không có hồ sơ (mẫu số bằng 0) được 0 điểm. Tỷ lệ luôn tính từ tổng số đếm.</li>\n")
                .append("<li>Xếp hạng trong cùng đơn vị cấp trên và cùng cấp; bằng điểm thì hơn điểm 2.1 xếp trên, rồi mã đơn vị nhỏ hơn.</li>\n")
                .append("<li>Đơn vị không có hồ sơ và đánh giá nào trong kỳ: ").append(NO_DATA).append(", không xếp hạng.</li>\n")
                .append("<li>Màu: <span class=\"met\">đạt</span> (≥ mục tiêu: 2.1 95%, 3.3 50%, 4.2 80%, 4.1 90%, 5.4 90%), ")
                .append("<span class=\"near\">gần đạt</span> (thiếu dưới 10 điểm phần trăm), <span class=\"below\">chưa đạt</span>, ")
                .append("<span class=\"nodata\">không có dữ liệu</span>. ▲ lên hạng, ▼ xuống hạng so với kỳ trước.</li>\n")
                .append("<li>Đơn vị và nhóm xếp hạng theo địa giới hành chính tại ngày cuối kỳ. Số liệu của đơn vị tiền thân ")
                .append("(trước sắp xếp, sáp nhập) được quy đổi về đơn vị hiện nay theo tỷ lệ kế thừa; hạng kỳ trước và xu hướng ")
                .append("là hạng, điểm của chính nhóm đơn vị hiện nay tính trên số liệu đã quy đổi.</li>\n")
                .append("<li>Xu hướng: tổng điểm các kỳ ").append(escape(trendPeriods.get(0).label())).append(" đến ")
                .append(escape(trendPeriods.get(trendPeriods.size() - 1).label())).append(" (thang từ mức thấp nhất của nhóm đến 42).</li>\n")
                .append("</ul>\n</footer>\n");
        return f.toString();
    }

    static String rankChange(Integer change) {
        if (change == null) {
            return "<span class=\"new\">mới</span>";
        }
        if (change > 0) {
            return "<span class=\"up\">▲ " + change + "</span>";
        }
        if (change < 0) {
            return "<span class=\"down\">▼ " + (-change) + "</span>";
        }
        return "<span class=\"same\">=</span>";
    }

    static String weakest(String code) {
        Indicator i = Indicator.ofCode(code);
        return i.number() + " " + escape(i.vietnamese());
    }

    static String levelName(String level) {
        return switch (level) {
            case "PROVINCE" -> "cấp tỉnh";
            case "DISTRICT" -> "cấp huyện";
            case "COMMUNE" -> "cấp xã";
            default -> escape(level);
        };
    }

    /** Vietnamese number style: decimal comma, two decimals. */
    static String points(BigDecimal p) {
        return p == null ? "—" : p.setScale(2, RoundingMode.HALF_UP).toPlainString().replace('.', ',');
    }

    static String percent(Double ratio) {
        return ratio == null ? "—" : String.format(Locale.ROOT, "%.1f%%", ratio * 100).replace('.', ',');
    }

    /** Vietnamese style: "1.234"; a split unit's restated count keeps one decimal ("12,5"). */
    static String count(long n) {
        return count(BigDecimal.valueOf(n));
    }

    static String count(BigDecimal n) {
        if (n.stripTrailingZeros().scale() <= 0) {
            return String.format(Locale.ROOT, "%,d", n.longValue()).replace(',', '.');
        }
        return String.format(Locale.ROOT, "%,.1f", n).replace(',', ' ').replace('.', ',').replace(' ', '.');
    }

    /**
     * Under a unit whose history is restated: "Số liệu trước 01/07/2025 quy đổi từ: Thị trấn Thanh Miện (11239), …".
     * Empty for a unit without predecessors in the trend's periods.
     */
    static String restatedFrom(List<Predecessor> list) {
        if (list == null || list.isEmpty()) {
            return "";
        }
        StringBuilder b = new StringBuilder("<br><small class=\"restated\">");
        java.time.LocalDate shown = null;
        for (Predecessor p : list) {
            if (!p.effectiveFrom().equals(shown)) {
                b.append(shown == null ? "" : "; ").append("Số liệu trước ")
                        .append(p.effectiveFrom().format(java.time.format.DateTimeFormatter.ofPattern("dd/MM/yyyy")))
                        .append(" quy đổi từ: ");
                shown = p.effectiveFrom();
            } else {
                b.append(", ");
            }
            b.append(escape(p.label()));
        }
        return b.append("</small>").toString();
    }

    static String escape(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    private static final String CSS = """
            body{font-family:"DejaVu Sans","Noto Sans","Segoe UI",Arial,sans-serif;margin:24px;color:#1d2733;font-size:13px}
            h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px}.count{color:#667;font-weight:normal}
            .sub{color:#556;margin:0 0 8px}
            table{border-collapse:collapse;width:100%;margin-top:8px}
            th,td{border:1px solid #d5dbe3;padding:4px 6px;vertical-align:middle}
            th{background:#eef2f7;font-weight:600;font-size:12px}
            td.num{text-align:right;white-space:nowrap}td.unit{white-space:nowrap}.code{color:#889;font-size:11px}
            td.total{font-weight:700;font-size:14px}td.rank{font-weight:700}
            .met{background:#dcf2e1}.near{background:#fdf1cf}.below{background:#f9d9d5}.nodata{background:#eceff3;color:#889}
            .restated{color:#556;white-space:normal}.up{color:#1a7f37;font-weight:700}.down{color:#c62828;font-weight:700}.same{color:#667}.new{color:#667;font-style:italic}
            svg text{font-family:inherit}.legend{font-size:12px}.label{font-size:12px}.total{font-size:12px;font-weight:700}
            .axis{font-size:10px;fill:#667}.grid{stroke:#e3e7ed;stroke-width:1}
            .spark-line{fill:none;stroke:#1f5fa8;stroke-width:1.5}.spark-axis{stroke:#d5dbe3}.spark-end{fill:#1f5fa8}
            footer{margin-top:28px;color:#445;font-size:12px}footer span{padding:0 4px}
            @media print{body{margin:8mm}section{break-inside:avoid}}
            """;
}

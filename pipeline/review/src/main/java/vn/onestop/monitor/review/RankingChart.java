package vn.onestop.monitor.review;

import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;

/**
 * The ranking of one group as an inline SVG: one horizontal bar per unit in rank order, stacked by indicator, on the
 * 0–42 scale, with the total at the end of the bar.
 */
final class RankingChart {
    static final String[] COLOURS = {"#1f5fa8", "#2e9d8f", "#e0a526", "#8a5cc2", "#d2553f"};
    private static final int LABEL = 200;
    private static final int BAR = 640;
    private static final int ROW = 24;
    private static final int TOP = 34;
    private static final double MAX = 42;

    private RankingChart() {}

    static String svg(List<ReviewRow> ranked) {
        int height = TOP + ranked.size() * ROW + 24;
        int width = LABEL + BAR + 70;
        StringBuilder s = new StringBuilder();
        s.append("<svg class=\"chart\" width=\"").append(width).append("\" height=\"").append(height)
                .append("\" viewBox=\"0 0 ").append(width).append(' ').append(height)
                .append("\" role=\"img\" aria-label=\"Biểu đồ xếp hạng theo tổng điểm\">");
        // Legend: one swatch per indicator.
        int lx = 4;
        for (Indicator i : Indicator.values()) {
            s.append("<rect x=\"").append(lx).append("\" y=\"6\" width=\"12\" height=\"12\" fill=\"").append(COLOURS[i.ordinal()]).append("\"/>")
                    .append("<text x=\"").append(lx + 16).append("\" y=\"16\" class=\"legend\">").append(i.number()).append(' ')
                    .append(ReviewHtml.escape(i.vietnamese())).append("</text>");
            lx += 30 + (int) (6.6 * (i.number().length() + 1 + i.vietnamese().length())); // about 6.6 px a character at 12 px
        }
        // Grid every 6 points, and the 42-point maximum.
        for (int p = 0; p <= 42; p += 6) {
            double x = LABEL + BAR * p / MAX;
            s.append("<line x1=\"").append(fmt(x)).append("\" y1=\"").append(TOP - 4).append("\" x2=\"").append(fmt(x))
                    .append("\" y2=\"").append(TOP + ranked.size() * ROW).append("\" class=\"grid\"/>")
                    .append("<text x=\"").append(fmt(x)).append("\" y=\"").append(TOP + ranked.size() * ROW + 16)
                    .append("\" class=\"axis\" text-anchor=\"middle\">").append(p).append("</text>");
        }
        for (int r = 0; r < ranked.size(); r++) {
            ReviewRow row = ranked.get(r);
            int y = TOP + r * ROW;
            s.append("<g><title>").append(ReviewHtml.escape(row.unitName() + ": " + ReviewHtml.points(row.totalPoints()) + " điểm"))
                    .append("</title>");
            s.append("<text x=\"").append(LABEL - 8).append("\" y=\"").append(y + 16).append("\" class=\"label\" text-anchor=\"end\">")
                    .append(row.rank()).append(". ").append(ReviewHtml.escape(row.unitName())).append("</text>");
            double x = LABEL;
            for (Indicator i : Indicator.values()) {
                BigDecimal p = row.points(i);
                double w = BAR * (p == null ? 0 : p.doubleValue()) / MAX;
                if (w > 0) {
                    s.append("<rect x=\"").append(fmt(x)).append("\" y=\"").append(y + 3).append("\" width=\"").append(fmt(w))
                            .append("\" height=\"").append(ROW - 6).append("\" fill=\"").append(COLOURS[i.ordinal()]).append("\"/>");
                }
                x += w;
            }
            s.append("<text x=\"").append(fmt(x + 6)).append("\" y=\"").append(y + 16).append("\" class=\"total\">")
                    .append(ReviewHtml.points(row.totalPoints())).append("</text></g>");
        }
        return s.append("</svg>").toString();
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }
}

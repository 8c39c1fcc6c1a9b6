package vn.onestop.monitor.review;

import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A unit's total points over the last periods as a small inline SVG line (the group's floor at the bottom, 42 at the
 * top, so the lines of one group compare). A period without a row leaves a gap rather than a misleading zero.
 */
final class Sparkline {
    static final int WIDTH = 120;
    static final int HEIGHT = 28;
    private static final double MAX = 42;

    /**
     * The bottom of a group's sparklines: the lowest total any of them shows, rounded down to a multiple of 6, so
     * that a few points' movement near the top stays visible while every line of the group shares one scale.
     */
    static double floor(Iterable<Map<ReviewPeriod, BigDecimal>> totals) {
        double min = MAX;
        for (Map<ReviewPeriod, BigDecimal> t : totals) {
            if (t != null) {
                for (BigDecimal v : t.values()) {
                    min = Math.min(min, v.doubleValue());
                }
            }
        }
        return Math.max(0, Math.min(36, Math.floor(min / 6) * 6));
    }

    private Sparkline() {}

    static String svg(List<ReviewPeriod> periods, Map<ReviewPeriod, BigDecimal> totals, double floor) {
        StringBuilder title = new StringBuilder();
        StringBuilder path = new StringBuilder();
        StringBuilder dots = new StringBuilder();
        boolean penDown = false;
        double step = periods.size() > 1 ? (WIDTH - 6) / (double) (periods.size() - 1) : 0;
        for (int i = 0; i < periods.size(); i++) {
            ReviewPeriod p = periods.get(i);
            BigDecimal v = totals == null ? null : totals.get(p);
            title.append(title.isEmpty() ? "" : "; ").append(p.label()).append(": ").append(v == null ? "—" : ReviewHtml.points(v));
            if (v == null) {
                penDown = false;
                continue;
            }
            double x = 3 + i * step;
            double y = 3 + (HEIGHT - 6) * (1 - (Math.max(floor, Math.min(MAX, v.doubleValue())) - floor) / (MAX - floor));
            path.append(penDown ? " L" : " M").append(fmt(x)).append(' ').append(fmt(y));
            penDown = true;
            if (i == periods.size() - 1) {
                dots.append("<circle cx=\"").append(fmt(x)).append("\" cy=\"").append(fmt(y)).append("\" r=\"2.5\" class=\"spark-end\"/>");
            }
        }
        return "<svg class=\"spark\" width=\"" + WIDTH + "\" height=\"" + HEIGHT + "\" viewBox=\"0 0 " + WIDTH + " " + HEIGHT
                + "\" role=\"img\"><title>" + ReviewHtml.escape(title.toString()) + "</title>"
                + "<line x1=\"0\" y1=\"" + (HEIGHT - 3) + "\" x2=\"" + WIDTH + "\" y2=\"" + (HEIGHT - 3) + "\" class=\"spark-axis\"/>"
                + (path.isEmpty() ? "" : "<path d=\"" + path.toString().trim() + "\" class=\"spark-line\"/>")
                + dots + "</svg>";
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }
}

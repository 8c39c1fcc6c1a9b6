package vn.onestop.monitor.review;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The control review as CSV, one row per unit: code and name, every KPI with the counts behind it, every
 * indicator's points, the total, rank and previous rank, and the predecessors a unit's history is restated from. UTF-8 with a byte-order mark so that spreadsheet programs
 * show the Vietnamese names correctly; decimal point, ratios as fractions (0.9512).
 */
public final class ReviewCsv {
    public static final String BOM = "\uFEFF";
    public static final List<String> HEADER;

    static {
        List<String> h = new ArrayList<>(List.of("unit_code", "unit_name", "unit_level", "parent_code", "period",
                "received", "resolved", "resolved_in_time", "resolved_late", "open_at_end", "open_within_deadline", "ratings",
                "on_time_rate", "online_share", "intake_digitisation", "result_digitisation", "satisfaction", "progress_ratio",
                "overdue_rate", "dissatisfied_rate", "satisfaction_index"));
        for (Indicator i : Indicator.values()) {
            h.add("points_" + i.code());
        }
        h.addAll(List.of("total_points", "rank", "previous_rank", "rank_change", "weakest_indicator", "restated_from"));
        HEADER = List.copyOf(h);
    }

    private ReviewCsv() {}

    public static String render(List<ReviewRow> rows) {
        return render(rows, Map.of());
    }

    /**
     * @param predecessors successor code → the units whose history it took over (restated_from: "code name" of each,
     *                     with ":share" when only part of the history, separated by "; ")
     */
    public static String render(List<ReviewRow> rows, Map<String, List<Predecessor>> predecessors) {
        StringBuilder b = new StringBuilder(BOM).append(String.join(",", HEADER)).append("\r\n");
        for (ReviewRow r : rows) {
            List<String> f = new ArrayList<>(List.of(r.unitCode(), r.unitName(), r.unitLevel(), nullable(r.parentCode()), r.period().label(),
                    count(r.received()), count(r.resolved()), count(r.resolvedInTime()),
                    count(r.resolvedLate()), count(r.openAtEnd()), count(r.openWithinDeadline()),
                    count(r.ratings()),
                    ratio(r.onTimeRate()), ratio(r.onlineShare()), ratio(r.intakeDigitisation()), ratio(r.resultDigitisation()),
                    ratio(r.satisfaction()), ratio(r.progressRatio()), ratio(r.overdueRate()), ratio(r.dissatisfiedRate()),
                    ratio(r.satisfactionIndex())));
            for (Indicator i : Indicator.values()) {
                f.add(points(r.points(i)));
            }
            f.add(points(r.totalPoints()));
            f.add(r.rank() == null ? "" : r.rank().toString());
            f.add(r.previousRank() == null ? "" : r.previousRank().toString());
            f.add(r.rankChange() == null ? "" : r.rankChange().toString());
            f.add(nullable(r.weakestIndicator()));
            f.add(restatedFrom(predecessors.getOrDefault(r.unitCode(), List.of())));
            List<String> quoted = new ArrayList<>(f.size());
            for (String s : f) {
                quoted.add(quote(s));
            }
            b.append(String.join(",", quoted)).append("\r\n");
        }
        return b.toString();
    }

    static String restatedFrom(List<Predecessor> list) {
        List<String> out = new ArrayList<>();
        for (Predecessor p : list) {
            out.add(p.code() + " " + p.name() + (p.isWhole() ? "" : ":" + p.share().stripTrailingZeros().toPlainString()));
        }
        return String.join("; ", out);
    }

    private static String count(BigDecimal n) {
        return n.toPlainString();
    }

    static String quote(String s) {
        if (s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r")) {
            return "\"" + s.replace("\"", "\"\"") + "\"";
        }
        return s;
    }

    private static String nullable(String s) {
        return s == null ? "" : s;
    }

    private static String ratio(Double v) {
        return v == null ? "" : String.format(Locale.ROOT, "%.6f", v);
    }

    private static String points(BigDecimal p) {
        return p == null ? "" : p.setScale(2, java.math.RoundingMode.HALF_UP).toPlainString();
    }
}

package vn.onestop.monitor.dashboards;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Static checks on the SQL of panels and alert rules: ratios come from summed counts, never from averaging. */
final class SqlRules {
    private SqlRules() {}

    /** Ratio columns of the reporting views (unit_kpi_period_ratio, unit_processing_time_daily, unit_review). */
    static final String RATIO_COLUMNS = "on_time_rate|online_share|intake_digitisation|result_digitisation|satisfaction"
            + "|within_hour_share|progress_ratio|median_hours|p90_hours";
    private static final Pattern AGGREGATE_OF_RATIO = Pattern.compile(
            "(?i)\\b(sum|avg|min|max|percentile_cont|percentile_disc|stddev|median)\\s*\\([^()]*\\b(" + RATIO_COLUMNS + ")\\b");
    private static final Pattern AVG = Pattern.compile("(?i)\\bavg\\s*\\(");
    // A divisor is either a NULLIF(...) over counts (a zero denominator gives NULL, not an error) or a constant.
    private static final Pattern DIVISION = Pattern.compile("/\\s*(\\S{0,12})");
    private static final Pattern ALLOWED_DIVISOR = Pattern.compile("(?i)^(NULLIF\\(|\\d).*");

    /** SQL without comments and string literals, so that '/' or 'avg(' in a label does not count. */
    static String code(String sql) {
        // One left-to-right pass: a "--" inside a string literal is text, and a quote inside a comment is comment.
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?s)'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|--[^\n]*|/\\*.*?\\*/").matcher(sql);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String token = m.group();
            m.appendReplacement(out, token.startsWith("'") ? "''" : token.startsWith("\"") ? "\"\"" : " ");
        }
        m.appendTail(out);
        return out.toString();
    }

    /** Every way the SQL breaks the rule; empty when it keeps it. */
    static List<String> violations(String sql) {
        List<String> out = new ArrayList<>();
        String c = code(sql);
        if (AVG.matcher(c).find()) {
            out.add("uses avg(): averaging ratios (or 0/1 flags) instead of dividing summed counts");
        }
        Matcher agg = AGGREGATE_OF_RATIO.matcher(c);
        while (agg.find()) {
            out.add("aggregates a ratio column: " + agg.group());
        }
        Matcher div = DIVISION.matcher(c);
        while (div.find()) {
            if (!ALLOWED_DIVISOR.matcher(div.group(1)).matches()) {
                out.add("divides by something other than NULLIF(summed count, 0) or a constant: /" + div.group(1));
            }
        }
        return out;
    }
}

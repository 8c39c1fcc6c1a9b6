package vn.onestop.monitor.dashboards;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What Grafana does to a panel's rawSql before PostgreSQL sees it, re-implemented for the tests:
 * <ol>
 *   <li>the frontend's template-variable replacement ({@code templateSrv.replace} with the SQL data sources'
 *       {@code interpolateVariable}): {@code $var}, {@code ${var}}, {@code ${var:format}}, {@code [[var]]};
 *       a multi-value or include-all variable becomes a list of quoted literals {@code 'a','b'}, a single-value
 *       variable its raw text with quotes doubled;</li>
 *   <li>the backend's global substitutions ({@code $__interval}, {@code $__interval_ms}, {@code $__unixEpochFrom()},
 *       {@code $__unixEpochTo()});</li>
 *   <li>the PostgreSQL macro engine ({@code pkg/tsdb/grafana-postgresql-datasource/macros.go}): the same regular
 *       expression (so an argument containing ')' breaks here as it breaks in Grafana), the same expansions, and
 *       an unknown macro is an error.</li>
 * </ol>
 * Anything with a dollar sign left afterwards is reported, because PostgreSQL would fail on it or, worse, read it.
 */
final class GrafanaSql {
    private GrafanaSql() {}

    /** A dashboard variable's selected values and whether Grafana treats it as a list (multi or include-all). */
    record Selection(List<String> values, boolean multiOrAll) {
        static Selection single(String value) {
            return new Selection(List.of(value), false);
        }

        static Selection multi(List<String> values) {
            return new Selection(List.copyOf(values), true);
        }
    }

    record TimeRange(Instant from, Instant to) {}

    // Grafana's variable regex (public/app/features/variables/utils.ts variableRegex).
    private static final Pattern VARIABLE = Pattern.compile(
            "\\$(\\w+)|\\[\\[(\\w+?)(?::(\\w+))?]]|\\$\\{(\\w+)(?:\\.([^:^}]+))?(?::([^}]+))?}");
    // macros.go: const sExpr = `\$` + rsIdentifier + `\(([^\)]*)\)`
    private static final Pattern MACRO = Pattern.compile("\\$([_a-zA-Z0-9]+)\\(([^)]*)\\)");
    private static final DateTimeFormatter RFC3339 = DateTimeFormatter.ISO_INSTANT;

    /** The whole pipeline: variables, then the backend's global substitutions, then the macros. */
    static String expand(String rawSql, Map<String, Selection> variables, TimeRange range) {
        String sql = interpolateVariables(rawSql, variables);
        sql = globalSubstitutions(sql, range);
        sql = expandMacros(sql, range);
        return sql;
    }

    static String interpolateVariables(String sql, Map<String, Selection> variables) {
        Matcher m = VARIABLE.matcher(sql);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group(4);
            String format = m.group(3) != null ? m.group(3) : m.group(6);
            if (m.group(5) != null) {
                throw new IllegalArgumentException("field paths ${var.field} are not used by these dashboards: " + m.group());
            }
            Selection s = variables.get(name);
            // Not a dashboard variable (e.g. the $__timeFilter macro): Grafana's frontend leaves it for the backend.
            m.appendReplacement(out, Matcher.quoteReplacement(s == null ? m.group() : format(s, format)));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String format(Selection s, String format) {
        if (format == null) {
            // SqlDatasource.interpolateVariable
            if (s.multiOrAll()) {
                return s.values().stream().map(GrafanaSql::quoteLiteral).collect(Collectors.joining(","));
            }
            return s.values().get(0).replace("'", "''");
        }
        return switch (format) {
            case "sqlstring" -> s.values().stream().map(v -> "'" + v.replace("'", "''") + "'").collect(Collectors.joining(","));
            case "csv", "raw" -> String.join(",", s.values());
            case "singlequote" -> s.values().stream().map(v -> "'" + v.replace("'", "\\'") + "'").collect(Collectors.joining(","));
            case "doublequote" -> s.values().stream().map(v -> "\"" + v.replace("\"", "\\\"") + "\"").collect(Collectors.joining(","));
            default -> throw new IllegalArgumentException("variable format '" + format + "' is not implemented by this test");
        };
    }

    /** PostgreSQL's quoteLiteral in the SQL data source: single quotes, inner quotes doubled. */
    static String quoteLiteral(String v) {
        return "'" + v.replace("'", "''") + "'";
    }

    static String globalSubstitutions(String sql, TimeRange r) {
        Duration interval = Duration.ofMinutes(1); // the data source's timeInterval (minimum interval)
        return sql.replace("$__interval_ms", Long.toString(interval.toMillis()))
                .replace("$__interval", "1m")
                .replace("$__unixEpochFrom()", Long.toString(r.from().getEpochSecond()))
                .replace("$__unixEpochTo()", Long.toString(r.to().getEpochSecond()));
    }

    static String expandMacros(String sql, TimeRange r) {
        Matcher m = MACRO.matcher(sql);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            if (name.equals("__timeGroup")) {
                // macros.go: a ',' right after $__timeGroup(...) means the pre-5.3 form that adds AS "time".
                int end = m.end();
                if (end < sql.length() && sql.charAt(end) == ',') {
                    name = "__timeGroupAlias";
                }
            }
            List<String> args = new ArrayList<>();
            for (String a : m.group(2).split(",", -1)) {
                args.add(a.strip());
            }
            m.appendReplacement(out, Matcher.quoteReplacement(macro(name, args, r)));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String macro(String name, List<String> args, TimeRange r) {
        String from = "'" + RFC3339.format(r.from()) + "'";
        String to = "'" + RFC3339.format(r.to()) + "'";
        switch (name) {
            case "__time":
                return need(name, args, 1) + " AS \"time\"";
            case "__timeEpoch":
                return "extract(epoch from " + need(name, args, 1) + ") as \"time\"";
            case "__timeFilter":
                return need(name, args, 1) + " BETWEEN " + from + " AND " + to;
            case "__timeFrom":
                return from;
            case "__timeTo":
                return to;
            case "__timeGroup":
                return "floor(extract(epoch from " + need(name, args, 2) + ")/" + seconds(args.get(1)) + ")*" + seconds(args.get(1));
            case "__timeGroupAlias":
                return macro("__timeGroup", args, r) + " AS \"time\"";
            case "__unixEpochFilter": {
                String c = need(name, args, 1);
                return c + " >= " + r.from().getEpochSecond() + " AND " + c + " <= " + r.to().getEpochSecond();
            }
            case "__unixEpochGroup":
                return "floor((" + need(name, args, 2) + ")/" + seconds(args.get(1)) + ")*" + seconds(args.get(1));
            case "__unixEpochGroupAlias":
                return macro("__unixEpochGroup", args, r) + " AS \"time\"";
            default:
                throw new IllegalArgumentException("unknown macro \"" + name + "\"");
        }
    }

    private static String need(String name, List<String> args, int n) {
        if (args.size() < n || args.get(0).isEmpty()) {
            throw new IllegalArgumentException("macro " + name + " needs " + n + " argument(s), got " + args);
        }
        if (args.size() == 3) {
            String fill = args.get(2);
            if (!(fill.equals("NULL") || fill.equals("previous") || fill.matches("-?[0-9.]+"))) {
                throw new IllegalArgumentException("macro " + name + ": fill value must be NULL, previous or a number, got " + fill);
            }
        }
        return args.get(0);
    }

    /** gtime.ParseInterval for the units the dashboards use; the Go code prints float seconds with %v (3600, 0.5). */
    private static String seconds(String quoted) {
        String s = quoted.replace("'", "").strip();
        Matcher m = Pattern.compile("(\\d+)(ms|s|m|h|d|w)").matcher(s);
        if (!m.matches()) {
            throw new IllegalArgumentException("error parsing interval " + quoted);
        }
        long n = Long.parseLong(m.group(1));
        double secs = switch (m.group(2)) {
            case "ms" -> n / 1000.0;
            case "s" -> n;
            case "m" -> n * 60.0;
            case "h" -> n * 3600.0;
            case "d" -> n * 86400.0;
            default -> n * 604800.0;
        };
        return secs == Math.rint(secs) ? Long.toString((long) secs) : Double.toString(secs);
    }
}

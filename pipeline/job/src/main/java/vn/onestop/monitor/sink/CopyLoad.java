package vn.onestop.monitor.sink;

import java.lang.reflect.Proxy;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A bulk form of an upsert {@code INSERT INTO t (cols) VALUES (exprs) ON CONFLICT …}: the rows are streamed with
 * {@code COPY} into a temporary staging table (one column per parameter) and merged with one
 * {@code INSERT INTO t (cols) SELECT exprs FROM staging ON CONFLICT …}, the same statement with the same conflict
 * clause, so the table ends exactly as with one upsert per row. A large flush is one round trip and one statement
 * for PostgreSQL to plan instead of one execution per row. The rows are bound with the statement's own
 * {@link UpsertStatement#bind} into a recording statement, so there is one description of each row, not two.
 *
 * <p>Each staging column has the type the JDBC driver would have sent the parameter as, so the values reach the
 * table through the same casts ({@code float8} to {@code numeric} keeps its digits the same way, a text bound into
 * {@code CAST(? AS timestamptz[])} is cast as before), and COPY's text form of each Java value reads back as the
 * same value ({@link Double#toString} round-trips, timestamps are written to the microsecond).
 */
public final class CopyLoad {
    private static final Pattern UPSERT = Pattern.compile(
            "^INSERT INTO (\\w+) \\(([^)]*)\\) VALUES \\((.*?)\\) (ON CONFLICT .*)$", Pattern.DOTALL);

    private final String table;
    private final String staging;
    private final List<String> columns;
    private final List<String> expressions;
    private final String conflict;
    private final int parameters;

    private CopyLoad(String table, List<String> columns, List<String> expressions, String conflict) {
        this.table = table;
        this.staging = "copy_" + table;
        this.columns = columns;
        this.expressions = expressions;
        this.conflict = conflict;
        int n = 0;
        for (String e : expressions) {
            n += count(e);
        }
        this.parameters = n;
    }

    /** The bulk form of {@code upsertSql}, or null when it is not a plain {@code INSERT … VALUES … ON CONFLICT}. */
    public static CopyLoad of(String upsertSql) {
        Matcher m = UPSERT.matcher(upsertSql.trim());
        if (!m.matches()) {
            return null;
        }
        List<String> cols = split(m.group(2));
        List<String> exprs = split(m.group(3));
        if (cols.size() != exprs.size()) {
            return null;
        }
        return new CopyLoad(m.group(1), cols, exprs, m.group(4));
    }

    public String table() {
        return table;
    }

    public int parameters() {
        return parameters;
    }

    /**
     * The staging table, per session ({@code ON COMMIT DELETE ROWS}: empty again after every flush), with column
     * {@code p<i>} for parameter i of the type the JDBC statement would have sent it as ({@link Recorder#types}):
     * the merge then assigns each value to its column with the same cast as the row-by-row upsert does.
     */
    public String createStaging(String[] types) {
        StringBuilder b = new StringBuilder("CREATE TEMP TABLE ").append(staging).append(" (");
        for (int p = 1; p <= parameters; p++) {
            b.append(p == 1 ? "" : ", ").append('p').append(p).append(' ').append(types[p]);
        }
        return b.append(") ON COMMIT DELETE ROWS").toString();
    }

    public String dropStaging() {
        return "DROP TABLE IF EXISTS " + staging;
    }

    public String copySql() {
        StringBuilder b = new StringBuilder("COPY ").append(staging).append(" (");
        for (int p = 1; p <= parameters; p++) {
            b.append(p == 1 ? "" : ", ").append('p').append(p);
        }
        return b.append(") FROM STDIN").toString();
    }

    /** The upsert with its VALUES replaced by a SELECT of the staged rows: same columns, expressions and conflict clause. */
    public String mergeSql() {
        StringBuilder select = new StringBuilder();
        int p = 0;
        for (int i = 0; i < expressions.size(); i++) {
            String e = expressions.get(i);
            StringBuilder r = new StringBuilder();
            for (int c = 0; c < e.length(); c++) {
                if (e.charAt(c) == '?') {
                    r.append('p').append(++p);
                } else {
                    r.append(e.charAt(c));
                }
            }
            select.append(i == 0 ? "" : ", ").append(r);
        }
        return "INSERT INTO " + table + " (" + String.join(", ", columns) + ") SELECT " + select + " FROM " + staging + " " + conflict;
    }

    /**
     * Keeps what {@link UpsertStatement#bind} sets, by parameter index, instead of sending it to the server, and the
     * type each parameter is sent as (pgjdbc's: {@code setLong} an int8, {@code setDouble} a float8, an
     * {@code OffsetDateTime} a timestamptz, …).
     */
    public final class Recorder {
        private Object[] row;
        private final String[] valueTypes = new String[parameters + 1];
        private final String[] nullTypes = new String[parameters + 1];
        public final PreparedStatement statement = (PreparedStatement) Proxy.newProxyInstance(
                CopyLoad.class.getClassLoader(), new Class<?>[] {PreparedStatement.class}, (proxy, method, args) -> {
                    String name = method.getName();
                    if (name.startsWith("set") && args != null && args.length >= 2 && args[0] instanceof Integer i) {
                        if (name.equals("setNull")) {
                            row[i] = null;
                            if (nullTypes[i] == null) {
                                nullTypes[i] = sqlType((Integer) args[1]);
                            }
                        } else {
                            row[i] = args[1];
                            if (valueTypes[i] == null) {
                                valueTypes[i] = args[1] == null ? null : valueType(name, args[1]);
                            }
                            if (args[1] == null && nullTypes[i] == null && name.equals("setString")) {
                                nullTypes[i] = "text";
                            }
                        }
                        return null;
                    }
                    throw new SQLException("a COPY row records parameters only, not " + name);
                });

        /** An empty row for the next bind, index 1..n as in JDBC (the same array each time). */
        public Object[] start() {
            if (row == null) {
                row = new Object[parameters + 1];
            } else {
                Arrays.fill(row, null);
            }
            return row;
        }

        /** Per parameter (1..n) the type of the values bound so far, else of the NULLs, else text. */
        public String[] types() {
            String[] t = new String[parameters + 1];
            for (int p = 1; p <= parameters; p++) {
                t[p] = valueTypes[p] != null ? valueTypes[p] : nullTypes[p] != null ? nullTypes[p] : "text";
            }
            return t;
        }
    }

    public Recorder recorder() {
        return new Recorder();
    }

    private static String valueType(String setter, Object v) {
        if (v instanceof String) {
            return "text";
        } else if (v instanceof Boolean) {
            return "boolean";
        } else if (v instanceof Short) {
            return "smallint";
        } else if (v instanceof Integer) {
            return "integer";
        } else if (v instanceof Long) {
            return "bigint";
        } else if (v instanceof Double) {
            return "double precision";
        } else if (v instanceof Float) {
            return "real";
        } else if (v instanceof OffsetDateTime) {
            return "timestamptz";
        } else if (v instanceof LocalDate) {
            return "date";
        } else if (v instanceof byte[]) {
            return "bytea";
        }
        throw new IllegalArgumentException("no COPY form for a " + v.getClass().getName() + " bound with " + setter);
    }

    private static String sqlType(int type) {
        return switch (type) {
            case Types.TIMESTAMP_WITH_TIMEZONE -> "timestamptz";
            case Types.TIMESTAMP -> "timestamp";
            case Types.DATE -> "date";
            case Types.NUMERIC, Types.DECIMAL -> "numeric";
            case Types.DOUBLE -> "double precision";
            case Types.INTEGER -> "integer";
            case Types.BIGINT -> "bigint";
            case Types.BOOLEAN, Types.BIT -> "boolean";
            case Types.BINARY, Types.VARBINARY -> "bytea";
            default -> "text";
        };
    }

    /**
     * Appends one row in COPY's text format, UTF-8: tab-separated, {@code \N} for NULL, backslash escapes. Written
     * straight into reused bytes: a flush of 100,000 dossiers would otherwise build and copy a 30 MB string.
     */
    public void appendRow(CopyBuffer out, Object[] row) {
        for (int p = 1; p <= parameters; p++) {
            if (p > 1) {
                out.ascii('\t');
            }
            Object v = row[p];
            if (v == null) {
                out.ascii('\\').ascii('N');
            } else if (v instanceof String s) {
                out.escaped(s);
            } else if (v instanceof Boolean b) {
                out.ascii(b ? 't' : 'f');
            } else if (v instanceof Integer || v instanceof Long || v instanceof Short) {
                out.number(((Number) v).longValue());
            } else if (v instanceof Double d) {
                out.ascii(Double.toString(d));
            } else if (v instanceof OffsetDateTime t) {
                timestamp(out, t.getOffset().equals(ZoneOffset.UTC) ? t : t.withOffsetSameInstant(ZoneOffset.UTC));
            } else if (v instanceof LocalDate d) {
                out.ascii(d.toString());
            } else if (v instanceof byte[] bytes) {
                out.ascii("\\\\x").ascii(HexFormat.of().formatHex(bytes));
            } else {
                throw new IllegalArgumentException("no COPY text form for a " + v.getClass().getName() + " parameter");
            }
        }
        out.ascii('\n');
    }

    /** {@code 2026-01-01 00:00:00.123000+00:00}: to the microsecond, without a formatter's per-value objects. */
    private static void timestamp(CopyBuffer out, OffsetDateTime t) {
        int year = t.getYear();
        if (year < 1000 || year > 9999) {
            out.ascii(t.toString()); // ISO 8601, which PostgreSQL reads too; only far-off dates take this way
            return;
        }
        out.number(year).ascii('-');
        two(out, t.getMonthValue());
        out.ascii('-');
        two(out, t.getDayOfMonth());
        out.ascii(' ');
        two(out, t.getHour());
        out.ascii(':');
        two(out, t.getMinute());
        out.ascii(':');
        two(out, t.getSecond());
        int micros = t.getNano() / 1000;
        out.ascii('.');
        for (int div = 100_000; div > 0; div /= 10) {
            out.ascii((char) ('0' + micros / div % 10));
        }
        out.ascii("+00:00");
    }

    private static void two(CopyBuffer out, int v) {
        out.ascii((char) ('0' + v / 10)).ascii((char) ('0' + v % 10));
    }

    private static int count(String e) {
        int n = 0;
        for (int i = 0; i < e.length(); i++) {
            if (e.charAt(i) == '?') {
                n++;
            }
        }
        return n;
    }

    /** Splits at the commas outside parentheses. */
    private static List<String> split(String list) {
        List<String> out = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < list.length(); i++) {
            char c = list.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == ',' && depth == 0) {
                out.add(list.substring(start, i).trim());
                start = i + 1;
            }
        }
        out.add(list.substring(start).trim());
        return out;
    }
}

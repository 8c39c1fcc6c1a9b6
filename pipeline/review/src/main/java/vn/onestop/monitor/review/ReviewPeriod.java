package vn.onestop.monitor.review;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A control-review period: a local calendar month, quarter or year, written as {@code 2024-03}, {@code 2024-Q1} or
 * {@code 2024} (the {@code period_label} of the unit_review view).
 */
public record ReviewPeriod(Type type, LocalDate start) {
    public enum Type {
        MONTH("month", 1), QUARTER("quarter", 3), YEAR("year", 12);

        private final String sqlName;
        private final int months;

        Type(String sqlName, int months) {
            this.sqlName = sqlName;
            this.months = months;
        }

        /** The view's period_type. */
        public String sqlName() {
            return sqlName;
        }
    }

    private static final Pattern MONTH = Pattern.compile("(\\d{4})-(\\d{2})");
    private static final Pattern QUARTER = Pattern.compile("(\\d{4})-[Qq]([1-4])");
    private static final Pattern YEAR = Pattern.compile("(\\d{4})");

    public ReviewPeriod {
        int m = start.getMonthValue();
        boolean aligned = start.getDayOfMonth() == 1 && switch (type) {
            case MONTH -> true;
            case QUARTER -> (m - 1) % 3 == 0;
            case YEAR -> m == 1;
        };
        if (!aligned) {
            throw new IllegalArgumentException(start + " does not start a " + type.sqlName);
        }
    }

    public static ReviewPeriod parse(String text) {
        String s = text == null ? "" : text.trim();
        try {
            Matcher q = QUARTER.matcher(s);
            if (q.matches()) {
                return new ReviewPeriod(Type.QUARTER, LocalDate.of(Integer.parseInt(q.group(1)), 3 * Integer.parseInt(q.group(2)) - 2, 1));
            }
            Matcher m = MONTH.matcher(s);
            if (m.matches()) {
                return new ReviewPeriod(Type.MONTH, LocalDate.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), 1));
            }
            if (YEAR.matcher(s).matches()) {
                return new ReviewPeriod(Type.YEAR, LocalDate.of(Integer.parseInt(s), 1, 1));
            }
        } catch (java.time.DateTimeException e) {
            // falls through to the message below (e.g. month 13)
        }
        throw new IllegalArgumentException("PERIOD must be a month (2024-03), a quarter (2024-Q1) or a year (2024); got '" + text + "'");
    }

    public static ReviewPeriod of(String sqlType, LocalDate start) {
        for (Type t : Type.values()) {
            if (t.sqlName.equals(sqlType)) {
                return new ReviewPeriod(t, start);
            }
        }
        throw new IllegalArgumentException("unknown period type " + sqlType);
    }

    /** The first day after the period. */
    public LocalDate end() {
        return start.plusMonths(type.months);
    }

    public ReviewPeriod previous() {
        return new ReviewPeriod(type, start.minusMonths(type.months));
    }

    /** The {@code count} periods ending with this one, oldest first. */
    public List<ReviewPeriod> lastPeriods(int count) {
        List<ReviewPeriod> out = new ArrayList<>(count);
        ReviewPeriod p = this;
        for (int i = 0; i < count; i++) {
            out.add(0, p);
            p = p.previous();
        }
        return out;
    }

    public String label() {
        return switch (type) {
            case MONTH -> String.format(Locale.ROOT, "%04d-%02d", start.getYear(), start.getMonthValue());
            case QUARTER -> String.format(Locale.ROOT, "%04d-Q%d", start.getYear(), (start.getMonthValue() + 2) / 3);
            case YEAR -> String.format(Locale.ROOT, "%04d", start.getYear());
        };
    }

    /** The period in Vietnamese: "tháng 03/2024", "quý I/2024", "năm 2024". */
    public String vietnamese() {
        return switch (type) {
            case MONTH -> String.format(Locale.ROOT, "tháng %02d/%04d", start.getMonthValue(), start.getYear());
            case QUARTER -> "quý " + new String[] {"I", "II", "III", "IV"}[(start.getMonthValue() - 1) / 3] + "/" + start.getYear();
            case YEAR -> "năm " + start.getYear();
        };
    }

    @Override
    public String toString() {
        return label();
    }
}

package vn.onestop.monitor.kpi;

import java.util.Locale;

/**
 * The additive counts kept per unit and local hour. Ratios are always derived from sums of these, never stored.
 * The enum order is the column order of {@code kpi_hourly}; append only. Named {@code Measure} rather than
 * {@code Counter} so that it never shadows Flink's metrics {@code Counter}, which the same operators use.
 */
public enum Measure {
    RECEIVED,
    RECEIVED_ONLINE,
    RECEIVED_DIRECT,
    RECEIVED_POSTAL,
    RECEIVED_DIGITISED,
    RESOLVED,
    RESOLVED_EARLY,
    RESOLVED_ON_TIME,
    RESOLVED_LATE,
    RESULTS_DIGITISED,
    RESOLVED_WITHIN_HOUR,
    WITHDRAWN,
    RATINGS,
    RATING_VERY_SATISFIED,
    RATING_SATISFIED,
    RATING_NEUTRAL,
    RATING_DISSATISFIED,
    RATING_VERY_DISSATISFIED;

    public static final int COUNT = values().length;

    public String column() {
        return name().toLowerCase(Locale.ROOT);
    }
}

package vn.onestop.monitor.alert;

import vn.onestop.monitor.kpi.Counter;

/** The four KPIs with targets, each a ratio of summed counts. */
public enum KpiTarget {
    ON_TIME_RATE,
    ONLINE_SHARE,
    INTAKE_DIGITISATION,
    SATISFACTION;

    public long numerator(long[] sums) {
        return switch (this) {
            case ON_TIME_RATE -> sums[Counter.RESOLVED_EARLY.ordinal()] + sums[Counter.RESOLVED_ON_TIME.ordinal()];
            case ONLINE_SHARE -> sums[Counter.RECEIVED_ONLINE.ordinal()];
            case INTAKE_DIGITISATION -> sums[Counter.RECEIVED_DIGITISED.ordinal()];
            case SATISFACTION -> sums[Counter.RATING_VERY_SATISFIED.ordinal()] + sums[Counter.RATING_SATISFIED.ordinal()];
        };
    }

    /** The volume the ratio is taken over, which must reach the target's minimum before a breach counts. */
    public long denominator(long[] sums) {
        return switch (this) {
            case ON_TIME_RATE -> sums[Counter.RESOLVED.ordinal()];
            case ONLINE_SHARE, INTAKE_DIGITISATION -> sums[Counter.RECEIVED.ordinal()];
            case SATISFACTION -> sums[Counter.RATINGS.ordinal()];
        };
    }

    public double target(SlaTargets.Target t) {
        return switch (this) {
            case ON_TIME_RATE -> t.onTimeRate();
            case ONLINE_SHARE -> t.onlineShare();
            case INTAKE_DIGITISATION -> t.intakeDigitisation();
            case SATISFACTION -> t.satisfaction();
        };
    }
}

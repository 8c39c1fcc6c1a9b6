package vn.onestop.monitor.kpi;

import vn.onestop.monitor.alert.SlaTargets;

import vn.onestop.monitor.kpi.Measure;

/** The four KPIs with targets, each a ratio of summed counts. */
public enum KpiTarget {
    ON_TIME_RATE,
    ONLINE_SHARE,
    INTAKE_DIGITISATION,
    SATISFACTION;

    public long numerator(long[] sums) {
        return switch (this) {
            case ON_TIME_RATE -> sums[Measure.RESOLVED_EARLY.ordinal()] + sums[Measure.RESOLVED_ON_TIME.ordinal()];
            case ONLINE_SHARE -> sums[Measure.RECEIVED_ONLINE.ordinal()];
            case INTAKE_DIGITISATION -> sums[Measure.RECEIVED_DIGITISED.ordinal()];
            case SATISFACTION -> sums[Measure.RATING_VERY_SATISFIED.ordinal()] + sums[Measure.RATING_SATISFIED.ordinal()];
        };
    }

    /** The volume the ratio is taken over, which must reach the target's minimum before a breach counts. */
    public long denominator(long[] sums) {
        return switch (this) {
            case ON_TIME_RATE -> sums[Measure.RESOLVED.ordinal()];
            case ONLINE_SHARE, INTAKE_DIGITISATION -> sums[Measure.RECEIVED.ordinal()];
            case SATISFACTION -> sums[Measure.RATINGS.ordinal()];
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

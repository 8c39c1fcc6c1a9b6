package vn.onestop.monitor.kpi;

/** How a finished dossier ended against its effective due time (docs/RULES.md, "Classification"). */
public enum OnTimeStatus {
    /** Ended before the local calendar day of the effective due time. */
    EARLY,
    /** Ended no later than the effective due time. */
    ON_TIME,
    /** Ended after it, or had more supplement requests than the index allows. */
    LATE
}

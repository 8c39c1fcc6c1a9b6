package vn.onestop.monitor.alert;

/** The alerts of SPEC.md for the officers on duty. */
public enum AlertKind {
    DOSSIER_OVERDUE,
    DOSSIER_AT_RISK,
    KPI_BELOW_TARGET
}

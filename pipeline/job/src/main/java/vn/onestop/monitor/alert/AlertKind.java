package vn.onestop.monitor.alert;

/** The alerts for the officers on duty (docs/ALERTS.md). */
public enum AlertKind {
    DOSSIER_OVERDUE,
    DOSSIER_AT_RISK,
    KPI_BELOW_TARGET
}

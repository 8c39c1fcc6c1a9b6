package vn.onestop.monitor.kpi;

/** Where a dossier stands as far as the monitor knows: its row in the {@code dossier} table. */
public enum DossierStatus {
    /** Events arrived but the RECEIVED has not (yet): kept, visible, not counted. */
    PENDING_RECEIPT,
    OPEN,
    WAITING_SUPPLEMENT,
    WITHDRAWN,
    EARLY,
    ON_TIME,
    LATE;

    public static DossierStatus of(OnTimeStatus s) {
        return switch (s) {
            case EARLY -> EARLY;
            case ON_TIME -> ON_TIME;
            case LATE -> LATE;
        };
    }

    public boolean isClassified() {
        return this == EARLY || this == ON_TIME || this == LATE;
    }
}

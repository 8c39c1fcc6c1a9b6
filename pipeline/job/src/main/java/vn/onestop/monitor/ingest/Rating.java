package vn.onestop.monitor.ingest;

/** The five satisfaction levels of the QR-code feedback form. */
public enum Rating {
    VERY_SATISFIED,
    SATISFIED,
    NEUTRAL,
    DISSATISFIED,
    VERY_DISSATISFIED;

    public boolean isSatisfied() {
        return this == VERY_SATISFIED || this == SATISFIED;
    }
}

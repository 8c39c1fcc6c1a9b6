package vn.onestop.monitor.ingest;

/** Dossier lifecycle event types of the event contract (docs/CONTRACT.md). */
public enum EventType {
    RECEIVED,
    SUPPLEMENT_REQUESTED,
    SUPPLEMENT_RECEIVED,
    RESOLVED,
    RETURNED,
    REJECTED,
    WITHDRAWN,
    STOPPED,
    APOLOGY_ISSUED;

    /** Whether the event ends processing (or, for WITHDRAWN, takes the dossier out of it). */
    public boolean isEnd() {
        return this == RESOLVED || this == RETURNED || this == REJECTED || this == WITHDRAWN || this == STOPPED;
    }
}

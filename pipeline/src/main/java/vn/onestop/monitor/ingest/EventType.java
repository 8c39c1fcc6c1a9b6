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
    APOLOGY_ISSUED
}

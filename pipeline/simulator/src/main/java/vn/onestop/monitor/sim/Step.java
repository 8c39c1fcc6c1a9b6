package vn.onestop.monitor.sim;

/** The contract's dossier event types, as the simulator plans them. */
enum Step {
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

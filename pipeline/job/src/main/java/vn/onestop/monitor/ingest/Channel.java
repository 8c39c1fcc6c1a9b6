package vn.onestop.monitor.ingest;

/** How a dossier was received. */
public enum Channel {
    DIRECT,
    ONLINE,
    POSTAL
}

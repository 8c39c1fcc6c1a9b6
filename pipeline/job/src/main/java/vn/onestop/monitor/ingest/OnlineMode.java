package vn.onestop.monitor.ingest;

/**
 * How far an ONLINE receipt was online (issue 16, Decision 766 group 3): the whole procedure, fee and result
 * included ({@code FULL}, "toàn trình"), or only the submission ({@code PARTIAL}, "một phần").
 */
public enum OnlineMode {
    FULL,
    PARTIAL
}

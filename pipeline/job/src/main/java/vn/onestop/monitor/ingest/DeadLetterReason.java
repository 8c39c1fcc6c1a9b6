package vn.onestop.monitor.ingest;

/** Stable reason codes for records that break the event contract. Operators filter and replay by these. */
public enum DeadLetterReason {
    EMPTY_RECORD,
    TOO_LARGE,
    INVALID_UTF8,
    INVALID_JSON,
    NOT_AN_OBJECT,
    MISSING_FIELD,
    WRONG_TYPE,
    UNKNOWN_TYPE,
    UNKNOWN_CHANNEL,
    UNKNOWN_RATING,
    UNKNOWN_UNIT,
    /**
     * A receipt names a unit code the registry knows, but no version of it is valid on the receipt's local day
     * (Asia/Ho_Chi_Minh): a commune abolished on 1 July 2025 cannot receive a dossier on 2 July.
     */
    UNIT_NOT_VALID_AT,
    BAD_TIMESTAMP,
    IMPOSSIBLE_TIME,
    TOO_LATE,
    /** The same eventId (or feedbackId) again, but saying something else: neither version can be trusted. */
    EVENT_ID_CONFLICT,
    /** A later event of a dossier names another unit than the one that received it. */
    UNIT_MISMATCH,
    /** An end (resolved, returned, rejected, stopped, withdrawn) dated before the dossier's receipt. */
    END_BEFORE_RECEIPT,
    /** {@code onlineMode} is not FULL or PARTIAL. */
    UNKNOWN_ONLINE_MODE,
    /** {@code onlineMode} on a receipt whose channel is not ONLINE: a counter receipt cannot be online. */
    ONLINE_MODE_MISMATCH,
    /** {@code payment.method} is not NATIONAL_PORTAL, LOCAL_GATEWAY or CASH. */
    UNKNOWN_PAYMENT_METHOD,
    /** {@code payment.amount} negative, fractional or beyond any plausible fee (whole đồng, at most 10^12). */
    BAD_AMOUNT
}

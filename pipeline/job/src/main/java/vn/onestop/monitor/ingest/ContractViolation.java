package vn.onestop.monitor.ingest;

/** Thrown while parsing when a record breaks the event contract; carries the stable reason code. */
final class ContractViolation extends Exception {
    final DeadLetterReason reason;

    ContractViolation(DeadLetterReason reason, String detail) {
        super(detail, null, false, false);
        this.reason = reason;
    }
}

package vn.onestop.monitor.ingest;

/** Either a parsed value or the dead letter explaining why the record could not be used. */
public final class ParseResult<T> {
    private final T value;
    private final DeadLetter deadLetter;

    private ParseResult(T value, DeadLetter deadLetter) {
        this.value = value;
        this.deadLetter = deadLetter;
    }

    public static <T> ParseResult<T> ok(T value) {
        return new ParseResult<>(value, null);
    }

    public static <T> ParseResult<T> dead(DeadLetter deadLetter) {
        return new ParseResult<>(null, deadLetter);
    }

    public boolean isOk() {
        return value != null;
    }

    public T value() {
        return value;
    }

    public DeadLetter deadLetter() {
        return deadLetter;
    }
}

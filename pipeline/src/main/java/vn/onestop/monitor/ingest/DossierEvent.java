package vn.onestop.monitor.ingest;

/**
 * One parsed dossier lifecycle event. A Flink POJO (public fields, no-arg constructor) so that it crosses the
 * network with the fast POJO serializer. Times are epoch milliseconds; {@link #NO_TIME} marks an absent time.
 * The Kafka coordinates travel with the event so that a later rule (lateness) can still dead-letter it by offset.
 */
public class DossierEvent {
    public static final long NO_TIME = Long.MIN_VALUE;

    public String eventId;
    public String dossierId;
    public EventType type;
    public long occurredAt = NO_TIME;
    public String unitCode;
    public String procedureCode;
    public Channel channel;
    public long dueAt = NO_TIME;
    public boolean digitised;
    public boolean resultDigitised;
    public long newDueAt = NO_TIME;

    public String topic;
    public long recordTimestamp;
    public int partition;
    public long offset;
    public byte[] payload;

    public DossierEvent() {}

    @Override
    public String toString() {
        return type + " " + dossierId + " " + eventId + " @" + occurredAt;
    }
}

package vn.onestop.monitor.ingest;

/** A record that broke the contract, with where it came from and why, so an operator can see and replay it. */
public class DeadLetter {
    public String topic;
    public int partition;
    public long offset;
    public DeadLetterReason reason;
    public String detail;
    public byte[] payload;

    public DeadLetter() {}

    public DeadLetter(String topic, int partition, long offset, DeadLetterReason reason, String detail, byte[] payload) {
        this.topic = topic;
        this.partition = partition;
        this.offset = offset;
        this.reason = reason;
        this.detail = detail;
        this.payload = payload;
    }

    @Override
    public String toString() {
        return topic + "/" + partition + "@" + offset + " " + reason + ": " + detail;
    }
}

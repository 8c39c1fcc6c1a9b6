package vn.onestop.monitor.ingest;

/** One parsed QR-code rating. Free text and any other field of the record are deliberately not kept. */
public class Feedback implements BrokerTimestamped {
    public String feedbackId;
    public String unitCode;
    public long submittedAt;
    public Rating rating;
    public String dossierId;

    public String topic;
    public long recordTimestamp;

    @Override
    public long brokerTimestamp() {
        return recordTimestamp;
    }
    public int partition;
    public long offset;
    public byte[] payload;

    public Feedback() {}
}

package vn.onestop.monitor.sim;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * One Kafka record as an office system would send it.
 *
 * @param key     dossierId or feedbackId (the partitioning key)
 * @param sendAt  simulated epoch ms at which the record is sent; never before the event occurred
 * @param payload UTF-8 JSON (or, for {@link Kind#MALFORMED}, whatever garbage the sender produced), never
 *                containing a line break
 */
public record SimRecord(String topic, String key, long sendAt, byte[] payload, Kind kind) {

    public static final String DOSSIER_EVENTS = "dossier-events";
    public static final String QR_FEEDBACK = "qr-feedback";

    public enum Kind {
        /** A well-formed event, first delivery. */
        EVENT,
        /** A byte-identical re-delivery of an earlier EVENT (at-least-once producers). */
        DUPLICATE,
        /** Breaks the event contract; the job must dead-letter it. */
        MALFORMED
    }

    public SimRecord {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(kind, "kind");
    }

    public String payloadText() {
        return new String(payload, StandardCharsets.UTF_8);
    }

    public byte[] keyBytes() {
        return key == null ? null : key.getBytes(StandardCharsets.UTF_8);
    }

    /** Value equality including the payload bytes, so two runs can be compared record by record. */
    @Override
    public boolean equals(Object o) {
        return o instanceof SimRecord r && sendAt == r.sendAt && topic.equals(r.topic) && Objects.equals(key, r.key)
                && kind == r.kind && Arrays.equals(payload, r.payload);
    }

    @Override
    public int hashCode() {
        return Objects.hash(topic, key, sendAt, kind) * 31 + Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
        return "SimRecord[" + topic + " " + kind + " key=" + key + " sendAt=" + sendAt + " " + payloadText() + "]";
    }
}

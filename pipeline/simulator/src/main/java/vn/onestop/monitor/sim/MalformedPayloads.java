package vn.onestop.monitor.sim;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Turns a good event into the kinds of garbage office systems actually send, one contract breach at a time, so
 * each malformed record exercises one dead-letter reason. None contains a line break (NDJSON must survive).
 */
final class MalformedPayloads {
    /** A unit code that no registry holds. */
    static final String UNKNOWN_UNIT = "99999";

    enum Defect {
        TRUNCATED, NOT_AN_OBJECT, MISSING_ID, UNKNOWN_ENUM, UNKNOWN_UNIT, BAD_TIMESTAMP
    }

    private MalformedPayloads() {
    }

    /**
     * @param good        the well-formed event (not modified)
     * @param malformedId replaces the event's own id, so a broken copy never shares an id with the real event
     */
    static byte[] corrupt(ObjectNode good, String topic, String malformedId, SplittableRandom r) {
        boolean feedback = SimRecord.QR_FEEDBACK.equals(topic);
        String idField = feedback ? "feedbackId" : "eventId";
        String timeField = feedback ? "submittedAt" : "occurredAt";
        ObjectNode n = good.deepCopy();
        n.put(idField, malformedId);
        Defect defect = Defect.values()[r.nextInt(Defect.values().length)];
        return switch (defect) {
            case TRUNCATED -> {
                byte[] whole = EventJson.bytes(n);
                yield Arrays.copyOf(whole, 1 + r.nextInt(whole.length - 2));
            }
            case NOT_AN_OBJECT -> switch (r.nextInt(3)) {
                case 0 -> EventJson.bytes(EventJson.MAPPER.createArrayNode().add(n));
                case 1 -> EventJson.bytes(EventJson.MAPPER.getNodeFactory().textNode(n.toString()));
                default -> "null".getBytes(StandardCharsets.UTF_8);
            };
            case MISSING_ID -> {
                n.remove(idField);
                yield EventJson.bytes(n);
            }
            case UNKNOWN_ENUM -> {
                if (feedback) {
                    n.put("rating", "EXCELLENT");
                } else {
                    n.put("type", "ARCHIVED");
                }
                yield EventJson.bytes(n);
            }
            case UNKNOWN_UNIT -> {
                n.put("unitCode", UNKNOWN_UNIT);
                yield EventJson.bytes(n);
            }
            case BAD_TIMESTAMP -> {
                // Local formats without an offset are the usual culprit when an office exports by hand.
                String iso = n.path(timeField).asText("2024-01-01T00:00:00+07:00");
                String date = iso.substring(0, Math.min(10, iso.length()));
                String bad = r.nextBoolean()
                        ? date.substring(8, 10) + "/" + date.substring(5, 7) + "/" + date.substring(0, 4) + " 08:30"
                        : date + " 08:30:00";
                n.put(timeField, bad);
                yield EventJson.bytes(n);
            }
        };
    }
}

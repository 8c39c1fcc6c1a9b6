package vn.onestop.monitor.sim;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Renders planned events in the wire format of the event contract (docs/CONTRACT.md). Only codes, times and ratings are
 * written: the simulated citizens have no names, phone numbers or comments to leak.
 */
final class EventJson {
    static final ObjectMapper MAPPER = new ObjectMapper();
    /** Vietnam has no daylight saving time, so a fixed +07:00 offset is what office systems print. */
    static final ZoneOffset LOCAL_OFFSET = ZoneOffset.ofHours(7);

    private EventJson() {
    }

    static String time(Instant t) {
        return OffsetDateTime.ofInstant(t, LOCAL_OFFSET).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    }

    static ObjectNode dossierEvent(String eventId, Dossier d, LifecycleEvent e) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("eventId", eventId);
        n.put("dossierId", d.id());
        n.put("type", e.step().name());
        n.put("occurredAt", time(e.occurredAt()));
        n.put("unitCode", d.unitCode());
        switch (e.step()) {
            case RECEIVED -> {
                n.put("procedureCode", d.procedureCode());
                n.put("channel", d.channel().name());
                n.put("dueAt", time(d.dueAt()));
                n.put("digitised", d.digitised());
            }
            case RESOLVED -> n.put("resultDigitised", e.resultDigitised());
            case APOLOGY_ISSUED -> n.put("newDueAt", time(e.newDueAt()));
            default -> { }
        }
        IndexFacts.of(d).addTo(n, e.step());
        return n;
    }

    static ObjectNode feedback(String feedbackId, Dossier d, PlannedFeedback f) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("feedbackId", feedbackId);
        n.put("unitCode", d.unitCode());
        n.put("submittedAt", time(f.submittedAt()));
        n.put("rating", f.rating());
        if (f.linked()) {
            n.put("dossierId", d.id());
        }
        return n;
    }

    static byte[] bytes(JsonNode n) {
        try {
            return MAPPER.writeValueAsBytes(n);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}

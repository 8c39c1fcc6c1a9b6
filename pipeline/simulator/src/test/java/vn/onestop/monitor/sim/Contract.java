package vn.onestop.monitor.sim;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * An independent reading of docs/CONTRACT.md's event contract, written for the tests from the docs rather than from the
 * simulator, so the two can disagree.
 */
final class Contract {
    static final ObjectMapper MAPPER = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    static final Set<String> TYPES = Set.of("RECEIVED", "SUPPLEMENT_REQUESTED", "SUPPLEMENT_RECEIVED", "RESOLVED",
            "RETURNED", "REJECTED", "WITHDRAWN", "STOPPED", "APOLOGY_ISSUED");
    static final Set<String> RATINGS = Set.of("VERY_SATISFIED", "SATISFIED", "NEUTRAL", "DISSATISFIED", "VERY_DISSATISFIED");
    static final Set<String> CHANNELS = Set.of("DIRECT", "ONLINE", "POSTAL");
    static final Set<String> DOSSIER_FIELDS = Set.of("eventId", "dossierId", "type", "occurredAt", "unitCode",
            "procedureCode", "channel", "dueAt", "digitised", "resultDigitised", "newDueAt",
            // the national index's optional facts (issue 16)
            "onlineMode", "syncedToPortal", "electronicResult", "reusedData", "personalDataStore", "vneid", "payment");
    /** The one nested object of the contract, and all it may hold. */
    static final Set<String> PAYMENT_FIELDS = Set.of("method", "amount");
    static final Set<String> FEEDBACK_FIELDS = Set.of("feedbackId", "unitCode", "submittedAt", "rating", "dossierId");

    private Contract() {
    }

    static JsonNode json(byte[] payload) {
        try {
            return MAPPER.readTree(payload);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + new String(payload), e);
        }
    }

    static Instant time(JsonNode node, String field) {
        OffsetDateTime t = OffsetDateTime.parse(node.get(field).textValue(), DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        if (!t.getOffset().equals(ZoneOffset.ofHours(7))) {
            throw new AssertionError(field + " is not at +07:00: " + node);
        }
        return t.toInstant();
    }

    /** Every way {@code payload} breaks the contract for {@code topic}; empty when it is a valid record. */
    static List<String> violations(String topic, byte[] payload, Set<String> units) {
        List<String> v = new ArrayList<>();
        JsonNode n;
        try {
            n = MAPPER.readTree(payload);
        } catch (IOException e) {
            v.add("not JSON");
            return v;
        }
        if (n == null || !n.isObject()) {
            v.add("not an object");
            return v;
        }
        boolean feedback = SimRecord.QR_FEEDBACK.equals(topic);
        if (feedback) {
            text(n, "feedbackId", v);
            unit(n, units, true, v);
            timeField(n, "submittedAt", v);
            if (!RATINGS.contains(n.path("rating").asText())) {
                v.add("rating");
            }
            return v;
        }
        text(n, "eventId", v);
        text(n, "dossierId", v);
        timeField(n, "occurredAt", v);
        String type = n.path("type").asText();
        if (!TYPES.contains(type)) {
            v.add("type");
        }
        unit(n, units, "RECEIVED".equals(type), v);
        switch (type) {
            case "RECEIVED" -> {
                text(n, "procedureCode", v);
                if (!CHANNELS.contains(n.path("channel").asText())) {
                    v.add("channel");
                }
                timeField(n, "dueAt", v);
                bool(n, "digitised", v);
            }
            case "RESOLVED" -> bool(n, "resultDigitised", v);
            case "APOLOGY_ISSUED" -> timeField(n, "newDueAt", v);
            default -> { }
        }
        return v;
    }

    private static void text(JsonNode n, String field, List<String> v) {
        if (!n.path(field).isTextual() || n.path(field).textValue().isBlank()) {
            v.add(field);
        }
    }

    private static void bool(JsonNode n, String field, List<String> v) {
        if (!n.path(field).isBoolean()) {
            v.add(field);
        }
    }

    private static void unit(JsonNode n, Set<String> units, boolean required, List<String> v) {
        JsonNode u = n.get("unitCode");
        if (u == null) {
            if (required) {
                v.add("unitCode");
            }
        } else if (!units.contains(u.asText())) {
            v.add("unknown unit");
        }
    }

    private static void timeField(JsonNode n, String field, List<String> v) {
        if (!n.path(field).isTextual()) {
            v.add(field);
            return;
        }
        try {
            OffsetDateTime.parse(n.get(field).textValue(), DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        } catch (DateTimeParseException e) {
            v.add(field + " format");
        }
    }
}

package vn.onestop.monitor.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * An independent recomputation of the daily KPI counts straight from the raw NDJSON lines, written apart from the
 * job's code (no class of the pipeline is used): plain Jackson trees, java.time and docs/RULES.md read as prose.
 */
final class ReferenceFold {
    static final ZoneId HANOI = ZoneId.of("Asia/Ho_Chi_Minh");
    static final String[] COLUMNS = {"received", "received_online", "received_digitised", "resolved", "resolved_early",
            "resolved_on_time", "resolved_late", "results_digitised", "ratings", "ratings_satisfied"};

    private final ObjectMapper json = new ObjectMapper();
    private final Map<String, List<JsonNode>> eventsByDossier = new HashMap<>();
    private final Set<String> seenEvents = new HashSet<>();
    private final Set<String> seenFeedback = new HashSet<>();
    /** unit|day → counts in COLUMNS order */
    private final Map<String, long[]> daily = new TreeMap<>();

    void dossierLine(byte[] line) throws IOException {
        JsonNode n = json.readTree(line);
        if (seenEvents.add(n.get("eventId").asText())) {
            eventsByDossier.computeIfAbsent(n.get("dossierId").asText(), k -> new ArrayList<>()).add(n);
        }
    }

    void feedbackLine(byte[] line) throws IOException {
        JsonNode n = json.readTree(line);
        if (seenFeedback.add(n.get("feedbackId").asText())) {
            String rating = n.get("rating").asText();
            String key = n.get("unitCode").asText() + "|" + day(n.get("submittedAt").asText());
            bump(key, "ratings");
            if (rating.equals("VERY_SATISFIED") || rating.equals("SATISFIED")) {
                bump(key, "ratings_satisfied");
            }
        }
    }

    Map<String, long[]> daily() {
        for (List<JsonNode> events : eventsByDossier.values()) {
            foldDossier(events);
        }
        eventsByDossier.clear();
        return daily;
    }

    private void foldDossier(List<JsonNode> events) {
        events.sort(Comparator.comparing(e -> time(e.get("occurredAt").asText())));
        JsonNode receipt = first(events, "RECEIVED");
        if (receipt == null) {
            return; // never received: nothing to count yet
        }
        String unit = receipt.get("unitCode").asText();
        String receivedDay = unit + "|" + day(receipt.get("occurredAt").asText());
        bump(receivedDay, "received");
        if (receipt.get("channel").asText().equals("ONLINE")) {
            bump(receivedDay, "received_online");
        }
        if (receipt.get("digitised").asBoolean()) {
            bump(receivedDay, "received_digitised");
        }
        if (first(events, "WITHDRAWN") != null) {
            return; // withdrawn dossiers leave the on-time count
        }
        JsonNode end = first(events, "RESOLVED");
        if (end == null) {
            end = first(events, "RETURNED");
        }
        if (end == null) {
            for (JsonNode e : events) {
                String t = e.get("type").asText();
                if (t.equals("STOPPED") || t.equals("REJECTED")) {
                    end = e;
                    break;
                }
            }
        }
        if (end == null) {
            return; // still open
        }
        OffsetDateTime endAt = time(end.get("occurredAt").asText());
        // Supplement pauses before the end: request → received; a pause still open at the end lasts until the end.
        Duration paused = Duration.ZERO;
        int requests = 0;
        OffsetDateTime waitingSince = null;
        for (JsonNode e : events) {
            OffsetDateTime at = time(e.get("occurredAt").asText());
            if (at.isAfter(endAt)) {
                break;
            }
            String t = e.get("type").asText();
            if (t.equals("SUPPLEMENT_REQUESTED")) {
                requests++;
                if (waitingSince == null) {
                    waitingSince = at;
                }
            } else if (t.equals("SUPPLEMENT_RECEIVED") && waitingSince != null) {
                paused = paused.plus(Duration.between(waitingSince, at));
                waitingSince = null;
            }
        }
        if (waitingSince != null) {
            paused = paused.plus(Duration.between(waitingSince, endAt));
        }
        OffsetDateTime due = time(receipt.get("dueAt").asText()).plus(paused);
        String status;
        if (requests > 1 || endAt.isAfter(due)) {
            status = "resolved_late";
        } else if (endAt.atZoneSameInstant(HANOI).toLocalDate().isBefore(due.atZoneSameInstant(HANOI).toLocalDate())) {
            status = "resolved_early";
        } else {
            status = "resolved_on_time";
        }
        String endDay = unit + "|" + endAt.atZoneSameInstant(HANOI).toLocalDate();
        bump(endDay, "resolved");
        bump(endDay, status);
        if (end.get("type").asText().equals("RESOLVED") && end.get("resultDigitised").asBoolean()) {
            bump(endDay, "results_digitised");
        }
    }

    private static JsonNode first(List<JsonNode> sortedEvents, String type) {
        for (JsonNode e : sortedEvents) {
            if (e.get("type").asText().equals(type)) {
                return e;
            }
        }
        return null;
    }

    private void bump(String key, String column) {
        long[] c = daily.computeIfAbsent(key, k -> new long[COLUMNS.length]);
        for (int i = 0; i < COLUMNS.length; i++) {
            if (COLUMNS[i].equals(column)) {
                c[i]++;
                return;
            }
        }
        throw new IllegalArgumentException(column);
    }

    private static OffsetDateTime time(String iso) {
        return OffsetDateTime.parse(iso);
    }

    private static LocalDate day(String iso) {
        return ZonedDateTime.ofInstant(time(iso).toInstant(), HANOI).toLocalDate();
    }
}

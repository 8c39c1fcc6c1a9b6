package vn.onestop.monitor.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The daily counts of {@code unit_kpi_daily} recomputed from the raw NDJSON lines with nothing of the pipeline's
 * code: Jackson trees, java.time and the on-time rules of docs/RULES.md read as prose. Lines are added in any order;
 * {@link #daily()} folds what it has been given so far, so a test can compare after each published batch.
 */
final class DailyRecount {
    static final ZoneId LOCAL = ZoneId.of("Asia/Ho_Chi_Minh");
    static final List<String> COLUMNS = List.of("received", "received_online", "received_digitised", "resolved", "resolved_early",
            "resolved_on_time", "resolved_late", "results_digitised", "ratings", "ratings_satisfied");
    private static final Set<String> STOPPING = Set.of("STOPPED", "REJECTED");

    private final ObjectMapper mapper = new ObjectMapper();
    private final Set<String> eventIds = new HashSet<>();
    private final Set<String> feedbackIds = new HashSet<>();
    private final Map<String, List<JsonNode>> byDossier = new HashMap<>();
    private final List<JsonNode> ratings = new ArrayList<>();

    void dossierLine(byte[] line) throws IOException {
        JsonNode e = mapper.readTree(line);
        if (eventIds.add(e.path("eventId").asText())) {
            byDossier.computeIfAbsent(e.path("dossierId").asText(), k -> new ArrayList<>()).add(e);
        }
    }

    void feedbackLine(byte[] line) throws IOException {
        JsonNode f = mapper.readTree(line);
        if (feedbackIds.add(f.path("feedbackId").asText())) {
            ratings.add(f);
        }
    }

    /** unit|local day → counts in {@link #COLUMNS} order; days whose counts are all zero are left out. */
    Map<String, List<Long>> daily() {
        Map<String, long[]> out = new TreeMap<>();
        for (JsonNode f : ratings) {
            String key = f.path("unitCode").asText() + "|" + localDay(f.path("submittedAt").asText());
            add(out, key, "ratings");
            String r = f.path("rating").asText();
            if (r.equals("VERY_SATISFIED") || r.equals("SATISFIED")) {
                add(out, key, "ratings_satisfied");
            }
        }
        for (List<JsonNode> events : byDossier.values()) {
            dossier(out, events);
        }
        Map<String, List<Long>> result = new TreeMap<>();
        out.forEach((k, v) -> {
            List<Long> l = new ArrayList<>();
            boolean any = false;
            for (long x : v) {
                l.add(x);
                any |= x != 0;
            }
            if (any) {
                result.put(k, l);
            }
        });
        return result;
    }

    private void dossier(Map<String, long[]> out, List<JsonNode> unsorted) {
        List<JsonNode> events = new ArrayList<>(unsorted);
        events.sort(Comparator.comparing(e -> OffsetDateTime.parse(e.path("occurredAt").asText()).toInstant()));
        Optional<JsonNode> received = firstOf(events, Set.of("RECEIVED"));
        if (received.isEmpty()) {
            return;
        }
        JsonNode rec = received.get();
        String unit = rec.path("unitCode").asText();
        String day = unit + "|" + localDay(rec.path("occurredAt").asText());
        add(out, day, "received");
        if ("ONLINE".equals(rec.path("channel").asText())) {
            add(out, day, "received_online");
        }
        if (rec.path("digitised").asBoolean(false)) {
            add(out, day, "received_digitised");
        }
        if (firstOf(events, Set.of("WITHDRAWN")).isPresent()) {
            return; // a withdrawn dossier leaves the on-time count
        }
        // Processing ends at RESOLVED; failing that RETURNED; failing that STOPPED/REJECTED.
        Optional<JsonNode> end = firstOf(events, Set.of("RESOLVED"))
                .or(() -> firstOf(events, Set.of("RETURNED")))
                .or(() -> firstOf(events, STOPPING));
        if (end.isEmpty()) {
            return;
        }
        OffsetDateTime endAt = OffsetDateTime.parse(end.get().path("occurredAt").asText());
        // Waiting for a supplement stops the clock: due = dueAt + completed pauses (an open one ends at the end).
        Duration paused = Duration.ZERO;
        OffsetDateTime since = null;
        int requests = 0;
        for (JsonNode e : events) {
            OffsetDateTime at = OffsetDateTime.parse(e.path("occurredAt").asText());
            if (at.isAfter(endAt)) {
                break;
            }
            switch (e.path("type").asText()) {
                case "SUPPLEMENT_REQUESTED" -> {
                    requests++;
                    if (since == null) {
                        since = at;
                    }
                }
                case "SUPPLEMENT_RECEIVED" -> {
                    if (since != null) {
                        paused = paused.plus(Duration.between(since, at));
                        since = null;
                    }
                }
                default -> { }
            }
        }
        if (since != null) {
            paused = paused.plus(Duration.between(since, endAt));
        }
        OffsetDateTime due = OffsetDateTime.parse(rec.path("dueAt").asText()).plus(paused);
        LocalDate endDay = endAt.atZoneSameInstant(LOCAL).toLocalDate();
        String column;
        if (requests > 1 || endAt.isAfter(due)) {
            column = "resolved_late"; // more than one supplement request is late by the index's rule
        } else if (endDay.isBefore(due.atZoneSameInstant(LOCAL).toLocalDate())) {
            column = "resolved_early";
        } else {
            column = "resolved_on_time";
        }
        String key = unit + "|" + endDay;
        add(out, key, "resolved");
        add(out, key, column);
        if (end.get().path("type").asText().equals("RESOLVED") && end.get().path("resultDigitised").asBoolean(false)) {
            add(out, key, "results_digitised");
        }
    }

    private static Optional<JsonNode> firstOf(List<JsonNode> sorted, Set<String> types) {
        return sorted.stream().filter(e -> types.contains(e.path("type").asText())).findFirst();
    }

    private static void add(Map<String, long[]> out, String key, String column) {
        out.computeIfAbsent(key, k -> new long[COLUMNS.size()])[COLUMNS.indexOf(column)]++;
    }

    private static LocalDate localDay(String iso) {
        return OffsetDateTime.parse(iso).atZoneSameInstant(LOCAL).toLocalDate();
    }
}

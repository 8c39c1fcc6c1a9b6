package vn.onestop.monitor.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import vn.onestop.monitor.sink.Database;

/**
 * An independent recomputation of the daily KPI counts from the raw records sent, for checking the job's results
 * after a fault. It follows docs/RULES.md as prose, like the end-to-end test's ReferenceFold (which main code cannot
 * use), with plain Jackson trees and java.time and no class of the pipeline. Events are kept compactly (a soak
 * sends millions).
 */
public final class ReferenceCounts {
    static final ZoneId HANOI = ZoneId.of("Asia/Ho_Chi_Minh");
    public static final String[] COLUMNS = {"received", "received_online", "received_digitised", "resolved", "resolved_early",
            "resolved_on_time", "resolved_late", "results_digitised", "ratings", "ratings_satisfied"};
    private static final int RECEIVED = 0, ONLINE = 1, DIGITISED = 2, RESOLVED = 3, EARLY = 4, ON_TIME = 5, LATE = 6,
            RESULTS_DIGITISED = 7, RATINGS = 8, SATISFIED = 9;

    /** One dossier event, as little of it as the rules need. */
    private record Event(String type, long at, String unit, boolean online, boolean digitised, long dueAt, boolean resultDigitised) {}

    private final ObjectMapper json = new ObjectMapper();
    private final Map<String, List<Event>> eventsByDossier = new HashMap<>();
    private final Set<String> seenEvents = new HashSet<>();
    private final Set<String> seenFeedback = new HashSet<>();
    private final Map<String, long[]> daily = new TreeMap<>();

    public void dossierLine(byte[] line) throws IOException {
        JsonNode n = json.readTree(line);
        if (!seenEvents.add(n.get("eventId").asText())) {
            return; // a re-delivery
        }
        String type = n.get("type").asText();
        Event e = new Event(type.intern(), millis(n.get("occurredAt").asText()),
                n.hasNonNull("unitCode") ? n.get("unitCode").asText().intern() : null,
                n.path("channel").asText().equals("ONLINE"), n.path("digitised").asBoolean(),
                n.hasNonNull("dueAt") ? millis(n.get("dueAt").asText()) : 0,
                n.path("resultDigitised").asBoolean());
        eventsByDossier.computeIfAbsent(n.get("dossierId").asText(), k -> new ArrayList<>(4)).add(e);
    }

    public void feedbackLine(byte[] line) throws IOException {
        JsonNode n = json.readTree(line);
        if (seenFeedback.add(n.get("feedbackId").asText())) {
            String rating = n.get("rating").asText();
            long[] c = row(n.get("unitCode").asText(), day(millis(n.get("submittedAt").asText())));
            c[RATINGS]++;
            if (rating.equals("VERY_SATISFIED") || rating.equals("SATISFIED")) {
                c[SATISFIED]++;
            }
        }
    }

    /** unit|day → counts in {@link #COLUMNS} order, rows with only zeros left out. */
    public Map<String, String> daily() {
        for (List<Event> events : eventsByDossier.values()) {
            foldDossier(events);
        }
        eventsByDossier.clear();
        seenEvents.clear();
        Map<String, String> out = new TreeMap<>();
        daily.forEach((k, v) -> {
            if (Arrays.stream(v).anyMatch(x -> x != 0)) {
                out.put(k, Arrays.toString(v));
            }
        });
        return out;
    }

    private void foldDossier(List<Event> events) {
        events.sort(Comparator.comparingLong(Event::at));
        Event receipt = first(events, "RECEIVED");
        if (receipt == null) {
            return; // never received: visible as pending, not counted
        }
        long[] rec = row(receipt.unit(), day(receipt.at()));
        rec[RECEIVED]++;
        if (receipt.online()) {
            rec[ONLINE]++;
        }
        if (receipt.digitised()) {
            rec[DIGITISED]++;
        }
        if (first(events, "WITHDRAWN") != null) {
            return; // leaves the on-time count
        }
        Event end = first(events, "RESOLVED");
        if (end == null) {
            end = first(events, "RETURNED");
        }
        if (end == null) {
            for (Event e : events) {
                if (e.type().equals("STOPPED") || e.type().equals("REJECTED")) {
                    end = e;
                    break;
                }
            }
        }
        if (end == null) {
            return; // still open
        }
        long paused = 0;
        int requests = 0;
        long waitingSince = Long.MIN_VALUE;
        for (Event e : events) {
            if (e.at() > end.at()) {
                break;
            }
            if (e.type().equals("SUPPLEMENT_REQUESTED")) {
                requests++;
                if (waitingSince == Long.MIN_VALUE) {
                    waitingSince = e.at();
                }
            } else if (e.type().equals("SUPPLEMENT_RECEIVED") && waitingSince != Long.MIN_VALUE) {
                paused += e.at() - waitingSince;
                waitingSince = Long.MIN_VALUE;
            }
        }
        if (waitingSince != Long.MIN_VALUE) {
            paused += end.at() - waitingSince;
        }
        long due = receipt.dueAt() + paused;
        int status;
        if (requests > 1 || end.at() > due) {
            status = LATE;
        } else if (day(end.at()).isBefore(day(due))) {
            status = EARLY;
        } else {
            status = ON_TIME;
        }
        long[] ended = row(receipt.unit(), day(end.at()));
        ended[RESOLVED]++;
        ended[status]++;
        if (end.type().equals("RESOLVED") && end.resultDigitised()) {
            ended[RESULTS_DIGITISED]++;
        }
    }

    private static Event first(List<Event> sorted, String type) {
        for (Event e : sorted) {
            if (e.type().equals(type)) {
                return e;
            }
        }
        return null;
    }

    private long[] row(String unit, LocalDate day) {
        return daily.computeIfAbsent(unit + "|" + day, k -> new long[COLUMNS.length]);
    }

    private static long millis(String iso) {
        return OffsetDateTime.parse(iso).toInstant().toEpochMilli();
    }

    private static LocalDate day(long millis) {
        return Instant.ofEpochMilli(millis).atZone(HANOI).toLocalDate();
    }

    /** The job's unit_kpi_daily in the same shape as {@link #daily()}. */
    public static Map<String, String> fromDatabase(Database db) throws Exception {
        Map<String, String> out = new TreeMap<>();
        try (Connection c = db.connect();
             ResultSet rs = c.createStatement().executeQuery("SELECT unit_code, day, " + String.join(", ", COLUMNS) + " FROM unit_kpi_daily")) {
            while (rs.next()) {
                long[] v = new long[COLUMNS.length];
                boolean any = false;
                for (int i = 0; i < v.length; i++) {
                    v[i] = rs.getLong(3 + i);
                    any |= v[i] != 0;
                }
                if (any) {
                    out.put(rs.getString(1) + "|" + rs.getObject(2, LocalDate.class), Arrays.toString(v));
                }
            }
        }
        return out;
    }

    /** How many unit-days differ between two results (0 = identical), for the summary. */
    public static int differences(Map<String, String> expected, Map<String, String> actual) {
        Set<String> keys = new HashSet<>(expected.keySet());
        keys.addAll(actual.keySet());
        int n = 0;
        for (String k : keys) {
            if (!String.valueOf(expected.get(k)).equals(String.valueOf(actual.get(k)))) {
                n++;
            }
        }
        return n;
    }
}

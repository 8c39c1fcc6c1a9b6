package vn.onestop.monitor.recount;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The one independent recomputation of what the job must produce, from exactly the raw lines it was given: the
 * end-to-end, cluster, chaos and review checks all compare the job against this. It shares no code with the job
 * on purpose (this module depends on no other module of the project): plain Jackson trees, java.time, and the rules
 * of docs/RULES.md restated here, so that a mistake in the job's rules is not repeated in the expectation.
 * <p>
 * The rules, as prose: a dossier counts from its RECEIVED event (its unit, channel, digitisation and due time);
 * processing ends at the first RESOLVED, else RETURNED, else STOPPED/REJECTED; waiting for a supplement (request
 * until received, or until the end if still waiting) moves the due time; more than one supplement request, or an
 * end after the moved due time, is late; an end on an earlier local day than the due time is early; a withdrawal
 * takes the dossier out of the on-time count. Local days are Vietnam's (UTC+7). Re-delivered events and feedback
 * (same id) count once. Events are kept compactly, since a chaos soak sends millions.
 */
public final class Recount {
    public static final ZoneId LOCAL = ZoneId.of("Asia/Ho_Chi_Minh");
    /** The columns of unit_kpi_daily this checks, in the order of {@link #daily()}'s lists. */
    public static final List<String> COLUMNS = List.of("received", "received_online", "received_digitised", "resolved", "resolved_early",
            "resolved_on_time", "resolved_late", "results_digitised", "ratings", "ratings_satisfied");
    private static final int RECEIVED = 0, ONLINE = 1, DIGITISED = 2, RESOLVED = 3, EARLY = 4, ON_TIME = 5, LATE = 6,
            RESULTS_DIGITISED = 7, RATINGS = 8, SATISFIED = 9;

    /** One dossier event, as little of it as the rules need; times in epoch microseconds. */
    private record Event(String type, long at, String unit, boolean online, boolean digitised, long dueAt, boolean resultDigitised) {}

    /** One rating: its unit, when it was submitted (epoch microseconds) and the rating's name. */
    public record Rating(String unit, long at, String rating) {
        public boolean satisfied() {
            return rating.equals("VERY_SATISFIED") || rating.equals("SATISFIED");
        }

        public boolean dissatisfied() {
            return rating.equals("DISSATISFIED") || rating.equals("VERY_DISSATISFIED");
        }
    }

    /** How a dossier stands after all its events: {@code EARLY}, {@code ON_TIME}, {@code LATE} (ended), {@code WITHDRAWN}, or open. */
    public enum Outcome { EARLY, ON_TIME, LATE, WITHDRAWN, OPEN }

    /**
     * What the rules say of one received dossier. Times are epoch microseconds; {@code closedAt} is the end (or the
     * withdrawal) and {@link Long#MAX_VALUE} while open; {@code due} is the due time moved by every supplement wait up
     * to the end, which decides early / on time / late.
     * <p>
     * The alerts follow the dossier's clock (docs/RULES.md, "The processing clock"; docs/ALERTS.md): it runs from the
     * receipt, stands still while the office waits for a supplement and stops for good at the end or the withdrawal,
     * whichever comes first.
     * {@code clockStoppedAt} is when it last stopped (that stop, or the start of a wait still open then; MAX while it
     * runs); {@code clockDue} is when it runs out: the appointment moved only by the completed waits that began before
     * it had run out. The dossier is overdue when {@code clockDue < clockStoppedAt}.
     */
    public record Dossier(String id, String unit, long receivedAt, boolean online, boolean digitised, Outcome outcome, long closedAt,
                          boolean resultDigitised, long due, long clockDue, long clockStoppedAt) {
        public boolean ended() {
            return outcome == Outcome.EARLY || outcome == Outcome.ON_TIME || outcome == Outcome.LATE;
        }
    }

    private final ObjectMapper json = new ObjectMapper();
    private final Map<String, List<Event>> eventsByDossier = new HashMap<>();
    private final Set<String> seenEvents = new HashSet<>();
    private final Set<String> seenFeedback = new HashSet<>();
    private final List<Rating> ratings = new ArrayList<>();
    /** Null: every unit code receives on every day (the recomputations of history before the registry had dates). */
    private final UnitCalendar units;
    private final List<String> notValidAt = new ArrayList<>();

    public Recount() {
        this(null);
    }

    /**
     * A recomputation that judges receipts by date (docs/UNITS.md): a RECEIVED naming a unit with no version valid on
     * its local day is a dead letter (UNIT_NOT_VALID_AT) and its dossier is never received; later events and ratings
     * name the unit that received the dossier and are not judged by date.
     */
    public Recount(UnitCalendar units) {
        this.units = units;
    }

    /** The event ids of the receipts refused because their unit was not valid on their local day. */
    public List<String> notValidAt() {
        return Collections.unmodifiableList(notValidAt);
    }

    /** One well-formed line of the dossier-events topic (malformed ones are the dead letters' business, not counted). */
    public void dossierLine(byte[] line) throws IOException {
        JsonNode n = json.readTree(line);
        if (!seenEvents.add(n.get("eventId").asText())) {
            return; // a re-delivery
        }
        Event e = new Event(n.get("type").asText().intern(), micros(n.get("occurredAt").asText()),
                n.hasNonNull("unitCode") ? n.get("unitCode").asText().intern() : null,
                n.path("channel").asText().equals("ONLINE"), n.path("digitised").asBoolean(),
                n.hasNonNull("dueAt") ? micros(n.get("dueAt").asText()) : 0,
                n.path("resultDigitised").asBoolean());
        if (units != null && e.type().equals("RECEIVED") && !units.validOn(e.unit(), day(e.at()))) {
            notValidAt.add(n.get("eventId").asText());
            return;
        }
        eventsByDossier.computeIfAbsent(n.get("dossierId").asText(), k -> new ArrayList<>(4)).add(e);
    }

    /** One well-formed line of the qr-feedback topic. */
    public void feedbackLine(byte[] line) throws IOException {
        JsonNode n = json.readTree(line);
        if (seenFeedback.add(n.get("feedbackId").asText())) {
            ratings.add(new Rating(n.get("unitCode").asText().intern(), micros(n.get("submittedAt").asText()), n.get("rating").asText().intern()));
        }
    }

    /** Every received dossier as the rules see it after the lines given so far (may be called again after more). */
    public List<Dossier> dossiers() {
        List<Dossier> out = new ArrayList<>();
        for (Map.Entry<String, List<Event>> events : eventsByDossier.entrySet()) {
            Dossier d = dossier(events.getKey(), events.getValue());
            if (d != null) {
                out.add(d);
            }
        }
        return out;
    }

    public List<Rating> ratings() {
        return Collections.unmodifiableList(ratings);
    }

    /** unit|local day → counts in {@link #COLUMNS} order, as unit_kpi_daily must hold them; all-zero rows left out. */
    public Map<String, List<Long>> daily() {
        Map<String, long[]> rows = new TreeMap<>();
        for (Rating r : ratings) {
            long[] c = row(rows, r.unit(), day(r.at()));
            c[RATINGS]++;
            if (r.satisfied()) {
                c[SATISFIED]++;
            }
        }
        for (Dossier d : dossiers()) {
            long[] rec = row(rows, d.unit(), day(d.receivedAt()));
            rec[RECEIVED]++;
            rec[ONLINE] += d.online() ? 1 : 0;
            rec[DIGITISED] += d.digitised() ? 1 : 0;
            if (d.ended()) {
                long[] ended = row(rows, d.unit(), day(d.closedAt()));
                ended[RESOLVED]++;
                ended[switch (d.outcome()) {
                    case EARLY -> EARLY;
                    case ON_TIME -> ON_TIME;
                    default -> LATE;
                }]++;
                ended[RESULTS_DIGITISED] += d.resultDigitised() ? 1 : 0;
            }
        }
        return lists(rows);
    }

    private static Dossier dossier(String id, List<Event> unsorted) {
        List<Event> events = new ArrayList<>(unsorted);
        events.sort(Comparator.comparingLong(Event::at));
        Event receipt = first(events, Set.of("RECEIVED"));
        if (receipt == null) {
            return null; // never received: visible as pending, not counted
        }
        Event end = first(events, Set.of("RESOLVED"));
        if (end == null) {
            end = first(events, Set.of("RETURNED"));
        }
        if (end == null) {
            end = first(events, Set.of("STOPPED", "REJECTED"));
        }
        // Supplement waits up to the end move the due time; a wait still open at the end lasts until the end.
        long paused = 0;
        int requests = 0;
        long waitingSince = Long.MIN_VALUE;
        for (Event e : events) {
            if (end != null && e.at() > end.at()) {
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
        if (end != null && waitingSince != Long.MIN_VALUE) {
            paused += end.at() - waitingSince;
        }
        long due = receipt.dueAt() + paused;
        Event withdrawal = first(events, Set.of("WITHDRAWN"));
        Outcome outcome;
        long closedAt;
        if (withdrawal != null) {
            outcome = Outcome.WITHDRAWN; // leaves the on-time count, whenever it came
            closedAt = withdrawal.at();
        } else if (end == null) {
            outcome = Outcome.OPEN;
            closedAt = Long.MAX_VALUE;
        } else {
            closedAt = end.at();
            if (requests > 1 || end.at() > due) {
                outcome = Outcome.LATE;
            } else if (day(end.at()).isBefore(day(due))) {
                outcome = Outcome.EARLY;
            } else {
                outcome = Outcome.ON_TIME;
            }
        }
        boolean resultDigitised = end != null && end.type().equals("RESOLVED") && end.resultDigitised();
        long[] clock = clock(events, receipt.dueAt(), Math.min(end == null ? Long.MAX_VALUE : end.at(),
                withdrawal == null ? Long.MAX_VALUE : withdrawal.at()));
        return new Dossier(id, receipt.unit(), receipt.at(), receipt.online(), receipt.digitised(), outcome, closedAt, resultDigitised, due,
                clock[0], clock[1]);
    }

    /** {clockDue, clockStoppedAt} of the dossier's clock (see {@link Dossier}) for a stop at {@code stop} (MAX: none). */
    private static long[] clock(List<Event> sorted, long appointment, long stop) {
        List<long[]> waits = new ArrayList<>();
        long waitingSince = Long.MIN_VALUE;
        for (Event e : sorted) {
            if (e.at() > stop) {
                break;
            }
            if (e.type().equals("SUPPLEMENT_REQUESTED") && waitingSince == Long.MIN_VALUE) {
                waitingSince = e.at();
            } else if (e.type().equals("SUPPLEMENT_RECEIVED") && waitingSince != Long.MIN_VALUE) {
                waits.add(new long[] {waitingSince, e.at()});
                waitingSince = Long.MIN_VALUE;
            }
        }
        long runsOut = appointment;
        for (long[] w : waits) {
            if (w[0] > runsOut) {
                break; // a wait begun after the clock ran out does not undo the overdue time
            }
            runsOut += w[1] - w[0];
        }
        return new long[] {runsOut, waitingSince != Long.MIN_VALUE ? waitingSince : stop};
    }

    private static Event first(List<Event> sorted, Set<String> types) {
        for (Event e : sorted) {
            if (types.contains(e.type())) {
                return e;
            }
        }
        return null;
    }

    private static long[] row(Map<String, long[]> rows, String unit, LocalDate day) {
        return rows.computeIfAbsent(unit + "|" + day, k -> new long[COLUMNS.size()]);
    }

    private static Map<String, List<Long>> lists(Map<String, long[]> rows) {
        Map<String, List<Long>> out = new TreeMap<>();
        rows.forEach((k, v) -> {
            List<Long> l = new ArrayList<>(v.length);
            boolean any = false;
            for (long x : v) {
                l.add(x);
                any |= x != 0;
            }
            if (any) {
                out.put(k, List.copyOf(l));
            }
        });
        return out;
    }

    static long micros(String iso) {
        return ChronoUnit.MICROS.between(Instant.EPOCH, OffsetDateTime.parse(iso).toInstant());
    }

    public static Instant instant(long micros) {
        return Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
    }

    static LocalDate day(long micros) {
        return instant(micros).atZone(LOCAL).toLocalDate();
    }

    /** The job's unit_kpi_daily in the shape of {@link #daily()}, read with plain JDBC (the caller's connection stays open). */
    public static Map<String, List<Long>> fromDatabase(Connection c) throws SQLException {
        Map<String, long[]> rows = new TreeMap<>();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT unit_code, day, " + String.join(", ", COLUMNS) + " FROM unit_kpi_daily")) {
            while (rs.next()) {
                long[] v = new long[COLUMNS.size()];
                for (int i = 0; i < v.length; i++) {
                    v[i] = rs.getLong(3 + i);
                }
                rows.put(rs.getString(1) + "|" + rs.getObject(2, LocalDate.class), v);
            }
        }
        return lists(rows);
    }

    /** How many unit-days differ between two results (0 = identical). */
    public static int differences(Map<String, List<Long>> expected, Map<String, List<Long>> actual) {
        Set<String> keys = new TreeSet<>(expected.keySet());
        keys.addAll(actual.keySet());
        return (int) keys.stream().filter(k -> !Objects.equals(expected.get(k), actual.get(k))).count();
    }

    /** The rows that differ, as "unit|day: actual ≠ expected", at most {@code limit} of them, for a failure message. */
    public static String describeDifferences(Map<String, List<Long>> actual, Map<String, List<Long>> expected, int limit) {
        StringBuilder sb = new StringBuilder("columns " + COLUMNS + "; rows differing:");
        Set<String> keys = new TreeSet<>(expected.keySet());
        keys.addAll(actual.keySet());
        List<String> differing = keys.stream().filter(k -> !Objects.equals(actual.get(k), expected.get(k))).toList();
        differing.stream().limit(limit).forEach(k -> sb.append("\n  ").append(k).append(": ").append(actual.get(k)).append(" ≠ ").append(expected.get(k)));
        return sb.append("\n  (").append(differing.size()).append(" rows in all)").toString();
    }
}

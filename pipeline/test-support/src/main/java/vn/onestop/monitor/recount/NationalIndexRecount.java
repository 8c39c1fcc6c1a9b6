package vn.onestop.monitor.recount;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The count-based indicators of the national index (docs/INDEX766.md) and the month-end projection of 2.1
 * (docs/INDEX766.md, "Month-end projection") recomputed from the raw NDJSON lines, written from the doc alone: no
 * class of the job's {@code index} package and none of the SQL views is used; its own fold of the lines, its own
 * 2.1 judgement, its own arithmetic. The only shared inputs are data: the unit table's parents and procedures.csv.
 * Started as NationalIndexEndToEndTest's recomputation (pipeline/local), here so the review's test can use it.
 */
public final class NationalIndexRecount {
    public static final ZoneId LOCAL = ZoneId.of("Asia/Ho_Chi_Minh");
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The indicators this recount computes (the ten count-based ones). */
    public static final List<String> INDICATORS = List.of("1.4", "2.1", "3.3", "3.6", "4.1", "4.2", "4.3", "4.4", "4.5.1", "5.4");

    /** One dossier as the raw lines tell it. */
    private static final class Dossier {
        final Set<String> eventIds = new HashSet<>();
        Instant received;
        String unit;
        String procedure;
        String channel;
        Instant due;
        boolean digitised;
        final Set<String> facts = new HashSet<>();
        int payments;
        long amount;
        boolean paidOnline;
        Instant resolved;
        Instant returned;
        Instant stopped;
        Instant withdrawn;
        Instant lastEvent;
        final TreeMap<Instant, Boolean> supplements = new TreeMap<>(); // time → is a request
    }

    private final Map<String, Dossier> dossiers = new HashMap<>();
    private final Map<String, List<Instant>> negativeRatings = new HashMap<>();
    /** How often the scenario exercised a rule, so a test can require it. */
    public int dissatisfiedInTime;
    public int lateWaiting;
    public int judgedAtRequest;

    public void dossierLine(byte[] line) throws IOException {
        event(JSON.readTree(line));
    }

    public void feedbackLine(byte[] line) throws IOException {
        rating(JSON.readTree(line));
    }

    public void event(JsonNode n) {
        Dossier d = dossiers.computeIfAbsent(n.get("dossierId").asText(), k -> new Dossier());
        if (!d.eventIds.add(n.get("eventId").asText())) {
            return; // the simulator's duplicates repeat an event verbatim
        }
        Instant at = time(n, "occurredAt");
        d.lastEvent = d.lastEvent == null || at.isAfter(d.lastEvent) ? at : d.lastEvent;
        for (String flag : List.of("syncedToPortal", "electronicResult", "reusedData", "personalDataStore", "vneid")) {
            if (n.path(flag).asBoolean(false)) {
                d.facts.add(flag);
            }
        }
        if (n.has("payment")) {
            d.payments++;
            long amount = n.get("payment").get("amount").asLong();
            d.amount += amount;
            d.paidOnline |= amount > 0 && !n.get("payment").get("method").asText().equals("CASH");
        }
        switch (n.get("type").asText()) {
            case "RECEIVED" -> {
                d.received = at;
                d.unit = n.get("unitCode").asText();
                d.procedure = n.get("procedureCode").asText();
                d.channel = n.get("channel").asText();
                d.due = time(n, "dueAt");
                d.digitised = n.get("digitised").asBoolean();
            }
            case "RESOLVED" -> d.resolved = earlier(d.resolved, at);
            case "RETURNED" -> d.returned = earlier(d.returned, at);
            case "STOPPED", "REJECTED" -> d.stopped = earlier(d.stopped, at);
            case "WITHDRAWN" -> d.withdrawn = earlier(d.withdrawn, at);
            case "SUPPLEMENT_REQUESTED" -> d.supplements.put(at, true);
            case "SUPPLEMENT_RECEIVED" -> d.supplements.put(at, false);
            default -> { }
        }
    }

    public void rating(JsonNode n) {
        String level = n.get("rating").asText();
        if (n.has("dossierId") && (level.equals("DISSATISFIED") || level.equals("VERY_DISSATISFIED"))) {
            negativeRatings.computeIfAbsent(n.get("dossierId").asText(), k -> new ArrayList<>()).add(time(n, "submittedAt"));
        }
    }

    /** code → {written_result, has_fee}, read from a procedures.csv (data, not code). */
    public static Map<String, boolean[]> procedureFlags(InputStream csv) throws IOException {
        Map<String, boolean[]> flags = new HashMap<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(csv, StandardCharsets.UTF_8))) {
            List<String> header = List.of(in.readLine().split(","));
            String line;
            while ((line = in.readLine()) != null) {
                String[] cells = line.split(",");
                flags.put(cells[0], new boolean[] {Boolean.parseBoolean(cells[header.indexOf("written_result")]),
                        Boolean.parseBoolean(cells[header.indexOf("has_fee")])});
            }
        }
        return flags;
    }

    /** The data's clock: the latest receipt or event of any received dossier. */
    public Instant latestEvent() {
        Instant latest = null;
        for (Dossier d : dossiers.values()) {
            if (d.received != null) {
                Instant t = d.lastEvent.isAfter(d.received) ? d.lastEvent : d.received;
                latest = latest == null || t.isAfter(latest) ? t : latest;
            }
        }
        return latest;
    }

    /** "unit|type|period|indicator" → "value|points|max", as unit_index_766 should show them. */
    public Map<String, String> indicators(Map<String, String> parents, Map<String, boolean[]> procedures) {
        Map<String, String> out = new TreeMap<>();
        counts(parents, procedures).forEach((key, c) -> {
            // c: 0 handled, 1 in time, 2 in time + dissatisfied, 3 e-result, 4 digitised, 5 reused, 6 personal store,
            //    7 VNeID, 8 received, 9 synced, 10 online, 11 fee dossiers, 12 paid online
            put(out, key, "1.4", 6, "1", c[9], c[8]);
            put(out, key, "2.1", 20, "1", c[1], c[0]);
            put(out, key, "3.3", 6, "0.5", c[10] * c[9], c[8] * c[8]);
            put(out, key, "3.6", 6, "1", c[12], c[11]);
            put(out, key, "4.1", 6, "1", c[3], c[0]);
            put(out, key, "4.2", 4, "1", c[4], c[0]);
            put(out, key, "4.3", 2, "0.8", c[5], c[0]);
            put(out, key, "4.4", 4, "1", c[6], c[0]);
            put(out, key, "4.5.1", 2, "1", c[7], c[0]);
            put(out, key, "5.4", 6, "0.9", c[1] - c[2], c[0]);
        });
        return out;
    }

    /**
     * The month-end projection for the month of {@link #latestEvent()}: "unit" → "handled|openLate|openDueThisMonth|
     * openDueAfterMonth|pointsIfLate|pointsIfOnTime". An open dossier (no end, no unanswered supplement request) must
     * end by its appointment plus the time it waited on answered requests; before the latest event that time is
     * already past (late whatever happens), before the month's end it is due this month, else it is in time for the
     * month whatever happens. In time if late = the month's 2.1 count as judged at its end; if on time = that plus
     * every dossier due this month.
     */
    public Map<String, String> projection(Map<String, String> parents, Map<String, boolean[]> procedures) {
        Instant asOf = latestEvent();
        LocalDate month = asOf.atZone(LOCAL).toLocalDate().withDayOfMonth(1);
        Instant end = month.plusMonths(1).atStartOfDay(LOCAL).toInstant();
        String key = "|MONTH|" + month.toString().substring(0, 7);
        Map<String, long[]> counts = counts(parents, procedures);
        Map<String, long[]> open = new TreeMap<>(); // unit → late, due this month, due after
        for (Dossier d : dossiers.values()) {
            if (d.received == null || d.resolved != null || d.returned != null || d.stopped != null || d.withdrawn != null) {
                continue;
            }
            List<Instant[]> rounds = rounds(d);
            if (rounds.stream().anyMatch(r -> r[1] == null)) {
                continue; // waiting on a supplement: judged at the request
            }
            long pausedMs = 0;
            for (Instant[] r : rounds) {
                pausedMs += r[1].toEpochMilli() - r[0].toEpochMilli();
            }
            Instant due = d.due.plusMillis(pausedMs);
            int slot = due.isBefore(asOf) ? 0 : due.isBefore(end) ? 1 : 2;
            for (String unit = d.unit; unit != null; unit = parents.get(unit)) {
                open.computeIfAbsent(unit, k -> new long[3])[slot]++;
            }
        }
        Map<String, String> out = new TreeMap<>();
        counts.forEach((k, c) -> {
            if (!k.endsWith(key)) {
                return;
            }
            String unit = k.substring(0, k.length() - key.length());
            long[] o = open.getOrDefault(unit, new long[3]);
            out.put(unit, c[0] + "|" + o[0] + "|" + o[1] + "|" + o[2] + "|" + points20(c[1], c[0]) + "|" + points20(c[1] + o[1], c[0]));
        });
        return out;
    }

    private static BigDecimal points20(long part, long whole) {
        if (whole == 0) {
            return new BigDecimal("0.00");
        }
        return new BigDecimal(20 * part).divide(new BigDecimal(whole), 2, RoundingMode.HALF_UP).min(new BigDecimal("20.00"));
    }

    /** "unit|type|period" → 13 counts. */
    private Map<String, long[]> counts(Map<String, String> parents, Map<String, boolean[]> procedures) {
        LocalDate first = null;
        LocalDate last = null;
        for (Dossier d : dossiers.values()) {
            if (d.received != null) {
                LocalDate r = d.received.atZone(LOCAL).toLocalDate().withDayOfMonth(1);
                LocalDate l = d.lastEvent.atZone(LOCAL).toLocalDate().withDayOfMonth(1);
                first = first == null || r.isBefore(first) ? r : first;
                last = last == null || l.isAfter(last) ? l : last;
            }
        }
        Map<String, LocalDate[]> periods = new TreeMap<>();
        for (LocalDate m = first; !m.isAfter(last); m = m.plusMonths(1)) {
            periods.put("MONTH|" + m.toString().substring(0, 7), new LocalDate[] {m, m.plusMonths(1)});
            LocalDate q = m.withMonth((m.getMonthValue() - 1) / 3 * 3 + 1);
            periods.put("QUARTER|" + m.getYear() + "-Q" + ((m.getMonthValue() - 1) / 3 + 1), new LocalDate[] {q, q.plusMonths(3)});
            periods.put("YEAR|" + m.getYear(), new LocalDate[] {m.withDayOfYear(1), m.withDayOfYear(1).plusYears(1)});
        }
        dissatisfiedInTime = 0;
        lateWaiting = 0;
        judgedAtRequest = 0;
        Map<String, long[]> counts = new TreeMap<>();
        for (Map.Entry<String, LocalDate[]> p : periods.entrySet()) {
            Instant start = p.getValue()[0].atStartOfDay(LOCAL).toInstant();
            Instant end = p.getValue()[1].atStartOfDay(LOCAL).toInstant();
            for (Map.Entry<String, Dossier> e : dossiers.entrySet()) {
                Dossier d = e.getValue();
                if (d.received == null) {
                    continue;
                }
                long[] c = count(e.getKey(), d, start, end, procedures.getOrDefault(d.procedure, new boolean[2]));
                if (c == null) {
                    continue;
                }
                for (String unit = d.unit; unit != null; unit = parents.get(unit)) {
                    long[] sum = counts.computeIfAbsent(unit + "|" + p.getKey(), k -> new long[13]);
                    for (int i = 0; i < 13; i++) {
                        sum[i] += c[i];
                    }
                }
            }
        }
        return counts;
    }

    /** Supplement rounds in time order: {requested, supplied or null}; a supply answers the latest open request. */
    private static List<Instant[]> rounds(Dossier d) {
        List<Instant[]> rounds = new ArrayList<>();
        d.supplements.forEach((t, request) -> {
            if (request) {
                rounds.add(new Instant[] {t, null});
            } else {
                for (int i = rounds.size() - 1; i >= 0; i--) {
                    if (rounds.get(i)[1] == null) {
                        rounds.get(i)[1] = t;
                        break;
                    }
                }
            }
        });
        return rounds;
    }

    /** What one dossier adds to one period's counts, or null when it is in neither population. */
    private long[] count(String id, Dossier d, Instant start, Instant end, boolean[] procedure) {
        if (!d.received.isBefore(end)) {
            return null;
        }
        boolean writtenResult = procedure[0];
        boolean fee = procedure[1];
        // 2.1's end of processing as known at the period's end.
        Instant ended = before(d.resolved, end);
        if (ended == null) {
            ended = before(d.returned, end);
        }
        if (ended == null) {
            ended = earlier(before(d.stopped, end), before(d.withdrawn, end));
        }
        List<Instant[]> rounds = rounds(d);
        Boolean inTime = null;
        if (ended == null) {
            int asked = 0;
            Instant outstanding = null;
            for (Instant[] r : rounds) {
                if (r[0].isBefore(end)) {
                    asked++;
                    if ((r[1] == null || !r[1].isBefore(end)) && (outstanding == null || r[0].isAfter(outstanding))) {
                        outstanding = r[0];
                    }
                }
            }
            if (outstanding != null && asked > 1) {
                inTime = false; // waiting after more than one request: late
                ended = outstanding;
                lateWaiting++;
            } else if (outstanding != null) {
                ended = outstanding;
                judgedAtRequest++;
            } else {
                ended = end;
            }
        }
        boolean handled = !ended.isBefore(start);
        if (handled && inTime == null) {
            long pausedMs = 0;
            for (Instant[] r : rounds) {
                if (r[1] != null && !r[1].isAfter(ended)) {
                    pausedMs += r[1].toEpochMilli() - r[0].toEpochMilli();
                }
            }
            inTime = ended.toEpochMilli() - pausedMs <= d.due.toEpochMilli();
        }
        boolean receivedHere = !d.received.isBefore(start);
        if (!handled && !receivedHere) {
            return null;
        }
        boolean electronic = d.facts.contains("electronicResult");
        boolean dissatisfied = false;
        for (Instant t : negativeRatings.getOrDefault(id, List.of())) {
            dissatisfied |= t.isBefore(end);
        }
        boolean inTimeHandled = handled && inTime;
        if (inTimeHandled && dissatisfied) {
            dissatisfiedInTime++;
        }
        boolean feeDossier = receivedHere && fee && !(d.payments > 0 && d.amount == 0);
        return new long[] {
                one(handled), one(inTimeHandled), one(inTimeHandled && dissatisfied),
                one(handled && writtenResult && electronic),
                one(handled && d.digitised && (!writtenResult || electronic)),
                one(handled && d.facts.contains("reusedData")),
                one(handled && d.facts.contains("personalDataStore")),
                one(handled && d.facts.contains("vneid")),
                one(receivedHere), one(receivedHere && d.facts.contains("syncedToPortal")),
                one(receivedHere && d.channel.equals("ONLINE") && (!writtenResult || electronic)),
                one(feeDossier), one(feeDossier && d.paidOnline)};
    }

    /** value = part / whole to 4 places; points = max × part / (whole × fullAt), half up to 2 places, at most max. */
    private static void put(Map<String, String> out, String key, String indicator, int max, String fullAt, long part, long whole) {
        BigDecimal maxPoints = new BigDecimal(max).setScale(2);
        if (whole == 0) {
            out.put(key + "|" + indicator, "null|0.00|" + maxPoints);
            return;
        }
        BigDecimal value = new BigDecimal(part).divide(new BigDecimal(whole), 4, RoundingMode.HALF_UP);
        BigDecimal points = new BigDecimal(max * part).divide(new BigDecimal(whole).multiply(new BigDecimal(fullAt)), 2, RoundingMode.HALF_UP);
        out.put(key + "|" + indicator, value + "|" + points.min(maxPoints) + "|" + maxPoints);
    }

    /** "unit|type|period" → "points|max", the sums of an indicators map's rounded points. */
    public static Map<String, String> totals(Map<String, String> indicators) {
        Map<String, BigDecimal[]> sums = new TreeMap<>();
        indicators.forEach((k, v) -> {
            String[] parts = v.split("\\|");
            BigDecimal[] s = sums.computeIfAbsent(k.substring(0, k.lastIndexOf('|')), x -> new BigDecimal[] {BigDecimal.ZERO, BigDecimal.ZERO});
            s[0] = s[0].add(new BigDecimal(parts[1]));
            s[1] = s[1].add(new BigDecimal(parts[2]));
        });
        Map<String, String> out = new TreeMap<>();
        sums.forEach((k, s) -> out.put(k, s[0].setScale(2) + "|" + s[1].setScale(2)));
        return out;
    }

    private static long one(boolean b) {
        return b ? 1 : 0;
    }

    private static Instant before(Instant t, Instant end) {
        return t != null && t.isBefore(end) ? t : null;
    }

    private static Instant earlier(Instant a, Instant b) {
        return a == null ? b : b == null || a.isBefore(b) ? a : b;
    }

    private static Instant time(JsonNode n, String field) {
        return OffsetDateTime.parse(n.get(field).asText()).toInstant();
    }
}

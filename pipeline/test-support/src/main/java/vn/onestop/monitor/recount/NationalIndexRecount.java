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
 * The national index (docs/INDEX766.md): the ten count-based indicators, the five catalogue ones, the totals and the
 * month-end projection of 2.1 ("Month-end projection"), recomputed from the raw NDJSON lines, written from the doc
 * alone: no class of the job (its {@code index}, {@code kpi}, {@code units} or {@code reference} packages) and none of
 * the SQL views is used; its own fold of the lines, its own 2.1 judgement, its own registry walk, its own arithmetic.
 * The only shared inputs are data: units.csv, procedures.csv and unit_procedures.csv, read here by this class.
 * The one recomputation of the index for the tests: NationalIndexEndToEndTest (pipeline/local) and
 * Index766ReviewEndToEndTest (pipeline/review) both use it.
 *
 * <p>Parents (docs/INDEX766.md, "Parents across the 2025 reorganisation"): a dossier counts for the version of its
 * unit that received it and that version's ancestors on its receipt day (a code received for after its last version
 * ended: as of that version's last day); a catalogue row counts for the ancestors its unit has on any day of the period.
 */
public final class NationalIndexRecount {
    public static final ZoneId LOCAL = ZoneId.of("Asia/Ho_Chi_Minh");
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The indicators this recount computes: every indicator the views compute. */
    public static final List<String> INDICATORS = List.of("1.4", "2.1", "3.1", "3.2", "3.3", "3.5.1", "3.5.2", "3.6",
            "4.1", "4.2", "4.3", "4.4", "4.5.1", "4.5.2", "5.4");

    /** One version of a unit code, as a units.csv line gives it; open ends as far-off days. */
    public record Version(String code, String level, String parent, LocalDate from, LocalDate to) {
        boolean validOn(LocalDate day) {
            return !day.isBefore(from) && !day.isAfter(to);
        }
    }

    /** The dated unit registry of a units.csv (code,name,level,parent_code,valid_from,valid_to; empty = open). */
    public static final class Registry {
        private final Map<String, List<Version>> versions = new HashMap<>();

        public static Registry read(InputStream unitsCsv) throws IOException {
            Registry r = new Registry();
            try (BufferedReader in = new BufferedReader(new InputStreamReader(unitsCsv, StandardCharsets.UTF_8))) {
                List<String> header = List.of(in.readLine().split(","));
                String line;
                while ((line = in.readLine()) != null) {
                    if (line.isBlank()) {
                        continue;
                    }
                    String[] f = line.split(",", -1);
                    String from = f[header.indexOf("valid_from")];
                    String to = f[header.indexOf("valid_to")];
                    String parent = f[header.indexOf("parent_code")];
                    String code = f[header.indexOf("code")];
                    r.versions.computeIfAbsent(code, k -> new ArrayList<>()).add(new Version(code, f[header.indexOf("level")],
                            parent.isEmpty() ? null : parent, from.isEmpty() ? LocalDate.MIN : LocalDate.parse(from),
                            to.isEmpty() ? LocalDate.MAX : LocalDate.parse(to)));
                }
            }
            return r;
        }

        /** The version valid on the day, else the code's latest version that started before it (null: none). */
        public Version asOf(String code, LocalDate day) {
            Version best = null;
            for (Version v : versions.getOrDefault(code, List.of())) {
                if (!v.from().isAfter(day) && (best == null || v.from().isAfter(best.from()))) {
                    best = v;
                }
            }
            return best;
        }

        private Version validOn(String code, LocalDate day) {
            for (Version v : versions.getOrDefault(code, List.of())) {
                if (v.validOn(day)) {
                    return v;
                }
            }
            return null;
        }

        /** The code and its ancestors on the day, each parent's version valid that day. */
        private List<String> chainOn(Version start, LocalDate day) {
            List<String> chain = new ArrayList<>();
            for (Version v = start; v != null; v = v.parent() == null ? null : validOn(v.parent(), day)) {
                chain.add(v.code());
            }
            return chain;
        }

        /** Where a dossier of the code received on the day counts: its receipt day's version and ancestors. */
        public List<String> dossierAncestors(String code, LocalDate receiptDay) {
            Version v = asOf(code, receiptDay);
            if (v == null) {
                return List.of();
            }
            return chainOn(v, receiptDay.isAfter(v.to()) ? v.to() : receiptDay);
        }

        /** Every unit the code is (or is under) on some day of [first, end). */
        public Set<String> ancestorsDuring(String code, LocalDate first, LocalDate end) {
            Set<String> out = new HashSet<>();
            for (LocalDate d = first; d.isBefore(end); d = d.plusDays(1)) {
                Version v = validOn(code, d);
                if (v != null) {
                    out.addAll(chainOn(v, d));
                }
            }
            return out;
        }
    }

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

    /** code → {written_result, has_fee, citizen_applicant}, read from a procedures.csv (data, not code). */
    public static Map<String, boolean[]> procedureFlags(InputStream csv) throws IOException {
        Map<String, boolean[]> flags = new HashMap<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(csv, StandardCharsets.UTF_8))) {
            List<String> header = List.of(in.readLine().split(","));
            String line;
            while ((line = in.readLine()) != null) {
                String[] cells = line.split(",");
                flags.put(cells[0], new boolean[] {Boolean.parseBoolean(cells[header.indexOf("written_result")]),
                        Boolean.parseBoolean(cells[header.indexOf("has_fee")]),
                        header.contains("citizen_applicant") && Boolean.parseBoolean(cells[header.indexOf("citizen_applicant")])});
            }
        }
        return flags;
    }

    /** {unit, procedure, online service} rows of a unit_procedures.csv (data, not code). */
    public static List<String[]> catalogue(InputStream csv) throws IOException {
        List<String[]> rows = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(csv, StandardCharsets.UTF_8))) {
            List<String> header = List.of(in.readLine().split(","));
            String line;
            while ((line = in.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                String[] cells = line.split(",");
                rows.add(new String[] {cells[header.indexOf("unit_code")], cells[header.indexOf("procedure_code")],
                        cells[header.indexOf("online_service")]});
            }
        }
        return rows;
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
    public Map<String, String> indicators(Registry units, Map<String, boolean[]> procedures, List<String[]> catalogue) {
        Map<String, String> out = new TreeMap<>();
        Map<String, Map<Dossier, boolean[]>> inPeriod = new HashMap<>();
        Map<String, LocalDate[]> periods = periods();
        counts(units, procedures, inPeriod).forEach((key, c) -> {
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
            String unit = key.substring(0, key.indexOf('|'));
            String period = key.substring(key.indexOf('|') + 1);
            catalogueIndicators(out, key, unit, periods.get(period), units, procedures, catalogue,
                    inPeriod.getOrDefault(period, Map.of()));
        });
        return out;
    }

    /**
     * 3.1, 3.2, 3.5.1, 3.5.2, 4.5.2 for a unit whose subtree has catalogue rows in the period (none else): distinct
     * procedures of the subtree's catalogue, services = (unit, procedure) offered online, and which of them the
     * period's dossiers placed under the unit touched (a dossier only for a procedure its subtree's catalogue lists;
     * 3.2 only for a service of the receiving unit itself).
     */
    private static void catalogueIndicators(Map<String, String> out, String key, String unit, LocalDate[] period,
            Registry units, Map<String, boolean[]> procedures, List<String[]> catalogue, Map<Dossier, boolean[]> dossiers) {
        Set<String> all = new HashSet<>();
        Set<String> online = new HashSet<>();
        Set<String> services = new HashSet<>();
        for (String[] row : catalogue) {
            if (units.ancestorsDuring(row[0], period[0], period[1]).contains(unit)) {
                all.add(row[1]);
                if (!row[2].equals("NONE")) {
                    online.add(row[1]);
                    services.add(row[0] + " " + row[1]);
                }
            }
        }
        if (all.isEmpty()) {
            return;
        }
        Set<String> fee = new HashSet<>();
        Set<String> citizen = new HashSet<>();
        for (String code : all) {
            boolean[] flags = procedures.getOrDefault(code, new boolean[3]);
            if (flags[1]) {
                fee.add(code);
            }
            if (flags[2]) {
                citizen.add(code);
            }
        }
        Set<String> used = new HashSet<>();
        Set<String> paid = new HashSet<>();
        Set<String> feeData = new HashSet<>();
        Set<String> population = new HashSet<>();
        for (Map.Entry<Dossier, boolean[]> e : dossiers.entrySet()) {
            Dossier d = e.getKey();
            boolean handled = e.getValue()[0];
            boolean received = e.getValue()[1];
            if (!units.dossierAncestors(d.unit, d.received.atZone(LOCAL).toLocalDate()).contains(unit)) {
                continue;
            }
            if (received && d.channel.equals("ONLINE") && services.contains(d.unit + " " + d.procedure)) {
                used.add(d.unit + " " + d.procedure);
            }
            if (received && d.paidOnline && fee.contains(d.procedure)) {
                paid.add(d.procedure);
            }
            if (received && d.facts.contains("syncedToPortal") && d.amount > 0 && fee.contains(d.procedure)) {
                feeData.add(d.procedure);
            }
            if (handled && d.facts.contains("vneid") && citizen.contains(d.procedure)) {
                population.add(d.procedure);
            }
        }
        put(out, key, "3.1", 2, "0.8", online.size(), all.size());
        put(out, key, "3.2", 4, "1", used.size(), services.size());
        put(out, key, "3.5.1", 2, "0.8", paid.size(), fee.size());
        put(out, key, "3.5.2", 2, "0.8", feeData.size(), fee.size());
        put(out, key, "4.5.2", 2, "1", population.size(), citizen.size());
    }

    /**
     * The month-end projection for the month of {@link #latestEvent()}: "unit" → "handled|openLate|openDueThisMonth|
     * openDueAfterMonth|pointsIfLate|pointsIfOnTime". An open dossier (no end, no unanswered supplement request) must
     * end by its appointment plus the time it waited on answered requests; before the latest event that time is
     * already past (late whatever happens), before the month's end it is due this month, else it is in time for the
     * month whatever happens. In time if late = the month's 2.1 count as judged at its end; if on time = that plus
     * every dossier due this month. Open dossiers count for the ancestors of their receipt day, as the month's counts.
     */
    public Map<String, String> projection(Registry units, Map<String, boolean[]> procedures) {
        Instant asOf = latestEvent();
        LocalDate month = asOf.atZone(LOCAL).toLocalDate().withDayOfMonth(1);
        Instant end = month.plusMonths(1).atStartOfDay(LOCAL).toInstant();
        String key = "|MONTH|" + month.toString().substring(0, 7);
        Map<String, long[]> counts = counts(units, procedures, new HashMap<>());
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
            for (String unit : units.dossierAncestors(d.unit, d.received.atZone(LOCAL).toLocalDate())) {
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

    /** "type|period" → [first day, day after the last) of every local month, quarter and year of the data. */
    private Map<String, LocalDate[]> periods() {
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
        for (LocalDate m = first; m != null && !m.isAfter(last); m = m.plusMonths(1)) {
            periods.put("MONTH|" + m.toString().substring(0, 7), new LocalDate[] {m, m.plusMonths(1)});
            LocalDate q = m.withMonth((m.getMonthValue() - 1) / 3 * 3 + 1);
            periods.put("QUARTER|" + m.getYear() + "-Q" + ((m.getMonthValue() - 1) / 3 + 1), new LocalDate[] {q, q.plusMonths(3)});
            periods.put("YEAR|" + m.getYear(), new LocalDate[] {m.withDayOfYear(1), m.withDayOfYear(1).plusYears(1)});
        }
        return periods;
    }

    /**
     * "unit|type|period" → 13 counts, each dossier under the ancestors of its receipt day; {@code inPeriod} gets, per
     * "type|period", the dossiers in either population with {handled, received in the period}.
     */
    private Map<String, long[]> counts(Registry units, Map<String, boolean[]> procedures, Map<String, Map<Dossier, boolean[]>> inPeriod) {
        dissatisfiedInTime = 0;
        lateWaiting = 0;
        judgedAtRequest = 0;
        Map<String, long[]> counts = new TreeMap<>();
        for (Map.Entry<String, LocalDate[]> p : periods().entrySet()) {
            Instant start = p.getValue()[0].atStartOfDay(LOCAL).toInstant();
            Instant end = p.getValue()[1].atStartOfDay(LOCAL).toInstant();
            for (Map.Entry<String, Dossier> e : dossiers.entrySet()) {
                Dossier d = e.getValue();
                if (d.received == null) {
                    continue;
                }
                long[] c = count(e.getKey(), d, start, end, procedures.getOrDefault(d.procedure, new boolean[3]));
                if (c == null) {
                    continue;
                }
                inPeriod.computeIfAbsent(p.getKey(), k -> new HashMap<>()).put(d, new boolean[] {c[0] == 1, c[8] == 1});
                for (String unit : units.dossierAncestors(d.unit, d.received.atZone(LOCAL).toLocalDate())) {
                    long[] sum = counts.computeIfAbsent(unit + "|" + p.getKey(), k -> new long[13]);
                    for (int i = 0; i < 13; i++) {
                        sum[i] += c[i];
                    }
                }
            }
        }
        return counts;
    }

    /**
     * The ranks of a period's units among their peers (same parent and level, the version valid on the period's
     * last day, else the code's last version before it): more total points first, then more 2.1 points, then the
     * smaller code. "unit" → rank, for the units of {@code indicators} in the period.
     */
    public static Map<String, Integer> ranks(Map<String, String> indicators, Registry units, String periodType, String period,
            LocalDate lastDay) {
        String suffix = "|" + periodType + "|" + period;
        Map<String, String> totals = totals(indicators);
        Map<String, List<String>> peers = new TreeMap<>();
        totals.keySet().stream().filter(k -> k.endsWith(suffix)).map(k -> k.substring(0, k.length() - suffix.length())).forEach(u -> {
            Version v = units.asOf(u, lastDay);
            peers.computeIfAbsent((v == null ? "" : v.parent() + "|" + v.level()), x -> new ArrayList<>()).add(u);
        });
        Map<String, Integer> out = new TreeMap<>();
        for (List<String> group : peers.values()) {
            group.sort(java.util.Comparator.<String, BigDecimal>comparing(u -> new BigDecimal(totals.get(u + suffix).split("\\|")[0])).reversed()
                    .thenComparing(u -> new BigDecimal(indicators.get(u + suffix + "|2.1").split("\\|")[1]), java.util.Comparator.reverseOrder())
                    .thenComparing(u -> u));
            for (int i = 0; i < group.size(); i++) {
                out.put(group.get(i), i + 1);
            }
        }
        return out;
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

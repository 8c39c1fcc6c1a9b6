package vn.onestop.monitor.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import vn.onestop.monitor.MonitorConfig;
import vn.onestop.monitor.KafkaSources;
import vn.onestop.monitor.MonitorJob;
import vn.onestop.monitor.PostgresSinks;
import vn.onestop.monitor.local.LocalStack;
import vn.onestop.monitor.local.NdjsonPublisher;
import vn.onestop.monitor.reference.JobReference;
import vn.onestop.monitor.reference.ReferenceData;
import vn.onestop.monitor.sim.SimRecord;
import vn.onestop.monitor.sim.SimulationSettings;
import vn.onestop.monitor.sim.Simulator;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
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

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 16's must-show: a simulated month (every new event fact, duplicates, late batches, linked ratings) through
 * the whole job on real Kafka, PostgreSQL and a MiniCluster; {@code unit_index_766} and {@code unit_index_766_total},
 * read as Grafana's login, must equal a recomputation from the raw lines written here from docs/INDEX766.md alone.
 * It shares no code with the production {@code index} package or the SQL views: its own fold of the lines, its own
 * 2.1 judgement, its own arithmetic; the only shared inputs are data (the unit table's parents, procedures.csv).
 */
class NationalIndexEndToEndTest {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());
    private static final ZoneId LOCAL = ZoneId.of("Asia/Ho_Chi_Minh");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    static LocalStack stack;

    @BeforeAll
    static void start() throws Exception {
        stack = LocalStack.start(MonitorConfig.from(new String[] {"--data-dir=" + dir.resolve("data"), "--parallelism=2"}, Map.of()));
    }

    @AfterAll
    static void stop() throws Exception {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void unitIndex766EqualsAnIndependentRecomputationOverASimulatedMonth() throws Exception {
        // March 2024 in local time; the feed stops at the month's end, so dossiers still open then stay open.
        Simulator sim = Simulator.forDefaultDistrict(SimulationSettings.defaults(16, Instant.parse("2024-02-29T17:00:00Z"))
                .withDossiersPerUnitPerDay(6).withDelivery(0.03, 0.05, 0.0));
        Path dossiers = dir.resolve("dossiers.ndjson");
        Path feedback = dir.resolve("feedback.ndjson");
        Recompute recompute = new Recompute();
        try (OutputStream d = Files.newOutputStream(dossiers); OutputStream f = Files.newOutputStream(feedback)) {
            for (SimRecord r : (Iterable<SimRecord>) sim.stream(Instant.parse("2024-03-31T17:00:00Z"))::iterator) {
                boolean isDossier = r.topic().equals(SimRecord.DOSSIER_EVENTS);
                (isDossier ? d : f).write(r.payload());
                (isDossier ? d : f).write('\n');
                JsonNode n = JSON.readTree(r.payload());
                if (isDossier) {
                    recompute.event(n);
                } else {
                    recompute.rating(n);
                }
            }
        }
        MonitorConfig cfg = stack.config();
        NdjsonPublisher.publish(cfg.bootstrapServers(), cfg.dossierTopic(), dossiers, "dossierId", null);
        NdjsonPublisher.publish(cfg.bootstrapServers(), cfg.feedbackTopic(), feedback, "feedbackId", null);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        MonitorJob.configure(env, cfg);
        MonitorJob.build(env, cfg, new KafkaSources(cfg, true), new PostgresSinks(stack.job(), cfg), JobReference.load(stack.job()));
        env.execute("national index e2e");

        Map<String, String> parents = new HashMap<>();
        try (Connection c = stack.admin().connect(); ResultSet rs = c.createStatement().executeQuery("SELECT code, parent_code FROM unit")) {
            while (rs.next()) {
                parents.put(rs.getString(1), rs.getString(2));
            }
        }
        Map<String, String> expected = recompute.indicators(parents, procedureFlags(), catalogue());
        Map<String, String> actual = new TreeMap<>();
        Map<String, String> totals = new TreeMap<>();
        try (Connection c = stack.reader().connect()) {
            try (ResultSet rs = c.createStatement().executeQuery(
                    "SELECT unit_code, period_type, period, indicator, value, points, max_points FROM unit_index_766")) {
                while (rs.next()) {
                    actual.put(rs.getString(1) + "|" + rs.getString(2) + "|" + rs.getString(3) + "|" + rs.getString(4),
                            rs.getBigDecimal(5) + "|" + rs.getBigDecimal(6) + "|" + rs.getBigDecimal(7));
                }
            }
            try (ResultSet rs = c.createStatement().executeQuery(
                    "SELECT unit_code, period_type, period, points, max_points FROM unit_index_766_total")) {
                while (rs.next()) {
                    totals.put(rs.getString(1) + "|" + rs.getString(2) + "|" + rs.getString(3), rs.getBigDecimal(4) + "|" + rs.getBigDecimal(5));
                }
            }
        }
        assertThat(actual).isEqualTo(expected);
        assertThat(totals).isEqualTo(recompute.totals(expected));

        // The month must exercise what it claims to: every indicator with a non-trivial ratio somewhere, the district
        // row present, and all three period types.
        assertThat(expected.keySet()).anyMatch(k -> k.endsWith("|MONTH|2024-03|2.1"))
                .anyMatch(k -> k.contains("|QUARTER|2024-Q1|")).anyMatch(k -> k.contains("|YEAR|2024|"));
        for (String indicator : List.of("1.4", "2.1", "3.1", "3.2", "3.3", "3.6", "4.1", "4.2", "4.3", "4.4", "4.5.1", "5.4")) {
            assertThat(expected.entrySet()).as(indicator).anyMatch(e -> e.getKey().endsWith("|" + indicator)
                    && e.getValue().split("\\|")[0].compareTo("0") != 0 && !e.getValue().startsWith("1.0000") && !e.getValue().startsWith("null"));
        }
        // 3.5.1, 3.5.2 and 4.5.2 are at or near 100% for a busy commune (its few fee and citizen procedures all see
        // such a dossier in a month), so they must only be computed with something in both parts somewhere.
        for (String indicator : List.of("3.5.1", "3.5.2", "4.5.2")) {
            assertThat(expected.entrySet()).as(indicator).anyMatch(e -> e.getKey().endsWith("|" + indicator)
                    && !e.getValue().startsWith("null") && new BigDecimal(e.getValue().split("\\|")[0]).signum() > 0);
        }
        assertThat(totals.get("300|MONTH|2024-03")).as("the district has a catalogue: 74 points computable").endsWith("|74.00");
        assertThat(recompute.dissatisfiedInTime).as("5.4 must see in-time dossiers with a negative rating").isPositive();

        // A unit whose subtree has no catalogue row has no catalogue indicators (left out, not 0): 62 points at most.
        try (Connection c = stack.admin().connect()) {
            c.createStatement().execute("DELETE FROM unit_procedure WHERE unit_code = '11248'");
        }
        try (Connection c = stack.reader().connect(); ResultSet rs = c.createStatement().executeQuery(
                "SELECT count(*), sum(max_points) FROM unit_index_766 WHERE unit_code = '11248' AND period_type = 'MONTH' AND period = '2024-03'")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(10);
            assertThat(rs.getBigDecimal(2)).isEqualByComparingTo("62");
        }
        assertThat(recompute.lateWaiting + recompute.judgedAtRequest).as("the supplement rules of 2.1 must be exercised").isPositive();
    }

    /**
     * UNIT_PROCEDURES=: an operator's catalogue replaces the default one as a whole; a broken one is refused with its
     * file and line and leaves the tables as they were (one transaction).
     */
    @Test
    void anOperatorsCatalogueReplacesTheDefaultAndABrokenOneChangesNothing() throws Exception {
        Path good = dir.resolve("unit_procedures.csv");
        Files.writeString(good, "unit_code,procedure_code,online_service\n11248,1.001193,FULL\n11248,2.000884,NONE\n");
        Path bad = dir.resolve("unit_procedures-bad.csv");
        Files.writeString(bad, "unit_code,procedure_code,online_service\n11248,1.001193,FULL\n11248,1.000894,FULL\n");
        try {
            assertThat(ReferenceData.load(stack.admin(), null, null, null, null, null, null, good).unitProcedures()).isEqualTo(2);
            assertThat(catalogueRows()).containsExactly("11248 1.001193 FULL", "11248 2.000884 NONE");
            assertThatThrownBy(() -> ReferenceData.load(stack.admin(), null, null, null, null, null, null, bad))
                    .hasMessage(bad + " line 3: online_service FULL for procedure '1.000894', which procedures.csv marks full_online_eligible=false");
            assertThat(catalogueRows()).containsExactly("11248 1.001193 FULL", "11248 2.000884 NONE");
        } finally {
            ReferenceData.load(stack.admin(), null, null, null, null, null, null);
        }
        assertThat(catalogueRows()).hasSize(153);
    }

    private static List<String> catalogueRows() throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection c = stack.admin().connect(); ResultSet rs = c.createStatement().executeQuery(
                "SELECT unit_code, procedure_code, online_service FROM unit_procedure ORDER BY 1, 2")) {
            while (rs.next()) {
                rows.add(rs.getString(1) + " " + rs.getString(2) + " " + rs.getString(3));
            }
        }
        return rows;
    }

    /** code → {written_result, has_fee, citizen_applicant}, read from the shipped procedures.csv (data, not code). */
    private static Map<String, boolean[]> procedureFlags() throws Exception {
        Map<String, boolean[]> flags = new HashMap<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                NationalIndexEndToEndTest.class.getResourceAsStream("/reference/procedures.csv"), StandardCharsets.UTF_8))) {
            List<String> header = List.of(in.readLine().split(","));
            String line;
            while ((line = in.readLine()) != null) {
                String[] cells = line.split(",");
                flags.put(cells[0], new boolean[] {Boolean.parseBoolean(cells[header.indexOf("written_result")]),
                        Boolean.parseBoolean(cells[header.indexOf("has_fee")]),
                        Boolean.parseBoolean(cells[header.indexOf("citizen_applicant")])});
            }
        }
        return flags;
    }

    /** {unit, procedure, online service} rows of the shipped unit_procedures.csv (data, not code). */
    private static List<String[]> catalogue() throws Exception {
        List<String[]> rows = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                NationalIndexEndToEndTest.class.getResourceAsStream("/reference/unit_procedures.csv"), StandardCharsets.UTF_8))) {
            List<String> header = List.of(in.readLine().split(","));
            String line;
            while ((line = in.readLine()) != null) {
                String[] cells = line.split(",");
                rows.add(new String[] {cells[header.indexOf("unit_code")], cells[header.indexOf("procedure_code")],
                        cells[header.indexOf("online_service")]});
            }
        }
        return rows;
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

    private static final class Recompute {
        final Map<String, Dossier> dossiers = new HashMap<>();
        final Map<String, List<Instant>> negativeRatings = new HashMap<>();
        int dissatisfiedInTime;
        int lateWaiting;
        int judgedAtRequest;

        void event(JsonNode n) {
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

        void rating(JsonNode n) {
            String level = n.get("rating").asText();
            if (n.has("dossierId") && (level.equals("DISSATISFIED") || level.equals("VERY_DISSATISFIED"))) {
                negativeRatings.computeIfAbsent(n.get("dossierId").asText(), k -> new ArrayList<>()).add(time(n, "submittedAt"));
            }
        }

        /** "unit|type|period|indicator" → "value|points|max", as unit_index_766 should show them. */
        Map<String, String> indicators(Map<String, String> parents, Map<String, boolean[]> procedures, List<String[]> catalogue) {
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
            // period key → [start, end) local dates
            Map<String, LocalDate[]> periods = new TreeMap<>();
            for (LocalDate m = first; !m.isAfter(last); m = m.plusMonths(1)) {
                periods.put("MONTH|" + m.toString().substring(0, 7), new LocalDate[] {m, m.plusMonths(1)});
                LocalDate q = m.withMonth((m.getMonthValue() - 1) / 3 * 3 + 1);
                periods.put("QUARTER|" + m.getYear() + "-Q" + ((m.getMonthValue() - 1) / 3 + 1), new LocalDate[] {q, q.plusMonths(3)});
                periods.put("YEAR|" + m.getYear(), new LocalDate[] {m.withDayOfYear(1), m.withDayOfYear(1).plusYears(1)});
            }
            Map<String, long[]> counts = new TreeMap<>(); // unit|type|period → 13 counts
            // type|period → the dossiers in either population, each with {handled, received in the period}
            Map<String, Map<Dossier, boolean[]>> inPeriod = new HashMap<>();
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
                    inPeriod.computeIfAbsent(p.getKey(), k -> new HashMap<>()).put(d, new boolean[] {c[0] == 1, c[8] == 1});
                    for (String unit = d.unit; unit != null; unit = parents.get(unit)) {
                        long[] sum = counts.computeIfAbsent(unit + "|" + p.getKey(), k -> new long[13]);
                        for (int i = 0; i < 13; i++) {
                            sum[i] += c[i];
                        }
                    }
                }
            }
            Map<String, String> out = new TreeMap<>();
            counts.forEach((key, c) -> {
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
                catalogueIndicators(out, key, unit, parents, procedures, catalogue, inPeriod.get(key.substring(key.indexOf('|') + 1)));
            });
            return out;
        }

        /**
         * 3.1, 3.2, 3.5.1, 3.5.2, 4.5.2 by docs/INDEX766.md, for a unit whose subtree has catalogue rows (none else):
         * distinct procedures of the subtree's catalogue, services = unit and procedure offered online, and which of
         * them the period's dossiers of the subtree touched.
         */
        private static void catalogueIndicators(Map<String, String> out, String key, String unit, Map<String, String> parents,
                Map<String, boolean[]> procedures, List<String[]> catalogue, Map<Dossier, boolean[]> dossiers) {
            Set<String> all = new HashSet<>();
            Set<String> online = new HashSet<>();
            Set<String> services = new HashSet<>();
            for (String[] row : catalogue) {
                if (within(row[0], unit, parents)) {
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
            for (Map.Entry<Dossier, boolean[]> e : (dossiers == null ? Map.<Dossier, boolean[]>of() : dossiers).entrySet()) {
                Dossier d = e.getKey();
                boolean handled = e.getValue()[0];
                boolean received = e.getValue()[1];
                if (!within(d.unit, unit, parents)) {
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

        /** Whether {@code code} is {@code ancestor} or below it in the unit table. */
        private static boolean within(String code, String ancestor, Map<String, String> parents) {
            for (String u = code; u != null; u = parents.get(u)) {
                if (u.equals(ancestor)) {
                    return true;
                }
            }
            return false;
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
            Boolean inTime = null;
            boolean handled;
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
            handled = !ended.isBefore(start);
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

        Map<String, String> totals(Map<String, String> indicators) {
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
}

package vn.onestop.monitor.sim;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class SimulatorTest {
    static final ZoneId VN = ZoneId.of("Asia/Ho_Chi_Minh");
    /** Monday 15 January 2024, local midnight. */
    static final Instant MONDAY = LocalDate.of(2024, 1, 15).atStartOfDay(VN).toInstant();

    static Simulator twoWeeksSim;
    static List<SimRecord> twoWeeks;

    @BeforeAll
    static void simulateTwoWeeks() {
        twoWeeksSim = Simulator.forDefaultDistrict(SimulationSettings.defaults(42, MONDAY));
        twoWeeks = twoWeeksSim.stream(MONDAY.plus(Duration.ofDays(14))).toList();
    }

    static List<SimRecord> events(List<SimRecord> records, String topic) {
        return records.stream().filter(r -> r.kind() == SimRecord.Kind.EVENT && r.topic().equals(topic)).toList();
    }

    @Test
    void defaultDistrictIsThanhMiensSeventeenCommunes() {
        assertThat(twoWeeksSim.unitCodes()).hasSize(17).contains("11239", "11248", "11269").doesNotContain("300", "30", "10987");
        assertThat(twoWeeksSim.slowUnit()).isIn(twoWeeksSim.unitCodes());
    }

    @Test
    void aRunAcrossTheReorganisationReceivesAtTheOldOfficesUntil30JuneAndAtTheNewOnesFrom1July() {
        Instant start = LocalDate.of(2025, 6, 16).atStartOfDay(VN).toInstant();
        Simulator sim = Simulator.forDefaultDistrict(SimulationSettings.defaults(42, start));
        List<JsonNode> events = events(sim.stream(start.plus(Duration.ofDays(28))).toList(), SimRecord.DOSSIER_EVENTS).stream()
                .map(r -> Contract.json(r.payload())).filter(n -> n.has("type")).toList();
        // Codes valid from 2025-07-01 (docs/UNITS.md): the 5 new communes reuse 5 of the 17 old codes.
        Set<String> newCommunes = Set.of("11239", "11254", "11257", "11242", "11284");
        Set<String> before = new java.util.TreeSet<>();
        Set<String> after = new java.util.TreeSet<>();
        Map<String, String> receivedBy = new HashMap<>();
        for (JsonNode n : events) {
            if (n.get("type").asText().equals("RECEIVED")) {
                LocalDate day = Contract.time(n, "occurredAt").atZone(VN).toLocalDate();
                (day.isBefore(LocalDate.of(2025, 7, 1)) ? before : after).add(n.get("unitCode").asText());
                receivedBy.put(n.get("dossierId").asText(), n.get("unitCode").asText());
            }
        }
        assertThat(before).hasSize(17);
        assertThat(after).isEqualTo(newCommunes);
        // A June dossier of a merged commune still has events in July, naming the commune that received it.
        assertThat(events).anyMatch(n -> !n.get("type").asText().equals("RECEIVED")
                && Contract.time(n, "occurredAt").atZone(VN).toLocalDate().isAfter(LocalDate.of(2025, 6, 30))
                && n.has("unitCode") && !newCommunes.contains(n.get("unitCode").asText())
                && n.get("unitCode").asText().equals(receivedBy.get(n.get("dossierId").asText())));
    }

    @Test
    void sameSeedGivesTheSameBytesAndAnotherSeedDoesNot() {
        Instant until = MONDAY.plus(Duration.ofDays(3));
        List<SimRecord> again = Simulator.forDefaultDistrict(SimulationSettings.defaults(42, MONDAY)).stream(until).toList();
        List<SimRecord> firstThreeDays = twoWeeks.stream().filter(r -> r.sendAt() < until.toEpochMilli()).toList();
        assertThat(again).isNotEmpty().isEqualTo(firstThreeDays);

        List<SimRecord> otherSeed = Simulator.forDefaultDistrict(SimulationSettings.defaults(43, MONDAY)).stream(until).toList();
        assertThat(otherSeed).isNotEqualTo(again);
    }

    @Test
    void recordsComeInSendOrderAndNeverBeforeTheEventOccurred() {
        long previous = Long.MIN_VALUE;
        for (SimRecord r : twoWeeks) {
            assertThat(r.sendAt()).isGreaterThanOrEqualTo(previous).isGreaterThanOrEqualTo(MONDAY.toEpochMilli());
            previous = r.sendAt();
            if (r.kind() != SimRecord.Kind.MALFORMED) {
                JsonNode n = Contract.json(r.payload());
                String field = r.topic().equals(SimRecord.QR_FEEDBACK) ? "submittedAt" : "occurredAt";
                assertThat(r.sendAt()).isGreaterThanOrEqualTo(Contract.time(n, field).toEpochMilli());
            }
        }
        assertThat(twoWeeks.get(twoWeeks.size() - 1).sendAt()).isLessThan(MONDAY.plus(Duration.ofDays(14)).toEpochMilli());
    }

    @Test
    void everyEventHonoursTheContract() {
        Set<String> units = Set.copyOf(twoWeeksSim.unitCodes());
        Set<String> typesSeen = new TreeSet<>();
        for (SimRecord r : twoWeeks) {
            if (r.kind() == SimRecord.Kind.MALFORMED) {
                continue;
            }
            assertThat(Contract.violations(r.topic(), r.payload(), units)).as(r.payloadText()).isEmpty();
            JsonNode n = Contract.json(r.payload());
            if (r.topic().equals(SimRecord.DOSSIER_EVENTS)) {
                typesSeen.add(n.get("type").asText());
                assertThat(r.key()).isEqualTo(n.get("dossierId").asText());
                if (n.get("type").asText().equals("RECEIVED")) {
                    assertThat(Contract.time(n, "dueAt")).isAfter(Contract.time(n, "occurredAt"));
                }
                if (n.get("type").asText().equals("APOLOGY_ISSUED")) {
                    assertThat(Contract.time(n, "newDueAt")).isAfter(Contract.time(n, "occurredAt"));
                }
            } else {
                assertThat(r.key()).isEqualTo(n.get("feedbackId").asText());
            }
        }
        // Two weeks at district volume exercise every path except, possibly, the rarest outcomes.
        assertThat(typesSeen).contains("RECEIVED", "SUPPLEMENT_REQUESTED", "SUPPLEMENT_RECEIVED", "RESOLVED",
                "RETURNED", "APOLOGY_ISSUED");
    }

    @Test
    void idsAreUnique() {
        List<String> eventIds = events(twoWeeks, SimRecord.DOSSIER_EVENTS).stream()
                .map(r -> Contract.json(r.payload()).get("eventId").asText()).toList();
        assertThat(new HashSet<>(eventIds)).hasSameSizeAs(eventIds);
        List<String> dossierIds = events(twoWeeks, SimRecord.DOSSIER_EVENTS).stream()
                .map(r -> Contract.json(r.payload()))
                .filter(n -> n.get("type").asText().equals("RECEIVED"))
                .map(n -> n.get("dossierId").asText()).toList();
        assertThat(new HashSet<>(dossierIds)).hasSameSizeAs(dossierIds);
        assertThat(dossierIds).allMatch(id -> id.matches("000\\.00\\.\\d{5}\\.H23-\\d{6}-\\d{4,}"));
        List<String> feedbackIds = events(twoWeeks, SimRecord.QR_FEEDBACK).stream().map(SimRecord::key).toList();
        assertThat(new HashSet<>(feedbackIds)).hasSameSizeAs(feedbackIds);
    }

    @Test
    void onlineShareFollowsTheSetting() {
        assertThat(onlineShare(SimulationSettings.defaults(7, MONDAY).withScale(4), 10)).isCloseTo(0.982, within(0.01));
        SimulationSettings half = new SimulationSettings(7, MONDAY, 20, 0.5, 0.999, 0.999, 0.05, 0.005, 0.01,
                0.005, 0.003, 0.005, 0.001, 0.3, 0, 0, 0);
        assertThat(onlineShare(half, 10)).isCloseTo(0.5, within(0.03));
    }

    private static double onlineShare(SimulationSettings settings, int days) {
        List<JsonNode> received = Simulator.forDefaultDistrict(settings).stream(settings.start().plus(Duration.ofDays(days)))
                .filter(r -> r.kind() == SimRecord.Kind.EVENT && r.topic().equals(SimRecord.DOSSIER_EVENTS))
                .map(r -> Contract.json(r.payload()))
                .filter(n -> n.get("type").asText().equals("RECEIVED"))
                .toList();
        assertThat(received).hasSizeGreaterThan(2500);
        return received.stream().filter(n -> n.get("channel").asText().equals("ONLINE")).count() / (double) received.size();
    }

    @Test
    void everyCommuneReceivesDossiersOnAWorkingDay() {
        Set<String> units = Simulator.forDefaultDistrict(SimulationSettings.defaults(42, MONDAY))
                .stream(MONDAY.plus(Duration.ofDays(1)))
                .filter(r -> r.kind() == SimRecord.Kind.EVENT && r.topic().equals(SimRecord.DOSSIER_EVENTS))
                .map(r -> Contract.json(r.payload()))
                .filter(n -> n.get("type").asText().equals("RECEIVED"))
                .map(n -> n.get("unitCode").asText())
                .collect(Collectors.toSet());
        assertThat(units).containsExactlyInAnyOrderElementsOf(twoWeeksSim.unitCodes());
    }

    @Test
    void directFilingsArriveInOfficeHoursOnWorkingDays() {
        List<JsonNode> direct = events(twoWeeks, SimRecord.DOSSIER_EVENTS).stream().map(r -> Contract.json(r.payload()))
                .filter(n -> n.get("type").asText().equals("RECEIVED") && !n.get("channel").asText().equals("ONLINE"))
                .toList();
        assertThat(direct).isNotEmpty();
        for (JsonNode n : direct) {
            Instant at = Contract.time(n, "occurredAt");
            assertThat(OfficeHours.nextOpen(at)).as(n.toString()).isEqualTo(at);
        }
    }

    @Test
    void duplicatesRepeatAnEarlierEventByteForByte() {
        Map<String, Long> firstSent = new HashMap<>();
        int duplicates = 0;
        for (SimRecord r : twoWeeks) {
            String identity = r.topic() + "|" + r.key() + "|" + r.payloadText();
            if (r.kind() == SimRecord.Kind.EVENT) {
                firstSent.putIfAbsent(identity, r.sendAt());
            } else if (r.kind() == SimRecord.Kind.DUPLICATE) {
                duplicates++;
                assertThat(firstSent).as("duplicate without an earlier original: " + r).containsKey(identity);
                assertThat(r.sendAt()).isGreaterThanOrEqualTo(firstSent.get(identity));
            }
        }
        long events = twoWeeks.stream().filter(r -> r.kind() == SimRecord.Kind.EVENT).count();
        assertThat(duplicates).isBetween((int) (events * 0.005), (int) (events * 0.02));
    }

    @Test
    void malformedRecordsBreakTheContractInSeveralWays() {
        Set<String> units = Set.copyOf(twoWeeksSim.unitCodes());
        SimulationSettings noisy = SimulationSettings.defaults(42, MONDAY).withDelivery(0, 0, 0.3);
        List<SimRecord> malformed = Simulator.forDefaultDistrict(noisy).stream(MONDAY.plus(Duration.ofDays(3)))
                .filter(r -> r.kind() == SimRecord.Kind.MALFORMED).toList();
        assertThat(malformed).hasSizeGreaterThan(200);
        Set<String> reasons = new TreeSet<>();
        for (SimRecord r : malformed) {
            assertThat(r.payloadText()).doesNotContain("\n", "\r");
            List<String> v = Contract.violations(r.topic(), r.payload(), units);
            assertThat(v).as(r.payloadText()).isNotEmpty();
            reasons.add(v.get(0));
        }
        assertThat(reasons).contains("not JSON", "not an object", "eventId", "type", "unknown unit", "occurredAt format");
        assertThat(malformed).anyMatch(r -> r.topic().equals(SimRecord.QR_FEEDBACK));
    }

    @Test
    void someEventsArriveInLateBatches() {
        long late = twoWeeks.stream().filter(r -> r.kind() == SimRecord.Kind.EVENT && r.topic().equals(SimRecord.DOSSIER_EVENTS))
                .filter(r -> r.sendAt() - Contract.time(Contract.json(r.payload()), "occurredAt").toEpochMilli() >= 3_600_000)
                .count();
        long all = events(twoWeeks, SimRecord.DOSSIER_EVENTS).size();
        assertThat(late / (double) all).isCloseTo(0.02, within(0.01));
    }

    /** Every new fact appears, with shares near the ones IndexFacts draws (a district's two weeks: thousands of receipts). */
    @Test
    void producesEveryNationalIndexFact() {
        List<JsonNode> all = events(twoWeeks, SimRecord.DOSSIER_EVENTS).stream().map(r -> Contract.json(r.payload())).toList();
        List<JsonNode> receipts = all.stream().filter(n -> n.get("type").asText().equals("RECEIVED")).toList();
        List<JsonNode> online = receipts.stream().filter(n -> n.get("channel").asText().equals("ONLINE")).toList();
        assertThat(online).allMatch(n -> Set.of("FULL", "PARTIAL").contains(n.get("onlineMode").asText()));
        assertThat(receipts.stream().filter(n -> !n.get("channel").asText().equals("ONLINE"))).noneMatch(n -> n.has("onlineMode"));
        assertThat(receipts.stream().filter(n -> n.get("syncedToPortal").asBoolean()).count() / (double) receipts.size()).isCloseTo(0.92, within(0.03));
        assertThat(receipts).allMatch(n -> n.has("reusedData") && n.has("personalDataStore") && n.has("vneid"));
        List<JsonNode> paid = all.stream().filter(n -> n.has("payment")).toList();
        assertThat(paid.stream().map(n -> n.get("payment").get("method").asText()).distinct())
                .containsExactlyInAnyOrder("NATIONAL_PORTAL", "LOCAL_GATEWAY", "CASH");
        assertThat(paid).allMatch(n -> n.get("payment").get("amount").asLong() >= 0);
        assertThat(paid).anyMatch(n -> n.get("payment").get("amount").asLong() == 0);
        assertThat(all.stream().filter(n -> n.get("type").asText().equals("RESOLVED")))
                .allMatch(n -> n.has("electronicResult"));
    }

    /**
     * unit_procedures.csv decides what is received online: an online receipt is for a procedure its unit offers
     * online, with that service's mode; procedures a commune lists as NONE still arrive at the counter.
     */
    @Test
    void onlineReceiptsFollowTheUnitProcedureCatalogue() {
        Map<String, String> services = new HashMap<>();
        for (Map<String, String> row : DistrictReference.read("/reference/unit_procedures.csv")) {
            services.put(row.get("unit_code") + " " + row.get("procedure_code"), row.get("online_service"));
        }
        List<JsonNode> receipts = events(twoWeeks, SimRecord.DOSSIER_EVENTS).stream().map(r -> Contract.json(r.payload()))
                .filter(n -> n.get("type").asText().equals("RECEIVED")).toList();
        List<JsonNode> online = receipts.stream().filter(n -> n.get("channel").asText().equals("ONLINE")).toList();
        assertThat(online).isNotEmpty().allMatch(n -> n.get("onlineMode").asText().equals(
                services.get(n.get("unitCode").asText() + " " + n.get("procedureCode").asText())));
        assertThat(receipts).anyMatch(n -> !n.get("channel").asText().equals("ONLINE")
                && "NONE".equals(services.get(n.get("unitCode").asText() + " " + n.get("procedureCode").asText())));
    }

    @Test
    void noFieldCouldCarryPersonalData() {
        Pattern phoneOrIdNumber = Pattern.compile("(?<![\\d.])(\\+?84|0)\\d{9}(?!\\d)|\\d{9,}");
        for (SimRecord r : twoWeeks) {
            if (r.kind() == SimRecord.Kind.MALFORMED) {
                continue;
            }
            JsonNode n = Contract.json(r.payload());
            Set<String> allowed = r.topic().equals(SimRecord.QR_FEEDBACK) ? Contract.FEEDBACK_FIELDS : Contract.DOSSIER_FIELDS;
            Iterator<String> names = n.fieldNames();
            while (names.hasNext()) {
                assertThat(names.next()).isIn(allowed);
            }
            n.fields().forEachRemaining(field -> {
                if (field.getKey().equals("payment")) {
                    field.getValue().fieldNames().forEachRemaining(name -> assertThat(name).isIn(Contract.PAYMENT_FIELDS));
                    field.getValue().elements().forEachRemaining(value -> assertThat(value.isValueNode()).isTrue());
                } else {
                    assertThat(field.getValue().isValueNode()).isTrue();
                }
            });
            assertThat(phoneOrIdNumber.matcher(r.payloadText()).find()).as(r.payloadText()).isFalse();
        }
    }

    @Test
    void dossiersMostlyFinishEarlyAndTheLateOnesApologise() {
        Map<String, List<JsonNode>> byDossier = new HashMap<>();
        for (SimRecord r : events(twoWeeks, SimRecord.DOSSIER_EVENTS)) {
            JsonNode n = Contract.json(r.payload());
            byDossier.computeIfAbsent(n.get("dossierId").asText(), k -> new ArrayList<>()).add(n);
        }
        int resolved = 0;
        int late = 0;
        int early = 0;
        int receivedOnly = 0;
        for (List<JsonNode> story : byDossier.values()) {
            story.sort((a, b) -> Contract.time(a, "occurredAt").compareTo(Contract.time(b, "occurredAt")));
            JsonNode first = story.get(0);
            assertThat(first.get("type").asText()).isEqualTo("RECEIVED");
            Instant due = Contract.time(first, "dueAt");
            Duration paused = Duration.ZERO;
            Instant requested = null;
            JsonNode apology = null;
            for (JsonNode e : story) {
                switch (e.get("type").asText()) {
                    case "SUPPLEMENT_REQUESTED" -> requested = Contract.time(e, "occurredAt");
                    case "SUPPLEMENT_RECEIVED" -> paused = paused.plus(Duration.between(requested, Contract.time(e, "occurredAt")));
                    case "APOLOGY_ISSUED" -> apology = e;
                    case "RESOLVED" -> {
                        resolved++;
                        Instant at = Contract.time(e, "occurredAt");
                        Instant effectiveDue = due.plus(paused);
                        if (at.isAfter(effectiveDue)) {
                            late++;
                            assertThat(apology).as("late dossier without apology: " + story).isNotNull();
                            assertThat(Contract.time(apology, "occurredAt")).isBefore(at);
                        } else if (at.atZone(VN).toLocalDate().isBefore(effectiveDue.atZone(VN).toLocalDate())) {
                            early++;
                        }
                    }
                    default -> { }
                }
            }
            if (story.size() == 1 && Contract.time(first, "dueAt").isBefore(MONDAY.plus(Duration.ofDays(7)))) {
                receivedOnly++;
            }
        }
        assertThat(resolved).isGreaterThan(1000);
        assertThat(late / (double) resolved).isBetween(0.002, 0.03);
        // Day-long procedures settled within the hour finish a day early; two-hour certifications are due the
        // same day, so they count as on time rather than early.
        assertThat(early / (double) resolved).isBetween(0.35, 0.8);
        // Abandoned dossiers: open long past their due date, so the job's overdue alert has something to find.
        assertThat(receivedOnly).isPositive();
    }

    @Test
    void fastOfficesSettleBasicProceduresWithinTheHourAndTheSlowOneDoesNot() {
        Map<String, Instant> receivedAt = new HashMap<>();
        Map<String, String> unitOf = new HashMap<>();
        Map<String, List<Duration>> workingTimeByUnit = new HashMap<>();
        Set<String> basic = Set.of("1.001193", "1.000894", "1.000656", "1.001612", "2.000815", "2.000884");
        Set<String> supplemented = new HashSet<>();
        List<JsonNode> all = events(twoWeeks, SimRecord.DOSSIER_EVENTS).stream().map(r -> Contract.json(r.payload())).toList();
        for (JsonNode n : all) {
            String type = n.get("type").asText();
            if (type.equals("RECEIVED") && basic.contains(n.get("procedureCode").asText())) {
                receivedAt.put(n.get("dossierId").asText(), Contract.time(n, "occurredAt"));
                unitOf.put(n.get("dossierId").asText(), n.get("unitCode").asText());
            } else if (type.startsWith("SUPPLEMENT") || type.equals("APOLOGY_ISSUED")) {
                supplemented.add(n.get("dossierId").asText());
            }
        }
        for (JsonNode n : all) {
            String id = n.get("dossierId").asText();
            if (n.get("type").asText().equals("RESOLVED") && receivedAt.containsKey(id) && !supplemented.contains(id)) {
                workingTimeByUnit.computeIfAbsent(unitOf.get(id), k -> new ArrayList<>())
                        .add(OfficeHours.workingTimeBetween(receivedAt.get(id), Contract.time(n, "occurredAt")));
            }
        }
        String slow = twoWeeksSim.slowUnit();
        workingTimeByUnit.forEach((unit, times) -> {
            long withinHour = times.stream().filter(t -> t.compareTo(Duration.ofMinutes(60)) <= 0).count();
            if (unit.equals(slow)) {
                assertThat(withinHour / (double) times.size()).as(unit).isLessThan(0.2);
            } else {
                assertThat(withinHour).as(unit).isEqualTo(times.size());
            }
        });
        assertThat(workingTimeByUnit).containsKey(slow).hasSize(17);
    }

    @Test
    void feedbackIsRatedMostlySatisfiedAndSometimesNamesItsDossier() {
        List<JsonNode> feedback = events(twoWeeks, SimRecord.QR_FEEDBACK).stream().map(r -> Contract.json(r.payload())).toList();
        long resolved = events(twoWeeks, SimRecord.DOSSIER_EVENTS).stream()
                .filter(r -> Contract.json(r.payload()).get("type").asText().equals("RESOLVED")).count();
        assertThat(feedback.size() / (double) resolved).isCloseTo(0.3, within(0.05));
        long satisfied = feedback.stream().filter(n -> n.get("rating").asText().endsWith("SATISFIED")
                && !n.get("rating").asText().contains("DIS")).count();
        assertThat(satisfied / (double) feedback.size()).isBetween(0.8, 0.97);
        assertThat(feedback).anyMatch(n -> n.has("dossierId")).anyMatch(n -> !n.has("dossierId"));
        assertThat(feedback.stream().map(n -> n.get("rating").asText()).distinct()).hasSize(5);
    }

    @Test
    void scaleMultipliesTheVolume() {
        Instant until = MONDAY.plus(Duration.ofDays(7));
        SimulationRun base = Simulator.forDefaultDistrict(SimulationSettings.defaults(5, MONDAY)).records(until);
        SimulationRun triple = Simulator.forDefaultDistrict(SimulationSettings.defaults(5, MONDAY).withScale(3)).records(until);
        base.forEachRemaining(r -> { });
        triple.forEachRemaining(r -> { });
        // ~30,000 a year over the district: about 575 a week.
        assertThat(base.stats().dossiers()).isBetween(450L, 700L);
        assertThat(triple.stats().dossiers() / (double) base.stats().dossiers()).isCloseTo(3.0, within(0.4));
    }

    @Test
    void aRunStartingMidDayHasNothingBeforeItsStart() {
        Instant noon = MONDAY.plus(Duration.ofHours(12));
        List<SimRecord> records = Simulator.forDefaultDistrict(SimulationSettings.defaults(1, noon).withCleanDelivery())
                .stream(noon.plus(Duration.ofDays(1))).toList();
        assertThat(records).isNotEmpty().allMatch(r -> r.sendAt() >= noon.toEpochMilli());
        assertThat(records).allMatch(r -> r.kind() == SimRecord.Kind.EVENT);
    }
}

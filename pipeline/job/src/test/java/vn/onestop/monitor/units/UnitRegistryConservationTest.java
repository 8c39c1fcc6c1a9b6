package vn.onestop.monitor.units;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Property: over random registries with two reorganisations (merges, splits, partial cessions, codes reused by other
 * units, units that go through untouched, units abolished without a successor), restating recorded counts into the
 * units of a target day loses and invents nothing: all of a record goes to the units of the target day, except the
 * part that reached an abolished unit, which goes nowhere (and not to a later unit reusing its code). The expectation is computed here independently of {@link UnitRegistry#restate}: the generator
 * keeps each reorganisation as a transfer matrix between the units alive before and after it, and a record's
 * expected contribution is its count times the product of the matrices of the reorganisations between its day and
 * the target — no dates looked up, no versions resolved by code.
 */
class UnitRegistryConservationTest {
    private static final int ITERATIONS = 300;
    private static final int RECORDS = 60;

    /** A unit as the generator knows it: an object, not a code, so a reused code is a different unit. */
    private static final class Unit {
        final String code;
        final LocalDate from;
        LocalDate to;

        Unit(String code, LocalDate from) {
            this.code = code;
            this.from = from;
        }

        @Override
        public String toString() {
            return code + " (" + (from == null ? "open" : from) + " … " + (to == null ? "open" : to) + ")";
        }

        boolean aliveOn(LocalDate day) {
            return (from == null || !day.isBefore(from)) && (to == null || !day.isAfter(to));
        }
    }

    /** One reorganisation: the day it takes effect and, for every unit alive before it, where its history goes. */
    private record Reorganisation(LocalDate effective, Map<Unit, Map<Unit, Double>> transfer) {}

    private record Record(Unit unit, LocalDate day, int count) {}

    private int carriedWhole;
    private int lostWhole;
    private int split;
    private int reusedCodes;

    @Test
    void restatedSumsEqualRecordedSums() throws IOException {
        for (int i = 0; i < ITERATIONS; i++) {
            long seed = 0x5EEDL + i;
            check(new Random(seed), seed);
        }
        // The generator has to have produced the cases the property is about, or it proves nothing.
        assertThat(carriedWhole).isGreaterThan(1000);
        assertThat(split).isGreaterThan(1000);
        assertThat(lostWhole).isGreaterThan(100);
        assertThat(reusedCodes).isGreaterThan(100);
    }

    private void check(Random random, long seed) throws IOException {
        List<Unit> allUnits = new ArrayList<>();
        List<Unit> alive = new ArrayList<>();
        int[] nextCode = {1};
        int initial = 2 + random.nextInt(7);
        for (int k = 0; k < initial; k++) {
            Unit u = new Unit("U" + nextCode[0]++, random.nextBoolean() ? null : LocalDate.parse("2020-01-01"));
            alive.add(u);
            allUnits.add(u);
        }
        LocalDate first = LocalDate.parse("2024-01-01").plusDays(random.nextInt(365));
        LocalDate second = first.plusDays(30 + random.nextInt(400));
        List<Reorganisation> reorganisations = new ArrayList<>();
        StringBuilder succession = new StringBuilder("predecessor_code,successor_code,effective_from,share\n");
        for (LocalDate effective : List.of(first, second)) {
            Reorganisation r = reorganise(random, effective, alive, allUnits, nextCode, succession);
            reorganisations.add(r);
            List<Unit> next = new ArrayList<>();
            for (Map<Unit, Double> targets : r.transfer().values()) {
                next.addAll(targets.keySet());
            }
            alive = new ArrayList<>(new LinkedHashSet<>(next));
            // Units created with no predecessor at all are alive too.
            for (Unit u : allUnits) {
                if (effective.equals(u.from) && !alive.contains(u)) {
                    alive.add(u);
                }
            }
        }
        StringBuilder units = new StringBuilder("code,name,level,parent_code,valid_from,valid_to\nP,Tỉnh P,PROVINCE,,,\n");
        for (Unit u : allUnits) {
            units.append(u.code).append(",Xã ").append(u.code).append(",COMMUNE,P,")
                    .append(u.from == null ? "" : u.from).append(',').append(u.to == null ? "" : u.to).append('\n');
        }
        UnitRegistry registry = UnitRegistryRefusalTest.read(units.toString(), succession.toString());

        List<Record> records = new ArrayList<>();
        LocalDate start = first.minusDays(200);
        int span = (int) (second.toEpochDay() - start.toEpochDay()) + 200;
        while (records.size() < RECORDS) {
            LocalDate day = start.plusDays(random.nextInt(span));
            List<Unit> aliveThen = allUnits.stream().filter(u -> u.aliveOn(day)).toList();
            records.add(new Record(aliveThen.get(random.nextInt(aliveThen.size())), day, 1 + random.nextInt(20)));
        }

        for (LocalDate target : List.of(first.minusDays(1), first, second.minusDays(1), second.plusDays(60))) {
            Map<String, Double> restated = new TreeMap<>();
            Map<String, Double> expected = new TreeMap<>();
            double recorded = 0;
            double abolished = 0;
            for (Record rec : records) {
                if (rec.day().isAfter(target)) {
                    continue;
                }
                recorded += rec.count();
                Map<String, Double> weights = registry.restate(rec.unit().code, rec.day(), target);
                Map<Unit, Double> mine = expectedWeights(rec, target, reorganisations);
                double kept = mine.values().stream().mapToDouble(Double::doubleValue).sum();
                abolished += rec.count() * (1 - kept);
                String where = "seed " + seed + ", " + rec + " → " + target + "\nunits:\n" + units + "succession:\n" + succession;
                assertThat(weights.values().stream().mapToDouble(Double::doubleValue).sum()).as(where).isCloseTo(kept, within(1e-9));
                for (String code : weights.keySet()) {
                    assertThat(allUnits.stream().anyMatch(u -> u.code.equals(code) && u.aliveOn(target)))
                            .as(where + "\n" + code + " is not a unit of the target day").isTrue();
                }
                weights.forEach((code, w) -> restated.merge(code, rec.count() * w, Double::sum));
                mine.forEach((u, w) -> expected.merge(u.code, rec.count() * w, Double::sum));
                if (Math.abs(kept - 1) < 1e-12) {
                    carriedWhole++;
                } else if (mine.isEmpty()) {
                    lostWhole++;
                }
                if (mine.size() > 1) {
                    split++;
                }
            }
            String where = "seed " + seed + ", target " + target + "\nunits:\n" + units + "succession:\n" + succession;
            // Conservation: what the successors carry plus what reached an abolished unit is what was recorded.
            assertThat(restated.values().stream().mapToDouble(Double::doubleValue).sum() + abolished).as(where).isCloseTo(recorded, within(1e-6));
            assertThat(restated.keySet()).as(where).isEqualTo(expected.keySet());
            expected.forEach((code, total) -> assertThat(restated.get(code)).as(where + "\nsuccessor " + code).isCloseTo(total, within(1e-6)));
        }
        checkEdgeShares(registry, reorganisations.get(0), seed);
    }

    /**
     * Builds one reorganisation: some alive units end and hand their history to one to three successors (new units,
     * some reusing a code that has become free, or units that continue), some continue and cede part of theirs to
     * new units, the rest go through untouched. Writes its rows to the succession file.
     */
    private Reorganisation reorganise(Random random, LocalDate effective, List<Unit> alive, List<Unit> allUnits,
                                             int[] nextCode, StringBuilder succession) {
        List<Unit> ending = new ArrayList<>();
        List<Unit> continuing = new ArrayList<>();
        for (Unit u : alive) {
            (random.nextDouble() < 0.6 ? ending : continuing).add(u);
        }
        if (ending.isEmpty()) {
            ending.add(continuing.remove(0));
        }
        Set<String> taken = new LinkedHashSet<>();
        continuing.forEach(u -> taken.add(u.code));
        List<String> free = new ArrayList<>();
        for (Unit u : allUnits) {
            if (!taken.contains(u.code) && !free.contains(u.code)) {
                free.add(u.code); // codes of units ended now or earlier, not used by a continuing unit
            }
        }
        List<Unit> created = new ArrayList<>();
        int count = 1 + random.nextInt(ending.size() + 1);
        for (int k = 0; k < count; k++) {
            boolean reuse = !free.isEmpty() && random.nextDouble() < 0.5;
            String code = reuse ? free.remove(random.nextInt(free.size())) : "U" + nextCode[0]++;
            reusedCodes += reuse ? 1 : 0;
            Unit u = new Unit(code, effective);
            created.add(u);
            allUnits.add(u);
        }
        ending.forEach(u -> u.to = effective.minusDays(1));

        Map<Unit, Map<Unit, Double>> transfer = new LinkedHashMap<>();
        List<Unit> receivers = new ArrayList<>(created);
        receivers.addAll(continuing);
        for (Unit u : ending) {
            if (random.nextDouble() < 0.15) {
                transfer.put(u, Map.of()); // abolished, like a district in 2025: its history belongs to no later unit
            } else {
                transfer.put(u, shares(random, u, pick(random, receivers, 1 + random.nextInt(3)), succession, effective));
            }
        }
        for (Unit u : continuing) {
            if (random.nextDouble() < 0.25) {
                List<Unit> targets = new ArrayList<>(List.of(u));
                targets.addAll(pick(random, created, 1 + random.nextInt(2)));
                transfer.put(u, shares(random, u, targets, succession, effective));
            } else {
                transfer.put(u, Map.of(u, 1.0)); // untouched: no row in the file
            }
        }
        return new Reorganisation(effective, transfer);
    }

    private static Map<Unit, Double> shares(Random random, Unit from, List<Unit> targets, StringBuilder succession, LocalDate effective) {
        int[] parts = new int[targets.size()];
        int sum = 0;
        for (int i = 0; i < parts.length; i++) {
            parts[i] = 1 + random.nextInt(7);
            sum += parts[i];
        }
        Map<Unit, Double> out = new LinkedHashMap<>();
        for (int i = 0; i < parts.length; i++) {
            double share = (double) parts[i] / sum;
            out.put(targets.get(i), share);
            succession.append(from.code).append(',').append(targets.get(i).code).append(',').append(effective).append(',')
                    .append(share).append('\n');
        }
        return out;
    }

    private static List<Unit> pick(Random random, List<Unit> from, int n) {
        List<Unit> copy = new ArrayList<>(from);
        List<Unit> out = new ArrayList<>();
        while (out.size() < n && !copy.isEmpty()) {
            out.add(copy.remove(random.nextInt(copy.size())));
        }
        return out;
    }

    /** The generator's own answer: a unit vector pushed through the matrices of the reorganisations in (day, target]. */
    private static Map<Unit, Double> expectedWeights(Record rec, LocalDate target, List<Reorganisation> reorganisations) {
        Map<Unit, Double> vector = new HashMap<>(Map.of(rec.unit(), 1.0));
        for (Reorganisation r : reorganisations) {
            if (!r.effective().isAfter(rec.day()) || r.effective().isAfter(target)) {
                continue;
            }
            Map<Unit, Double> next = new HashMap<>();
            vector.forEach((u, w) -> r.transfer().get(u).forEach((v, s) -> next.merge(v, w * s, Double::sum)));
            vector = next;
        }
        return vector;
    }

    /** Per edge: a record of the day before the first reorganisation lands on its successors with exactly the file's shares. */
    private static void checkEdgeShares(UnitRegistry registry, Reorganisation first, long seed) {
        LocalDate dayBefore = first.effective().minusDays(1);
        first.transfer().forEach((unit, targets) -> {
            Map<String, Double> byCode = new TreeMap<>();
            targets.forEach((u, s) -> byCode.put(u.code, s));
            assertThat(registry.restate(unit.code, dayBefore, first.effective())).as("seed " + seed + ", unit " + unit.code)
                    .isEqualTo(byCode);
        });
    }
}

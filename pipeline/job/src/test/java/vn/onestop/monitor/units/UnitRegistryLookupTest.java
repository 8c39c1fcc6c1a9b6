package vn.onestop.monitor.units;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** versionAt / parentAt / units on a day, and restatement with hand-computed weights, on the shipped 2025 data. */
class UnitRegistryLookupTest {
    private static final LocalDate LAST_OLD_DAY = LocalDate.parse("2025-06-30");
    private static final LocalDate FIRST_NEW_DAY = LocalDate.parse("2025-07-01");
    private static UnitRegistry registry;

    @BeforeAll
    static void load() throws IOException {
        registry = UnitRegistry.default2025();
    }

    @ParameterizedTest(name = "{0} on {1} is ''{2}'' under ''{3}''")
    @CsvSource({
            // code, day, name of the version valid that day ('' = none), parent code that day ('' = none)
            "11239, 2025-06-30, Thị trấn Thanh Miện, 300",
            "11239, 2025-07-01, Xã Thanh Miện, 31",
            "11239, 2019-01-01, Thị trấn Thanh Miện, 300",
            "11281, 2025-06-30, Xã Chi Lăng Bắc, 300",
            "11281, 2025-07-01, '', ''",
            "11284, 2025-07-01, Xã Nam Thanh Miện, 31",
            "10987, 2025-06-30, Xã Nhân Quyền, 296",
            "10987, 2025-07-01, '', ''",
            "10891, 2025-06-30, Thị trấn Lai Cách, 295",
            "10891, 2025-07-01, Phường Tứ Minh, 31",
            "300, 2025-06-30, Huyện Thanh Miện, 30",
            "300, 2025-07-01, '', ''",
            "30, 2025-06-30, Tỉnh Hải Dương, ''",
            "30, 2025-07-01, '', ''",
            "31, 2025-06-30, Thành phố Hải Phòng, ''",
            "31, 2026-01-01, Thành phố Hải Phòng, ''",
            "99999, 2025-07-01, '', ''",
    })
    void versionAndParentOnADay(String code, LocalDate day, String name, String parent) {
        assertThat(registry.versionAt(code, day).map(UnitVersion::name).orElse("")).isEqualTo(name);
        assertThat(registry.parentAt(code, day).map(UnitVersion::code).orElse("")).isEqualTo(parent);
    }

    @Test
    void unitsOnTheLastOldDayAndTheFirstNewDay() {
        // 2 provinces + 4 districts + 17 communes of Thanh Miện + Nhân Quyền, Lai Cách, Việt Hoà.
        assertThat(registry.unitsValidOn(LAST_OLD_DAY)).hasSize(26);
        // Hải Phòng + the 5 communes of former Thanh Miện + Việt Hòa and Tứ Minh.
        assertThat(codes(registry.unitsValidOn(FIRST_NEW_DAY)))
                .containsExactly("10543", "10891", "11239", "11242", "11254", "11257", "11284", "31");
        // A picker over June–July offers both versions of a reused code and Hải Phòng once: 26 + 7.
        assertThat(registry.unitsValidBetween(LocalDate.parse("2025-06-01"), LocalDate.parse("2025-07-31"))).hasSize(33);
        assertThat(registry.childrenAt("300", LAST_OLD_DAY)).hasSize(17);
        assertThat(registry.childrenAt("31", FIRST_NEW_DAY)).hasSize(7);
        assertThat(registry.childrenAt("300", FIRST_NEW_DAY)).isEmpty();
    }

    @Test
    void theSeventeenCommunesAndNhanQuyenMergeWhollyIntoTheFive() {
        // Resolution 1669/NQ-UBTVQH15 as recorded in the default data: successor ← its predecessors.
        Map<String, Set<String>> expected = new TreeMap<>(Map.of(
                "11239", Set.of("11239", "11278", "11275", "11269"),
                "11254", Set.of("11254", "11260", "11266"),
                "11257", Set.of("11257", "11248", "11263"),
                "11242", Set.of("11242", "11245", "11251", "10987"),
                "11284", Set.of("11284", "11281", "11287", "11293")));
        Map<String, Set<String>> actual = new TreeMap<>();
        List<UnitVersion> predecessors = new java.util.ArrayList<>(registry.childrenAt("300", LAST_OLD_DAY));
        predecessors.add(registry.versionAt("10987", LAST_OLD_DAY).orElseThrow()); // Nhân Quyền, from Bình Giang
        for (UnitVersion old : predecessors) {
            Map<String, Double> w = registry.restate(old.code(), LAST_OLD_DAY, FIRST_NEW_DAY);
            assertThat(w).as(old.name()).hasSize(1).containsValue(1.0);
            actual.computeIfAbsent(w.keySet().iterator().next(), k -> new java.util.TreeSet<>()).add(old.code());
        }
        assertThat(actual).isEqualTo(expected);
        // Each new commune reuses the code of one of its predecessors.
        expected.forEach((successor, merged) -> assertThat(merged).contains(successor));
    }

    @Test
    void mergerWorkedExample() {
        // May 2025 receipts of the four communes that became Nam Thanh Miện: 30 + 25 + 20 + 45 = 120.
        Map<String, Integer> may = new LinkedHashMap<>();
        may.put("11293", 30); // Hồng Phong
        may.put("11287", 25); // Thanh Giang
        may.put("11281", 20); // Chi Lăng Bắc
        may.put("11284", 45); // Chi Lăng Nam, whose code Nam Thanh Miện reuses
        Map<String, Double> restated = restateAll(may, LocalDate.parse("2025-05-15"), LocalDate.parse("2025-08-01"));
        assertThat(restated).containsOnlyKeys("11284");
        assertThat(restated.get("11284")).isEqualTo(120.0);
    }

    @Test
    void splitWorkedExample() {
        // Lai Cách's 100 June receipts split half and half (the illustrative shares); Việt Hoà's 40 go whole to Việt Hòa.
        Map<String, Double> restated = restateAll(Map.of("10891", 100, "10543", 40), LocalDate.parse("2025-06-10"), FIRST_NEW_DAY);
        assertThat(restated).containsOnlyKeys("10543", "10891");
        assertThat(restated.get("10543")).isEqualTo(90.0); // 40 + 50
        assertThat(restated.get("10891")).isEqualTo(50.0); // Phường Tứ Minh, reusing Lai Cách's code
    }

    @Test
    void historyAlreadyInTodaysUnitsStays() {
        assertThat(registry.restate("11239", LocalDate.parse("2025-07-15"), LocalDate.parse("2025-09-01"))).containsExactly(Map.entry("11239", 1.0));
        // Restating into a day before the reorganisation leaves the old unit as it was.
        assertThat(registry.restate("11281", LocalDate.parse("2025-05-15"), LAST_OLD_DAY)).containsExactly(Map.entry("11281", 1.0));
    }

    @Test
    void anAbolishedDistrictHasNoSuccessor() {
        // The district tier ended without successors: its own history belongs to no unit of today.
        assertThat(registry.restate("300", LocalDate.parse("2025-05-15"), FIRST_NEW_DAY)).isEmpty();
        // Hải Dương's province-level history is carried by Hải Phòng.
        assertThat(registry.restate("30", LocalDate.parse("2025-05-15"), FIRST_NEW_DAY)).containsExactly(Map.entry("31", 1.0));
    }

    @Test
    void aCountRecordedAfterItsUnitEndedIsCarriedAsOfTheUnitsLastDay() {
        // Chi Lăng Bắc ended on 30 June; a count it records on 1 July is the late event of a dossier it received, so
        // it goes where Chi Lăng Bắc's history goes: wholly to Nam Thanh Miện (11284).
        assertThat(registry.restate("11281", FIRST_NEW_DAY, LocalDate.parse("2025-08-01"))).containsExactly(Map.entry("11284", 1.0));
        // A code with no version on or before the day has nothing to carry.
        assertThat(registry.restate("99999", FIRST_NEW_DAY, LocalDate.parse("2025-08-01"))).isEmpty();
        assertThatThrownBy(() -> registry.restate("11239", FIRST_NEW_DAY, LAST_OLD_DAY)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void chainOfTwoReorganisationsWithASplitAndACodeReusedByAnotherUnit() throws IOException {
        // A splits 0.6 → B, 0.4 → C on 2025-01-01; B and D merge into E on 2025-07-01, the day code A comes back as an
        // unrelated new unit. A's 2024 history: 0.6 × 1 to E, 0.4 to C, nothing to the new A.
        String units = "code,name,level,parent_code,valid_from,valid_to\n"
                + "P,Tỉnh P,PROVINCE,,,\n"
                + "A,Xã A,COMMUNE,P,,2024-12-31\n"
                + "B,Xã B,COMMUNE,P,2025-01-01,2025-06-30\n"
                + "C,Xã C,COMMUNE,P,2025-01-01,\n"
                + "D,Xã D,COMMUNE,P,,2025-06-30\n"
                + "E,Xã E,COMMUNE,P,2025-07-01,\n"
                + "A,Xã A khác,COMMUNE,P,2025-07-01,\n";
        String succession = "predecessor_code,successor_code,effective_from,share\n"
                + "A,B,2025-01-01,0.6\nA,C,2025-01-01,0.4\nB,E,2025-07-01,1\nD,E,2025-07-01,1\n";
        UnitRegistry r = UnitRegistryRefusalTest.read(units, succession);
        LocalDate in2024 = LocalDate.parse("2024-06-01");
        LocalDate august = LocalDate.parse("2025-08-01");
        assertThat(r.restate("A", in2024, august)).containsExactly(Map.entry("C", 0.4), Map.entry("E", 0.6));
        assertThat(r.restate("A", in2024, LocalDate.parse("2025-03-01"))).containsExactly(Map.entry("B", 0.6), Map.entry("C", 0.4));
        assertThat(r.restate("B", LocalDate.parse("2025-03-01"), august)).containsExactly(Map.entry("E", 1.0));
        assertThat(r.restate("A", august, august)).containsExactly(Map.entry("A", 1.0));
        // 50 receipts of A in 2024 and 30 of D: E carries 0.6 × 50 + 30 = 60, C carries 0.4 × 50 = 20.
        Map<String, Double> totals = new TreeMap<>();
        r.restate("A", in2024, august).forEach((k, w) -> totals.merge(k, 50 * w, Double::sum));
        r.restate("D", in2024, august).forEach((k, w) -> totals.merge(k, 30 * w, Double::sum));
        assertThat(totals.get("E")).isCloseTo(60.0, within(1e-9));
        assertThat(totals.get("C")).isCloseTo(20.0, within(1e-9));
        assertThat(r.versions("A")).extracting(UnitVersion::name).containsExactly("Xã A", "Xã A khác");
    }

    private static Map<String, Double> restateAll(Map<String, Integer> counts, LocalDate day, LocalDate target) {
        Map<String, Double> out = new TreeMap<>();
        counts.forEach((code, n) -> registry.restate(code, day, target).forEach((k, w) -> out.merge(k, n * w, Double::sum)));
        return out;
    }

    private static List<String> codes(List<UnitVersion> versions) {
        return versions.stream().map(UnitVersion::code).collect(Collectors.toList());
    }
}

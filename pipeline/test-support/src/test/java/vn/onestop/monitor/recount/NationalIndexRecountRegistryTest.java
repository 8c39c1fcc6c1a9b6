package vn.onestop.monitor.recount;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The recount's reading of dated parents (docs/INDEX766.md, "Parents across the 2025 reorganisation"), pinned by
 * hand on the shipped registry's Thanh Miện rows: the views are checked against this reading, so it must be right.
 */
class NationalIndexRecountRegistryTest {
    static final String UNITS = String.join("\n",
            "code,name,level,parent_code,valid_from,valid_to",
            "30,Tỉnh Hải Dương,PROVINCE,,,2025-06-30",
            "31,Thành phố Hải Phòng,PROVINCE,,,",
            "300,Huyện Thanh Miện,DISTRICT,30,,2025-06-30",
            "11239,Thị trấn Thanh Miện,COMMUNE,300,,2025-06-30",
            "11239,Xã Thanh Miện,COMMUNE,31,2025-07-01,",
            "11242,Xã Thanh Tùng,COMMUNE,300,,2025-06-30");

    static NationalIndexRecount.Registry registry() throws Exception {
        return NationalIndexRecount.Registry.read(new ByteArrayInputStream(UNITS.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aDossierCountsForTheAncestorsOfItsReceiptDay() throws Exception {
        NationalIndexRecount.Registry r = registry();
        assertThat(r.dossierAncestors("11239", LocalDate.of(2024, 3, 15))).containsExactly("11239", "300", "30");
        assertThat(r.dossierAncestors("11239", LocalDate.of(2025, 6, 30))).containsExactly("11239", "300", "30");
        assertThat(r.dossierAncestors("11239", LocalDate.of(2025, 7, 1))).containsExactly("11239", "31");
        // 11242 ended on 30 June without a successor version: a later receipt counts as of its last day
        assertThat(r.dossierAncestors("11242", LocalDate.of(2025, 8, 1))).containsExactly("11242", "300", "30");
        assertThat(r.dossierAncestors("99999", LocalDate.of(2025, 8, 1))).isEmpty();
    }

    @Test
    void aCatalogueRowCountsForTheAncestorsOfAnyDayOfThePeriod() throws Exception {
        NationalIndexRecount.Registry r = registry();
        assertThat(r.ancestorsDuring("11239", LocalDate.of(2025, 6, 1), LocalDate.of(2025, 7, 1))).containsExactlyInAnyOrder("11239", "300", "30");
        assertThat(r.ancestorsDuring("11239", LocalDate.of(2025, 7, 1), LocalDate.of(2025, 8, 1))).containsExactlyInAnyOrder("11239", "31");
        assertThat(r.ancestorsDuring("11239", LocalDate.of(2025, 1, 1), LocalDate.of(2026, 1, 1))).containsExactlyInAnyOrder("11239", "300", "30", "31");
        // ended units have no catalogue after their end
        assertThat(r.ancestorsDuring("11242", LocalDate.of(2025, 7, 1), LocalDate.of(2025, 8, 1))).isEmpty();
    }

    @Test
    void peersAreTheVersionsOfThePeriodsLastDay() throws Exception {
        NationalIndexRecount.Registry r = registry();
        assertThat(r.asOf("11239", LocalDate.of(2025, 6, 30)).parent()).isEqualTo("300");
        assertThat(r.asOf("11239", LocalDate.of(2025, 12, 31)).parent()).isEqualTo("31");
        assertThat(r.asOf("300", LocalDate.of(2025, 12, 31)).parent()).isEqualTo("30");
    }
}

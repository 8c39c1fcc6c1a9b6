package vn.onestop.monitor.kpi;

import org.apache.flink.util.Collector;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import vn.onestop.monitor.units.UnitRegistry;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Roll-ups on the shipped 2025 registry: the parent is the one valid on the hour's local day (UTC+7). */
class ParentRollupTest {
    private static UnitRegistry registry;

    @BeforeAll
    static void load() throws Exception {
        registry = UnitRegistry.default2025();
    }

    /** The units a change of {@code unit}'s counts in the hour starting at {@code utcHour} is copied to. */
    private static List<String> rollUp(String unit, String utcHour) {
        List<String> out = new ArrayList<>();
        long hour = Instant.parse(utcHour).toEpochMilli();
        new ParentRollup(registry).flatMap(UnitHourDelta.single(unit, hour, Measure.RECEIVED), new Collector<>() {
            @Override
            public void collect(UnitHourDelta d) {
                assertThat(d.delta[Measure.RECEIVED.ordinal()]).isEqualTo(1);
                assertThat(d.hourStart).isEqualTo(hour);
                out.add(d.unitCode);
            }

            @Override
            public void close() {}
        });
        return out;
    }

    @Test
    void beforeTheReorganisationACommuneRollsUpToItsDistrictAndProvince() {
        // Xã Cao Thắng, 15 June 2025: Huyện Thanh Miện (300), then Tỉnh Hải Dương (30).
        assertThat(rollUp("11278", "2025-06-15T03:00:00Z")).containsExactly("300", "30");
        assertThat(rollUp("300", "2025-06-15T03:00:00Z")).containsExactly("30");
        assertThat(rollUp("30", "2025-06-15T03:00:00Z")).isEmpty();
    }

    @Test
    void aReusedCodeHasTheParentOfTheVersionValidOnTheHoursLocalDay() {
        // 11239 is Thị trấn Thanh Miện until 2025-06-30 and Xã Thanh Miện (under Hải Phòng, two tiers) from 2025-07-01.
        // 2025-06-30T16:00Z is 23:00 local on 30 June; 17:00Z is midnight local on 1 July: the boundary is local.
        assertThat(rollUp("11239", "2025-06-30T16:00:00Z")).containsExactly("300", "30");
        assertThat(rollUp("11239", "2025-06-30T17:00:00Z")).containsExactly("31");
    }

    @Test
    void aCountOfAnEndedUnitRollsUpToTheParentsItHadOnItsLastDay() {
        // Cao Thắng ended on 30 June; a count on 3 July is a late event of a dossier it received (counts follow the
        // receiving unit), and Cao Thắng's parents on its last day were 300 and 30.
        assertThat(rollUp("11278", "2025-07-03T03:00:00Z")).containsExactly("300", "30");
    }

    @Test
    void anUnknownCodeOrADayBeforeTheCodeExistedRollsUpNowhere() {
        assertThat(rollUp("99999", "2025-06-15T03:00:00Z")).isEmpty();
        // Hải Phòng's code 31 is open-ended at both ends; a province has no parent on any day.
        assertThat(rollUp("31", "2025-08-15T03:00:00Z")).isEmpty();
    }
}

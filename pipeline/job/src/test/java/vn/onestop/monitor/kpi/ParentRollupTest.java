package vn.onestop.monitor.kpi;

import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ParentRollupTest {
    private static List<String> rollUp(Map<String, String> parents, String unit) {
        List<String> out = new ArrayList<>();
        new ParentRollup(parents).flatMap(UnitHourDelta.single(unit, 0, Measure.RECEIVED), new Collector<>() {
            @Override
            public void collect(UnitHourDelta d) {
                assertThat(d.delta[Measure.RECEIVED.ordinal()]).isEqualTo(1);
                out.add(d.unitCode);
            }

            @Override
            public void close() {}
        });
        return out;
    }

    @Test
    void everyLevelAboveTheUnitGetsTheChangeAndNoneBelowOrBeside() {
        Map<String, String> threeTiers = Map.of("11380", "297", "11383", "297", "297", "30");
        assertThat(rollUp(threeTiers, "11380")).containsExactly("297", "30");
        assertThat(rollUp(threeTiers, "297")).containsExactly("30");
        assertThat(rollUp(threeTiers, "30")).isEmpty();
        // Two tiers since July 2025: communes directly under the province.
        assertThat(rollUp(Map.of("11380", "31"), "11380")).containsExactly("31");
    }

    @Test
    void aCycleInTheRegistryDoesNotLoopForEver() {
        assertThat(rollUp(Map.of("a", "b", "b", "a"), "a")).containsExactly("b", "a");
    }
}

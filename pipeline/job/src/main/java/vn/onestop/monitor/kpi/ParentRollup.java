package vn.onestop.monitor.kpi;

import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.util.Collector;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Copies each change to a unit's hourly counts to every unit above it (commune → district → province, however many
 * levels the registry has), so that KPI breaches of parent units are judged on the summed counts of their children,
 * never on averaged ratios. The copies feed only the breach detector; the stored hourly counts stay per unit.
 */
public final class ParentRollup implements FlatMapFunction<UnitHourDelta, UnitHourDelta> {
    private static final long serialVersionUID = 1L;
    private final Map<String, String> parents;

    public ParentRollup(Map<String, String> parents) {
        this.parents = Map.copyOf(parents);
    }

    @Override
    public void flatMap(UnitHourDelta d, Collector<UnitHourDelta> out) {
        Set<String> seen = null;
        for (String p = parents.get(d.unitCode); p != null; p = parents.get(p)) {
            // A cycle in the registry would loop for ever; the reference loader refuses cycles, this is the backstop.
            if (seen == null) {
                seen = new HashSet<>();
            }
            if (!seen.add(p)) {
                break;
            }
            out.collect(new UnitHourDelta(p, d.hourStart, d.delta));
        }
    }
}

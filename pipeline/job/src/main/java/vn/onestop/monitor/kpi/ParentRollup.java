package vn.onestop.monitor.kpi;

import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.util.Collector;
import vn.onestop.monitor.units.UnitRegistry;
import vn.onestop.monitor.units.UnitVersion;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Copies each change to a unit's hourly counts to every unit above it (commune → district → province, however many
 * levels the registry has), so that KPI breaches of parent units are judged on the summed counts of their children,
 * never on averaged ratios. The copies feed only the breach detector; the stored hourly counts stay per unit.
 *
 * <p>The parent is the one valid on the hour's local day: the parent link belongs to the unit's version, so a commune
 * of Hải Dương until 30 June 2025 counts for Hải Phòng from 1 July. A count of a unit that has ceased to exist (the
 * late resolution of a dossier it received) goes to the parents it had on its last day, as the dossier's unit does.
 */
public final class ParentRollup implements FlatMapFunction<UnitHourDelta, UnitHourDelta> {
    private static final long serialVersionUID = 1L;
    private static final ZoneId LOCAL_ZONE = ZoneId.of("Asia/Ho_Chi_Minh");
    private final UnitRegistry units;

    public ParentRollup(UnitRegistry units) {
        this.units = units;
    }

    @Override
    public void flatMap(UnitHourDelta d, Collector<UnitHourDelta> out) {
        LocalDate day = Instant.ofEpochMilli(d.hourStart).atZone(LOCAL_ZONE).toLocalDate();
        Optional<UnitVersion> unit = units.recordedVersion(d.unitCode, day);
        if (unit.isEmpty()) {
            return;
        }
        if (!unit.get().validOn(day)) {
            day = unit.get().validTo();
        }
        Set<String> seen = null;
        for (Optional<UnitVersion> p = units.parentAt(unit.get().code(), day); p.isPresent(); p = units.parentAt(p.get().code(), day)) {
            // The reference loader refuses cycles; this is the backstop against looping for ever.
            if (seen == null) {
                seen = new HashSet<>();
            }
            if (!seen.add(p.get().code())) {
                break;
            }
            out.collect(new UnitHourDelta(p.get().code(), d.hourStart, d.delta, true));
        }
    }
}

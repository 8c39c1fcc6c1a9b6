package vn.onestop.monitor.kpi;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Changes to unit-hour counts summed per unit and hour until drained: the Flink-free core of
 * {@link UnitHourPreAggregator}. A backfill's events mostly fall in few units and hours, so the sum of a flush's
 * changes to one bucket crosses the keyed exchange once instead of once per event. Sums are kept even when they
 * come to zero: a bucket that was touched still gets its (absolute) row, as it did when every change was sent.
 */
public final class UnitHourBuffer {
    private record Key(String unit, long hour) {}

    private final Map<Key, int[]> sums = new HashMap<>();

    /** The bucket of the last change added: consecutive changes often fall in one (a dossier's receipt measures). */
    private String lastUnit;
    private long lastHour;
    private int[] last;

    public void add(UnitHourDelta d) {
        if (last == null || d.hourStart != lastHour || !java.util.Objects.equals(d.unitCode, lastUnit)) {
            last = sums.computeIfAbsent(new Key(d.unitCode, d.hourStart), k -> new int[d.delta.length]);
            lastUnit = d.unitCode;
            lastHour = d.hourStart;
        }
        int[] s = last;
        for (int i = 0; i < s.length; i++) {
            s[i] += d.delta[i];
        }
    }

    /** Number of unit-hours held: what a flush would emit. */
    public int size() {
        return sums.size();
    }

    public boolean isEmpty() {
        return sums.isEmpty();
    }

    /** The summed changes held, one per unit and hour, and an empty buffer. */
    public List<UnitHourDelta> drain() {
        List<UnitHourDelta> out = new ArrayList<>(sums.size());
        sums.forEach((k, s) -> out.add(new UnitHourDelta(k.unit(), k.hour(), s)));
        sums.clear();
        last = null;
        return out;
    }
}

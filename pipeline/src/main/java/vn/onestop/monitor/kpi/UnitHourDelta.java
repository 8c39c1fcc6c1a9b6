package vn.onestop.monitor.kpi;

/** A change to the counts of one unit and one hour, produced when a dossier or a rating moves. */
public class UnitHourDelta {
    public String unitCode;
    public long hourStart;
    public int[] delta;

    public UnitHourDelta() {}

    public UnitHourDelta(String unitCode, long hourStart, int[] delta) {
        this.unitCode = unitCode;
        this.hourStart = hourStart;
        this.delta = delta;
    }

    public static UnitHourDelta single(String unitCode, long hourStart, Counter... counters) {
        int[] d = new int[Counter.COUNT];
        for (Counter c : counters) {
            d[c.ordinal()] += 1;
        }
        return new UnitHourDelta(unitCode, hourStart, d);
    }

    public String bucketKey() {
        return bucketKey(unitCode, hourStart);
    }

    public static String bucketKey(String unitCode, long hourStart) {
        return unitCode + '|' + hourStart;
    }

    public static long hourStart(long epochMillis) {
        return Math.floorDiv(epochMillis, 3_600_000L) * 3_600_000L;
    }
}

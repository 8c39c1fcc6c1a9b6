package vn.onestop.monitor.kpi;

/** The absolute counts of one unit and hour; written as an idempotent upsert, so replays never double count. */
public class UnitHourCounts {
    public String unitCode;
    public long hourStart;
    public long[] counts;

    public UnitHourCounts() {}

    public UnitHourCounts(String unitCode, long hourStart, long[] counts) {
        this.unitCode = unitCode;
        this.hourStart = hourStart;
        this.counts = counts;
    }

    public long get(Counter c) {
        return counts[c.ordinal()];
    }
}

package vn.onestop.monitor.kpi;

import org.apache.flink.api.common.typeinfo.TypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import vn.onestop.monitor.ingest.CompactTypeInfo;

import java.lang.reflect.Type;
import java.util.Map;

/** The absolute counts of one unit and hour; written as an idempotent upsert, so replays never double count. */
@TypeInfo(UnitHourCounts.Info.class)
public class UnitHourCounts {
    public String unitCode;
    public long hourStart;
    public long[] counts;
    /** The summed counts of the units under this one (see {@link UnitHourDelta#rolledUp}): for breaches, not stored. */
    public boolean rolledUp;

    public UnitHourCounts() {}

    public UnitHourCounts(String unitCode, long hourStart, long[] counts) {
        this.unitCode = unitCode;
        this.hourStart = hourStart;
        this.counts = counts;
    }

    public UnitHourCounts(String unitCode, long hourStart, long[] counts, boolean rolledUp) {
        this(unitCode, hourStart, counts);
        this.rolledUp = rolledUp;
    }

    public long get(Measure c) {
        return counts[c.ordinal()];
    }

    /** Gives Flink the hand-written {@link UnitHourCountsSerializer} instead of the reflective POJO serializer. */
    public static final class Info extends TypeInfoFactory<UnitHourCounts> {
        @Override
        public TypeInformation<UnitHourCounts> createTypeInfo(Type t, Map<String, TypeInformation<?>> generics) {
            return new CompactTypeInfo<>(UnitHourCounts.class, UnitHourCountsSerializer.INSTANCE);
        }
    }
}

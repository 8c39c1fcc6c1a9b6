package vn.onestop.monitor.kpi;

import org.apache.flink.api.common.typeinfo.TypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import vn.onestop.monitor.ingest.CompactTypeInfo;

import java.lang.reflect.Type;
import java.util.Map;

/** A change to the counts of one unit and one hour, produced when a dossier or a rating moves. */
@TypeInfo(UnitHourDelta.Info.class)
public class UnitHourDelta {
    public String unitCode;
    public long hourStart;
    public int[] delta;
    /**
     * A copy of a child unit's change made by {@link ParentRollup}: it counts towards the parent's KPI breaches only,
     * never towards the parent's own stored hourly counts.
     */
    public boolean rolledUp;

    public UnitHourDelta() {}

    public UnitHourDelta(String unitCode, long hourStart, int[] delta) {
        this.unitCode = unitCode;
        this.hourStart = hourStart;
        this.delta = delta;
    }

    public UnitHourDelta(String unitCode, long hourStart, int[] delta, boolean rolledUp) {
        this(unitCode, hourStart, delta);
        this.rolledUp = rolledUp;
    }

    public static UnitHourDelta single(String unitCode, long hourStart, Measure... counters) {
        int[] d = new int[Measure.COUNT];
        for (Measure c : counters) {
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

    /** Gives Flink the hand-written {@link UnitHourDeltaSerializer} instead of the reflective POJO serializer. */
    public static final class Info extends TypeInfoFactory<UnitHourDelta> {
        @Override
        public TypeInformation<UnitHourDelta> createTypeInfo(Type t, Map<String, TypeInformation<?>> generics) {
            return new CompactTypeInfo<>(UnitHourDelta.class, UnitHourDeltaSerializer.INSTANCE);
        }
    }
}

package vn.onestop.monitor.kpi;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by unit: applies each change to the running counts of its hour and emits the new absolute counts at once,
 * so the current hour is live and a late correction rewrites its past hour in place. Keyed by unit, not by unit and
 * hour, so that {@link KpiBreachDetector} (keyed by unit too) runs chained behind it with no exchange between them.
 * A unit's own counts and the summed counts of the units under it ({@link UnitHourDelta#rolledUp}) are kept apart;
 * only the own counts are stored as rows, both feed the breaches. An hour leaves the state once it is final
 * ({@link Lateness#hourFinalAt}): the job refuses every event that would still change it, so the state holds the
 * lateness horizon's hours, not all history.
 */
public class KpiAggregator extends KeyedProcessFunction<String, UnitHourDelta, UnitHourCounts> {
    private final Lateness lateness;
    private transient MapState<Long, long[]> own;
    private transient MapState<Long, long[]> below;

    public KpiAggregator(Lateness lateness) {
        this.lateness = lateness;
    }

    @Override
    public void open(OpenContext ctx) {
        own = getRuntimeContext().getMapState(new MapStateDescriptor<>("own-hours", Types.LONG, PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO));
        below = getRuntimeContext().getMapState(new MapStateDescriptor<>("rolled-up-hours", Types.LONG, PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO));
    }

    @Override
    public void processElement(UnitHourDelta d, Context ctx, Collector<UnitHourCounts> out) throws Exception {
        MapState<Long, long[]> hours = d.rolledUp ? below : own;
        long[] c = hours.get(d.hourStart);
        if (c == null) {
            c = new long[Measure.COUNT];
            // One timer per unit and final time: the own and rolled-up counts of an hour share it.
            ctx.timerService().registerEventTimeTimer(lateness.hourFinalAt(d.hourStart));
        }
        for (int i = 0; i < Measure.COUNT; i++) {
            c[i] += d.delta[i];
        }
        hours.put(d.hourStart, c);
        out.collect(new UnitHourCounts(d.unitCode, d.hourStart, c.clone(), d.rolledUp));
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<UnitHourCounts> out) throws Exception {
        // hourFinalAt(h) = h + 1 hour + horizon: the timer names its hour.
        long hour = timestamp - lateness.hourFinalAt(0);
        own.remove(hour);
        below.remove(hour);
    }
}

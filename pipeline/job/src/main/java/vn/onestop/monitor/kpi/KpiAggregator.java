package vn.onestop.monitor.kpi;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by unit and hour: applies each change to the bucket's running counts and emits the new absolute counts
 * at once, so the current hour is live and a late correction rewrites its past hour in place. A bucket leaves the
 * state once its hour is final ({@link Lateness#hourFinalAt}): the job refuses every event that would still change
 * it, so the state holds the lateness horizon's hours, not all history.
 */
public class KpiAggregator extends KeyedProcessFunction<String, UnitHourDelta, UnitHourCounts> {
    private final Lateness lateness;
    private transient ValueState<long[]> counts;

    public KpiAggregator(Lateness lateness) {
        this.lateness = lateness;
    }

    @Override
    public void open(OpenContext ctx) {
        counts = getRuntimeContext().getState(new ValueStateDescriptor<>("counts", PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO));
    }

    @Override
    public void processElement(UnitHourDelta d, Context ctx, Collector<UnitHourCounts> out) throws Exception {
        long[] c = counts.value();
        if (c == null) {
            c = new long[Measure.COUNT];
            ctx.timerService().registerEventTimeTimer(lateness.hourFinalAt(d.hourStart));
        }
        for (int i = 0; i < Measure.COUNT; i++) {
            c[i] += d.delta[i];
        }
        counts.update(c);
        out.collect(new UnitHourCounts(d.unitCode, d.hourStart, c.clone()));
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<UnitHourCounts> out) {
        counts.clear();
    }
}

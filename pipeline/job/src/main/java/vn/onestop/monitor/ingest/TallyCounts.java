package vn.onestop.monitor.ingest;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by topic and day: running totals of the reconciliation, emitted as absolute values for an upsert. Its input
 * is partial sums from {@link TallyPreAggregator}s, added as they come.
 */
public class TallyCounts extends KeyedProcessFunction<String, TallySum, TallyCounts.Row> {

    /** A row of {@code ingest_tally}. */
    public static class Row {
        public String topic;
        public int day;
        public long[] counts;

        public Row() {}

        Row(String topic, int day, long[] counts) {
            this.topic = topic;
            this.day = day;
            this.counts = counts;
        }
    }

    private transient ValueState<long[]> totals;

    @Override
    public void open(OpenContext ctx) {
        totals = getRuntimeContext().getState(new ValueStateDescriptor<>("totals", PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO));
    }

    @Override
    public void processElement(TallySum t, Context ctx, Collector<Row> out) throws Exception {
        long[] c = totals.value();
        if (c == null) {
            c = new long[Tally.Outcome.values().length];
        }
        for (int i = 0; i < c.length; i++) {
            c[i] += t.counts[i];
        }
        totals.update(c);
        out.collect(new Row(t.topic, t.day, c.clone()));
    }
}

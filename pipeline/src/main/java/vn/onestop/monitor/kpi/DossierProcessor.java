package vn.onestop.monitor.kpi;

import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import vn.onestop.monitor.ingest.DeadLetter;
import vn.onestop.monitor.ingest.DeadLetterReason;
import vn.onestop.monitor.ingest.DossierEvent;

import java.util.Map;

/**
 * Keyed by dossier id: folds each event into the dossier's timeline, re-derives its classification, and emits the
 * change it makes to the hourly counts (old contribution out, new one in) plus the dossier's new current row.
 */
public class DossierProcessor extends KeyedProcessFunction<String, DossierEvent, UnitHourDelta> {
    public static final OutputTag<DossierRow> DOSSIER_ROWS = new OutputTag<>("dossier-rows") {};
    public static final OutputTag<DeadLetter> TOO_LATE = new OutputTag<>("dossier-too-late") {};

    private final OnTimeRules rules;
    private final Lateness lateness;
    private transient ValueState<byte[]> state;
    private transient LongCounter duplicates;
    private transient LongCounter tooLate;
    private transient org.apache.flink.metrics.Counter duplicatesMetric;

    public DossierProcessor(OnTimeRules rules, Lateness lateness) {
        this.rules = rules;
        this.lateness = lateness;
    }

    @Override
    public void open(OpenContext ctx) {
        state = getRuntimeContext().getState(new ValueStateDescriptor<>("timeline", PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO));
        duplicates = getRuntimeContext().getLongCounter("dossier-events.duplicates");
        tooLate = getRuntimeContext().getLongCounter("dossier-events.too-late");
        duplicatesMetric = getRuntimeContext().getMetricGroup().addGroup("topic", "dossier-events").counter("duplicates");
    }

    @Override
    public void processElement(DossierEvent e, Context ctx, Collector<UnitHourDelta> out) throws Exception {
        byte[] stored = state.value();
        DossierTimeline timeline = stored == null ? new DossierTimeline() : DossierTimeline.fromBytes(stored);
        // A repeat is a duplicate however old it is: replaying history twice must not turn copies into dead letters.
        if (timeline.hasSeen(e.eventId)) {
            duplicates.add(1);
            duplicatesMetric.inc();
            return;
        }
        if (lateness.isTooLate(e.occurredAt, ctx.timerService().currentWatermark())) {
            tooLate.add(1);
            ctx.output(TOO_LATE, new DeadLetter(e.topic, e.partition, e.offset, DeadLetterReason.TOO_LATE,
                    "occurredAt is more than " + lateness.horizon() + " behind the stream's event time", e.payload));
            return;
        }
        Map<String, UnitHourDelta> before = timeline.contributions(timeline.outcome(rules));
        timeline.apply(e);
        DossierOutcome outcome = timeline.outcome(rules);
        for (UnitHourDelta change : DossierTimeline.diff(before, timeline.contributions(outcome))) {
            out.collect(change);
        }
        state.update(timeline.toBytes());
        ctx.output(DOSSIER_ROWS, timeline.toRow(ctx.getCurrentKey(), outcome));
    }
}

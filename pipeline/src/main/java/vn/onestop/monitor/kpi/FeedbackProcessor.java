package vn.onestop.monitor.kpi;

import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import vn.onestop.monitor.ingest.DeadLetter;
import vn.onestop.monitor.ingest.DeadLetterReason;
import vn.onestop.monitor.ingest.Feedback;

/** Keyed by feedback id: counts each rating once, in the local hour it was submitted. */
public class FeedbackProcessor extends KeyedProcessFunction<String, Feedback, UnitHourDelta> {
    public static final OutputTag<DeadLetter> TOO_LATE = new OutputTag<>("feedback-too-late") {};

    private final Lateness lateness;
    private transient ValueState<Boolean> seen;
    private transient LongCounter duplicates;
    private transient LongCounter tooLate;

    public FeedbackProcessor(Lateness lateness) {
        this.lateness = lateness;
    }

    @Override
    public void open(OpenContext ctx) {
        seen = getRuntimeContext().getState(new ValueStateDescriptor<>("seen", Types.BOOLEAN));
        duplicates = getRuntimeContext().getLongCounter("qr-feedback.duplicates");
        tooLate = getRuntimeContext().getLongCounter("qr-feedback.too-late");
    }

    @Override
    public void processElement(Feedback f, Context ctx, Collector<UnitHourDelta> out) throws Exception {
        if (seen.value() != null) {
            duplicates.add(1);
            return;
        }
        if (lateness.isTooLate(f.submittedAt, ctx.timerService().currentWatermark())) {
            tooLate.add(1);
            ctx.output(TOO_LATE, new DeadLetter(f.topic, f.partition, f.offset, DeadLetterReason.TOO_LATE,
                    "submittedAt is more than " + lateness.horizon() + " behind the stream's event time", f.payload));
            return;
        }
        seen.update(Boolean.TRUE);
        Counter level = switch (f.rating) {
            case VERY_SATISFIED -> Counter.RATING_VERY_SATISFIED;
            case SATISFIED -> Counter.RATING_SATISFIED;
            case NEUTRAL -> Counter.RATING_NEUTRAL;
            case DISSATISFIED -> Counter.RATING_DISSATISFIED;
            case VERY_DISSATISFIED -> Counter.RATING_VERY_DISSATISFIED;
        };
        out.collect(UnitHourDelta.single(f.unitCode, UnitHourDelta.hourStart(f.submittedAt), Counter.RATINGS, level));
    }
}

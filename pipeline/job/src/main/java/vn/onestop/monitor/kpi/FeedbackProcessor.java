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
import vn.onestop.monitor.ingest.LocalClock;
import vn.onestop.monitor.ingest.Tally;

/** Keyed by feedback id: counts each rating once, in the local hour it was submitted. */
public class FeedbackProcessor extends KeyedProcessFunction<String, Feedback, UnitHourDelta> {
    public static final OutputTag<DeadLetter> REFUSED = new OutputTag<>("feedback-refused") {};
    /** Ratings that name a dossier, once each, for the national index's per-dossier satisfaction (5.4). */
    public static final OutputTag<DossierRating> DOSSIER_RATINGS = new OutputTag<>("dossier-ratings") {};

    private final Lateness lateness;
    /** Content fingerprint of the rating counted under this id. */
    private transient ValueState<Long> seen;
    private transient LongCounter duplicates;
    private transient org.apache.flink.metrics.Counter duplicatesMetric;
    private transient LongCounter tooLate;

    public FeedbackProcessor(Lateness lateness) {
        this.lateness = lateness;
    }

    @Override
    public void open(OpenContext ctx) {
        seen = getRuntimeContext().getState(new ValueStateDescriptor<>("seen", Types.LONG));
        duplicates = getRuntimeContext().getLongCounter("qr-feedback.duplicates");
        duplicatesMetric = getRuntimeContext().getMetricGroup().addGroup("topic", "qr-feedback").counter("duplicates");
        tooLate = getRuntimeContext().getLongCounter("qr-feedback.too-late");
    }

    @Override
    public void processElement(Feedback f, Context ctx, Collector<UnitHourDelta> out) throws Exception {
        long content = Fingerprint.content(f);
        Long before = seen.value();
        if (before != null && before == content) {
            duplicates.add(1);
            duplicatesMetric.inc();
            ctx.output(Tally.TAG, new Tally(f.topic, f.recordTimestamp, Tally.Outcome.DUPLICATE));
            return;
        }
        if (before != null) {
            ctx.output(REFUSED, new DeadLetter(f.topic, f.partition, f.offset, DeadLetterReason.EVENT_ID_CONFLICT,
                    "feedbackId " + f.feedbackId + " was already counted with a different rating, unit or time", f.payload));
            ctx.output(Tally.TAG, new Tally(f.topic, f.recordTimestamp, Tally.Outcome.DEAD_LETTER));
            return;
        }
        if (lateness.isTooLate(f.submittedAt, ctx.timerService().currentWatermark())) {
            tooLate.add(1);
            ctx.output(REFUSED, new DeadLetter(f.topic, f.partition, f.offset, DeadLetterReason.TOO_LATE,
                    "submittedAt is more than " + lateness.horizon() + " behind the stream's event time", f.payload));
            ctx.output(Tally.TAG, new Tally(f.topic, f.recordTimestamp, Tally.Outcome.DEAD_LETTER));
            return;
        }
        seen.update(content);
        // Without this every rating ever counted would stay in state. A copy arriving after the expiry is more than
        // the horizon behind event time, so it is refused as TOO_LATE instead of being counted again.
        ctx.timerService().registerEventTimeTimer(lateness.stateExpiry(f.submittedAt));
        ctx.output(Tally.TAG, new Tally(f.topic, f.recordTimestamp, Tally.Outcome.ACCEPTED));
        Measure level = switch (f.rating) {
            case VERY_SATISFIED -> Measure.RATING_VERY_SATISFIED;
            case SATISFIED -> Measure.RATING_SATISFIED;
            case NEUTRAL -> Measure.RATING_NEUTRAL;
            case DISSATISFIED -> Measure.RATING_DISSATISFIED;
            case VERY_DISSATISFIED -> Measure.RATING_VERY_DISSATISFIED;
        };
        out.collect(UnitHourDelta.single(f.unitCode, LocalClock.hourStart(f.submittedAt), Measure.RATINGS, level));
        if (f.dossierId != null) {
            DossierRating r = new DossierRating();
            r.feedbackId = f.feedbackId;
            r.dossierId = f.dossierId;
            r.unitCode = f.unitCode;
            r.rating = f.rating.name();
            r.submittedAt = f.submittedAt;
            ctx.output(DOSSIER_RATINGS, r);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<UnitHourDelta> out) {
        seen.clear();
    }
}

package vn.onestop.monitor.kpi;

import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.TimerService;
import vn.onestop.monitor.alert.DossierAlertRules;
import vn.onestop.monitor.alert.SlaAlert;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import vn.onestop.monitor.ingest.DeadLetter;
import vn.onestop.monitor.ingest.DeadLetterReason;
import vn.onestop.monitor.ingest.DossierEvent;
import vn.onestop.monitor.ingest.Tally;


/**
 * Keyed by dossier id: folds each event into the dossier's timeline, re-derives its classification, and emits the
 * change it makes to the hourly counts (old contribution out, new one in) plus the dossier's new current row.
 */
public class DossierProcessor extends KeyedProcessFunction<String, DossierEvent, UnitHourDelta> {
    public static final OutputTag<DossierRow> DOSSIER_ROWS = new OutputTag<>("dossier-rows") {};
    /** Events refused after parsing: too late, or an id reused for different content. */
    public static final OutputTag<DeadLetter> REFUSED = new OutputTag<>("dossier-refused") {};
    public static final OutputTag<SlaAlert> ALERTS = new OutputTag<>("dossier-alerts") {};

    private final OnTimeRules rules;
    private final Lateness lateness;
    private final DossierAlertRules alertRules;
    private transient ValueState<byte[]> state;
    private transient ValueState<Long> alertTimer;
    private transient ValueState<Long> expiryTimer;
    private transient ValueState<SlaAlert> overdueSent;
    private transient ValueState<SlaAlert> atRiskSent;
    private transient LongCounter duplicates;
    private transient LongCounter tooLate;
    private transient LongCounter conflicts;
    private transient org.apache.flink.metrics.Counter duplicatesMetric;
    private transient org.apache.flink.metrics.Counter alertsMetric;

    public DossierProcessor(OnTimeRules rules, Lateness lateness, DossierAlertRules alertRules) {
        this.rules = rules;
        this.lateness = lateness;
        this.alertRules = alertRules;
    }

    @Override
    public void open(OpenContext ctx) {
        state = getRuntimeContext().getState(new ValueStateDescriptor<>("timeline", PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO));
        alertTimer = getRuntimeContext().getState(new ValueStateDescriptor<>("alert-timer", Types.LONG));
        expiryTimer = getRuntimeContext().getState(new ValueStateDescriptor<>("expiry-timer", Types.LONG));
        overdueSent = getRuntimeContext().getState(new ValueStateDescriptor<>("overdue-sent", TypeInformation.of(SlaAlert.class)));
        atRiskSent = getRuntimeContext().getState(new ValueStateDescriptor<>("at-risk-sent", TypeInformation.of(SlaAlert.class)));
        duplicates = getRuntimeContext().getLongCounter("dossier-events.duplicates");
        tooLate = getRuntimeContext().getLongCounter("dossier-events.too-late");
        conflicts = getRuntimeContext().getLongCounter("dossier-events.id-conflicts");
        duplicatesMetric = getRuntimeContext().getMetricGroup().addGroup("topic", "dossier-events").counter("duplicates");
        alertsMetric = getRuntimeContext().getMetricGroup().counter("alertsSent");
    }

    @Override
    public void processElement(DossierEvent e, Context ctx, Collector<UnitHourDelta> out) throws Exception {
        byte[] stored = state.value();
        DossierTimeline timeline = stored == null ? new DossierTimeline() : DossierTimeline.fromBytes(stored);
        // A repeat is a duplicate however old it is: replaying history twice must not turn copies into dead letters.
        DossierTimeline.Seen seen = timeline.seen(e);
        if (seen == DossierTimeline.Seen.DUPLICATE) {
            duplicates.add(1);
            duplicatesMetric.inc();
            ctx.output(Tally.TAG, new Tally(e.topic, e.recordTimestamp, Tally.Outcome.DUPLICATE));
            return;
        }
        if (seen == DossierTimeline.Seen.CONFLICT) {
            conflicts.add(1);
            ctx.output(REFUSED, new DeadLetter(e.topic, e.partition, e.offset, DeadLetterReason.EVENT_ID_CONFLICT,
                    "eventId " + e.eventId + " was already applied with different content; this version is kept aside", e.payload));
            ctx.output(Tally.TAG, new Tally(e.topic, e.recordTimestamp, Tally.Outcome.DEAD_LETTER));
            return;
        }
        if (lateness.isTooLate(e.occurredAt, ctx.timerService().currentWatermark())) {
            tooLate.add(1);
            ctx.output(REFUSED, new DeadLetter(e.topic, e.partition, e.offset, DeadLetterReason.TOO_LATE,
                    "occurredAt is more than " + lateness.horizon() + " behind the stream's event time", e.payload));
            ctx.output(Tally.TAG, new Tally(e.topic, e.recordTimestamp, Tally.Outcome.DEAD_LETTER));
            return;
        }
        DossierTimeline.Contribution before = timeline.contributions(timeline.outcome(rules));
        timeline.apply(e);
        ctx.output(Tally.TAG, new Tally(e.topic, e.recordTimestamp, Tally.Outcome.ACCEPTED));
        DossierOutcome outcome = timeline.outcome(rules);
        for (UnitHourDelta change : DossierTimeline.diff(before, timeline.contributions(outcome))) {
            out.collect(change);
        }
        state.update(timeline.toBytes());
        ctx.output(DOSSIER_ROWS, timeline.toRow(ctx.getCurrentKey(), outcome));
        reconcileAlerts(ctx.getCurrentKey(), timeline, outcome, visibleTime(ctx.timerService().currentWatermark()), ctx.timerService(), ctx);
        scheduleExpiry(timeline, outcome, ctx.timerService());
    }

    /** Finished dossiers leave the state some time after their last event, so state holds open work, not history. */
    private void scheduleExpiry(DossierTimeline timeline, DossierOutcome outcome, TimerService timers) throws Exception {
        boolean finished = outcome.status().isClassified() || outcome.status() == DossierStatus.WITHDRAWN;
        moveTimer(expiryTimer, finished ? lateness.stateExpiry(timeline.lastEventAt()) : DossierEvent.NO_TIME, timers);
    }

    /**
     * Keeps the one timer a state tracks at {@code wanted} (NO_TIME: none), deleting the one it replaces. A timer at
     * or below the watermark would fire at once; that only happens when the watermark has run ahead of the wall
     * clock (the end of a bounded input), where the answer cannot change any more.
     */
    private static void moveTimer(ValueState<Long> tracked, long wanted, TimerService timers) throws Exception {
        Long current = tracked.value();
        if (current != null && current != wanted) {
            timers.deleteEventTimeTimer(current);
            tracked.clear();
        }
        if (wanted != DossierEvent.NO_TIME && wanted > timers.currentWatermark() && (current == null || current != wanted)) {
            timers.registerEventTimeTimer(wanted);
            tracked.update(wanted);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<UnitHourDelta> out) throws Exception {
        byte[] stored = state.value();
        if (stored == null) {
            return;
        }
        Long expiry = expiryTimer.value();
        if (expiry != null && expiry == timestamp) {
            Long pending = alertTimer.value();
            if (pending != null) {
                ctx.timerService().deleteEventTimeTimer(pending);
            }
            state.clear();
            alertTimer.clear();
            expiryTimer.clear();
            overdueSent.clear();
            atRiskSent.clear();
            return;
        }
        alertTimer.clear();
        DossierTimeline timeline = DossierTimeline.fromBytes(stored);
        long visible = visibleTime(Math.max(timestamp, ctx.timerService().currentWatermark()));
        reconcileAlerts(ctx.getCurrentKey(), timeline, timeline.outcome(rules), visible, ctx.timerService(), ctx);
    }

    /**
     * Event time drives alerts so that replays are deterministic; the wall clock caps it, because a replay's final
     * watermark (end of input) must not declare overdue what is not yet due in reality.
     */
    private static long visibleTime(long watermark) {
        return Math.min(watermark, System.currentTimeMillis());
    }

    private void reconcileAlerts(String dossierId, DossierTimeline timeline, DossierOutcome outcome, long visible,
                                 TimerService timers, Context ctx) throws Exception {
        String unit = timeline.unitCode();
        send(ctx, overdueSent, alertRules.overdue(dossierId, unit, outcome, visible));
        send(ctx, atRiskSent, alertRules.atRisk(dossierId, unit, timeline.receivedAt(), outcome, visible));
        moveTimer(alertTimer, alertRules.nextChange(outcome, timeline.receivedAt(), visible), timers);
    }

    private void send(Context ctx, ValueState<SlaAlert> sent, SlaAlert desired) throws Exception {
        SlaAlert previous = sent.value();
        if (desired == null) {
            if (previous != null) {
                ctx.output(ALERTS, previous.retraction());
                alertsMetric.inc();
                sent.clear();
            }
        } else if (!desired.sameAs(previous)) {
            ctx.output(ALERTS, desired);
            alertsMetric.inc();
            sent.update(desired);
        }
    }
}

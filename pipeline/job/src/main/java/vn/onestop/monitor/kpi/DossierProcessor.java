package vn.onestop.monitor.kpi;

import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.streaming.api.TimerService;
import vn.onestop.monitor.alert.AlertKind;
import vn.onestop.monitor.alert.SlaAlert;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import vn.onestop.monitor.ingest.DeadLetter;
import vn.onestop.monitor.ingest.DeadLetterReason;
import vn.onestop.monitor.ingest.DossierEvent;
import vn.onestop.monitor.ingest.LocalClock;
import vn.onestop.monitor.ingest.Tally;

import java.util.List;


/**
 * Keyed by dossier id: folds each event into the dossier's timeline, re-derives its classification, and emits the
 * change it makes to the hourly counts (old contribution out, new one in) plus the dossier's new current row.
 */
public class DossierProcessor extends KeyedProcessFunction<String, DossierEvent, UnitHourDelta> implements RestoreWindowOperator.Restorable {
    public static final OutputTag<DossierRow> DOSSIER_ROWS = new OutputTag<>("dossier-rows") {};
    /** Events refused after parsing: too late, or an id reused for different content. */
    public static final OutputTag<DeadLetter> REFUSED = new OutputTag<>("dossier-refused") {};
    public static final OutputTag<SlaAlert> ALERTS = new OutputTag<>("dossier-alerts") {};

    private final OnTimeRules rules;
    private final Lateness lateness;
    private final DossierAlertRules alertRules;
    private transient ValueState<DossierState> state;
    /** The dossier's contribution to the counts before and after the event, reused from event to event. */
    private transient Contribution beforeEvent;
    private transient Contribution afterEvent;
    private transient LongCounter duplicates;
    private transient LongCounter tooLate;
    private transient LongCounter conflicts;
    private transient org.apache.flink.metrics.Counter duplicatesMetric;
    private transient org.apache.flink.metrics.Counter alertsMetric;
    /**
     * After a restore of a live run: alerts that opened in (ghostsAfter, ghostsUntil] may have been written by the
     * failed attempt although the restored state does not know them (see {@link #restoredAt}). ghostsUntil is
     * {@link DossierEvent#NO_TIME} otherwise, and nothing is checked.
     */
    private transient long ghostsAfter;
    private transient long ghostsUntil = DossierEvent.NO_TIME;

    public DossierProcessor(OnTimeRules rules, Lateness lateness, DossierAlertRules alertRules) {
        this.rules = rules;
        this.lateness = lateness;
        this.alertRules = alertRules;
    }

    @Override
    public void open(OpenContext ctx) {
        state = getRuntimeContext().getState(stateDescriptor());
        beforeEvent = new Contribution();
        afterEvent = new Contribution();
        duplicates = getRuntimeContext().getLongCounter("dossier-events.duplicates");
        tooLate = getRuntimeContext().getLongCounter("dossier-events.too-late");
        conflicts = getRuntimeContext().getLongCounter("dossier-events.id-conflicts");
        duplicatesMetric = getRuntimeContext().getMetricGroup().addGroup("topic", "dossier-events").counter("duplicates");
        alertsMetric = getRuntimeContext().getMetricGroup().counter("alertsSent");
    }

    @Override
    public void processElement(DossierEvent e, Context ctx, Collector<UnitHourDelta> out) throws Exception {
        DossierState stored = state.value();
        DossierState dossier = stored == null ? new DossierState() : stored;
        DossierTimeline timeline = dossier.timeline;
        // A repeat is a duplicate however old it is: replaying history twice must not turn copies into dead letters.
        long eventId = Fingerprint.eventId(e.eventId);
        DossierTimeline.Seen seen = timeline.seen(e, eventId);
        if (seen == DossierTimeline.Seen.DUPLICATE) {
            duplicates.add(1);
            duplicatesMetric.inc();
            ctx.output(Tally.TAG, new Tally(e.topic, e.recordTimestamp, Tally.Outcome.DUPLICATE));
            return;
        }
        if (seen == DossierTimeline.Seen.CONFLICT) {
            conflicts.add(1);
            refuse(ctx, e, DeadLetterReason.EVENT_ID_CONFLICT,
                    "eventId " + e.eventId + " was already applied with different content; this version is kept aside");
            return;
        }
        if (lateness.isTooLate(e.occurredAt, ctx.timerService().currentWatermark())) {
            tooLate.add(1);
            refuse(ctx, e, DeadLetterReason.TOO_LATE, "occurredAt is more than " + lateness.horizon() + " behind the stream's event time");
            return;
        }
        if (timeline.namesAnotherUnit(e)) {
            refuse(ctx, e, DeadLetterReason.UNIT_MISMATCH, "unitCode " + e.unitCode + " differs from " + timeline.unitCode()
                    + ", the unit the dossier is counted for; the event is kept aside");
            return;
        }
        if (timeline.endsBeforeReceipt(e)) {
            refuse(ctx, e, DeadLetterReason.END_BEFORE_RECEIPT, e.type + " at " + java.time.Instant.ofEpochMilli(e.occurredAt)
                    + " is dated before the receipt at " + java.time.Instant.ofEpochMilli(timeline.receivedAt()));
            return;
        }
        long watermark = ctx.timerService().currentWatermark();
        // On the heap backend the stored value is the live object: an event refused below must leave it as it was,
        // so keep a copy when a final hour could be touched (the earliest of the dossier's times is in one).
        DossierState kept = stored != null && lateness.isFinalHour(LocalClock.hourStart(timeline.earliestTime(e.occurredAt)), watermark)
                ? DossierStateSerializer.INSTANCE.copy(stored) : null;
        // Without a receipt a dossier is in no count, whatever its outcome: the first event of most dossiers needs none.
        long expiryBefore = expiry(timeline);
        Contribution before = timeline.hasReceipt ? beforeEvent.set(timeline, timeline.outcome(rules)) : Contribution.NONE;
        timeline.applyNew(e, eventId);
        DossierOutcome outcome = timeline.outcome(rules);
        List<UnitHourDelta> changes = Contribution.diff(before, afterEvent.set(timeline, outcome));
        for (UnitHourDelta change : changes) {
            // An event inside the horizon can still move counts of an older hour (a withdrawal long after the
            // dossier ended takes its classification out). Those hours are final and have left the counts' state.
            if (lateness.isFinalHour(change.hourStart, watermark)) {
                if (kept != null) {
                    state.update(kept);
                }
                tooLate.add(1);
                refuse(ctx, e, DeadLetterReason.TOO_LATE, "it would change the counts of the hour "
                        + java.time.Instant.ofEpochMilli(change.hourStart) + ", more than " + lateness.horizon() + " behind the stream's event time");
                return;
            }
        }
        ctx.output(Tally.TAG, new Tally(e.topic, e.recordTimestamp, Tally.Outcome.ACCEPTED));
        for (UnitHourDelta change : changes) {
            out.collect(change);
        }
        String key = ctx.getCurrentKey();
        ctx.output(DOSSIER_ROWS, DossierRows.of(key, timeline, outcome));
        follow(key, dossier, outcome, visibleTime(watermark), ctx.timerService(), ctx, dossier.timer == expiryBefore);
        state.update(dossier);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<UnitHourDelta> out) throws Exception {
        DossierState dossier = state.value();
        if (dossier == null || dossier.timer != timestamp) {
            return;
        }
        dossier.timer = DossierEvent.NO_TIME;
        DossierTimeline timeline = dossier.timeline;
        DossierOutcome outcome = timeline.outcome(rules);
        if (finished(outcome) && timestamp >= expiry(timeline)) {
            state.clear();
            return;
        }
        long watermark = ctx.timerService().currentWatermark();
        long visible = visibleTime(Math.max(timestamp, watermark));
        follow(ctx.getCurrentKey(), dossier, outcome, visible, ctx.timerService(), ctx, false);
        if (finished(outcome) && expiry(timeline) <= watermark) {
            // The watermark has passed the expiry as well (the end of a bounded input, or a jump of event time):
            // with lazy timers the timer that fired may be an earlier one than the expiry's, which will not come now
            // (follow registers no timer at or behind the watermark), so the state goes here, after the alerts.
            state.clear();
            return;
        }
        // The timer that fired is gone whatever follow decided, so the stored value changes in any case.
        state.update(dossier);
    }

    private void refuse(Context ctx, DossierEvent e, DeadLetterReason reason, String detail) {
        ctx.output(REFUSED, new DeadLetter(e.topic, e.partition, e.offset, reason, detail, e.payload));
        ctx.output(Tally.TAG, new Tally(e.topic, e.recordTimestamp, Tally.Outcome.DEAD_LETTER));
    }

    /**
     * Sends the alert changes the dossier's timeline calls for and keeps its one timer at the next moment something
     * can change without a new event: an alert's start (at risk, overdue) or, once it is finished, the state's expiry.
     */
    private void follow(String dossierId, DossierState w, DossierOutcome outcome, long visible, TimerService timers, Context ctx,
                        boolean keepExpiryTimer) {
        DossierTimeline timeline = w.timeline;
        String unit = timeline.unitCode();
        boolean noOverdue = w.overdue == null;
        boolean noAtRisk = w.atRisk == null;
        w.overdue = send(ctx, DossierAlertRules.identify(w.overdue, dossierId), alertRules.overdue(dossierId, unit, outcome, visible));
        w.atRisk = send(ctx, DossierAlertRules.identify(w.atRisk, dossierId),
                alertRules.atRisk(dossierId, unit, timeline.receivedAt(), outcome, visible));
        if (ghostsUntil != DossierEvent.NO_TIME) {
            if (noOverdue && w.overdue == null) {
                retractGhost(ctx, AlertKind.DOSSIER_OVERDUE, dossierId, unit, alertRules.overdueAvertedAt(outcome, unit));
            }
            if (noAtRisk && w.atRisk == null) {
                retractGhost(ctx, AlertKind.DOSSIER_AT_RISK, dossierId, unit, alertRules.atRiskAvertedAt(outcome, unit, timeline.receivedAt()));
            }
        }
        long wanted = alertRules.nextChange(outcome, timeline.receivedAt(), visible);
        if (wanted == DossierEvent.NO_TIME && finished(outcome)) {
            wanted = expiry(timeline);
        }
        if (wanted != DossierEvent.NO_TIME && wanted <= timers.currentWatermark()) {
            // Only when the watermark has run ahead of the wall clock (the end of a bounded input): nothing changes any more.
            wanted = DossierEvent.NO_TIME;
        }
        moveTimer(timers, w, wanted, keepExpiryTimer);
    }

    /**
     * Moves the dossier's one registered timer ({@link DossierState#timer}) to {@code wanted}, except that a timer at
     * the state's expiry ({@code keepEarlier}: the timer was the expiry before the event) stays where it is when the
     * wanted time moves later: a later event of a finished dossier (its return after its resolution) moves the expiry
     * by a day or so, and deleting a timer costs a search of the heap of all dossiers' timers. The kept timer fires
     * at the old expiry and {@link #onTimer} runs {@link #follow} again, which registers the time wanted then; in a
     * bounded run it fires only at the end of input, where the state goes anyway.
     * <p>
     * Keeping an earlier timer is exact, whatever time it is at: {@link DossierAlertRules#nextChange} is the next
     * instant at which the alerts change with time alone (they are constant between the episode starts and due times
     * it considers), so a timer that fires before it re-derives the alerts already sent and sends nothing; the state
     * is cleared only once the expiry itself has come. A timer that fires when the watermark has passed the wanted
     * time too evaluates with the visible time the wanted timer would have had (both fire in the same watermark
     * advance, at {@code min(watermark, wall clock)}). {@code timer} in state therefore means "the dossier's pending
     * timer, at or before the next moment something changes"; there is still at most one per dossier.
     * <p>
     * Alert times (at risk, overdue) are moved at once: when a dossier ends before its at-risk time, a kept timer
     * would fire while a backfill's watermark sweeps past it, trading the delete for a firing (a heap poll, a state
     * lookup and the alert rules). On 300,000 simulated backfill events keeping every earlier timer turned 104,000 of
     * 110,000 deletes into 87,000 more firings, and the harness benchmark could not tell the two apart within its
     * noise; keeping only the expiry's saves 12,700 deletes and as many registrations with the same firings, fewer
     * operations of every kind (TimerCallCount, LazyTimersTest). Package-private so that a test can compare with the
     * timer always moved at once.
     */
    void moveTimer(TimerService timers, DossierState w, long wanted, boolean keepEarlier) {
        long registered = w.timer;
        if (wanted == registered
                || (keepEarlier && registered != DossierEvent.NO_TIME && wanted != DossierEvent.NO_TIME && wanted > registered)) {
            return;
        }
        if (registered != DossierEvent.NO_TIME) {
            timers.deleteEventTimeTimer(registered);
        }
        if (wanted != DossierEvent.NO_TIME) {
            timers.registerEventTimeTimer(wanted);
        }
        w.timer = wanted;
    }

    private static boolean finished(DossierOutcome o) {
        return o.status().isClassified() || o.status() == DossierStatus.WITHDRAWN;
    }

    /** Finished dossiers leave the state some time after their last event, so state holds open work, not history. */
    private long expiry(DossierTimeline timeline) {
        return lateness.stateExpiry(timeline.lastEventAt());
    }

    /**
     * Event time drives alerts so that replays are deterministic; the wall clock caps it, because a replay's final
     * watermark (end of input) must not declare overdue what is not yet due in reality.
     */
    private static long visibleTime(long watermark) {
        return Math.min(watermark, System.currentTimeMillis());
    }

    /**
     * Called by the operator when a live run restored from a checkpoint or savepoint: {@code watermark} is the lowest
     * watermark its subtasks had when it was taken, {@code wallClock} the time of the restore. The failed attempt may
     * have gone on past the checkpoint and written alerts at once (live {@code sla_alert} writes do not wait for
     * checkpoints) that the restored attempt, seeing the same events in another order (an event that stops the clock
     * before the watermark reaches the due time), never raises, so nothing would ever retract them. Such a "ghost"
     * opened after the checkpoint's watermark (the failed attempt's time had passed it, or the alert would be in the
     * restored state) and no later than the wall clock (which caps the alerts' time). {@link #follow} retracts, by
     * its id, an alert of a dossier it follows that opened in that window and that the dossier's clock has averted.
     */
    @Override
    public void restoredAt(long watermark, long wallClock) {
        ghostsAfter = watermark;
        ghostsUntil = wallClock;
    }

    /**
     * Retracts the dossier's {@code kind} alert in case the failed attempt wrote it: only if it was averted (the clock
     * stopped before it opened) at an instant inside the window, where a ghost can be. The retraction of an alert that
     * was never written deletes no row; a dossier followed again within the window sends it again (as cheap).
     */
    private void retractGhost(Context ctx, AlertKind kind, String dossierId, String unit, long avertedAt) {
        if (avertedAt == DossierEvent.NO_TIME || avertedAt <= ghostsAfter || avertedAt > ghostsUntil) {
            return;
        }
        SlaAlert ghost = new SlaAlert();
        ghost.kind = kind;
        ghost.unitCode = unit;
        ghost.openedAt = avertedAt;
        ghost.retracted = true;
        ctx.output(ALERTS, DossierAlertRules.identify(ghost, dossierId));
        alertsMetric.inc();
    }

    /** Sends what changed between the alert last sent and the one wanted now; returns the alert now standing. */
    private SlaAlert send(Context ctx, SlaAlert previous, SlaAlert desired) {
        if (desired == null) {
            if (previous != null) {
                ctx.output(ALERTS, previous.retraction());
                alertsMetric.inc();
            }
            return null;
        }
        if (!desired.sameAs(previous)) {
            ctx.output(ALERTS, desired);
            alertsMetric.inc();
            return desired;
        }
        return previous;
    }

    /** The per-dossier state's descriptor: one {@link DossierState} under the name "dossier". */
    static ValueStateDescriptor<DossierState> stateDescriptor() {
        return new ValueStateDescriptor<>("dossier", DossierStateSerializer.INSTANCE);
    }

    /**
     * The operator the job runs: this function, plus the move of a previous-format savepoint's state on open
     * ({@link LegacyDossierState}).
     */
    public static OneInputStreamOperator<DossierEvent, UnitHourDelta> operator(OnTimeRules rules, Lateness lateness, DossierAlertRules alertRules) {
        return operator(rules, lateness, alertRules, false);
    }

    /**
     * The operator for a bounded input ({@code boundedInput}: a replay or backfill) or a live one. Only a live run
     * retracts possible ghost alerts after a restore ({@link #restoredAt}): a bounded run's alerts are committed with
     * its checkpoints, so it has none, and the check would cost deletes during a backfill.
     */
    public static OneInputStreamOperator<DossierEvent, UnitHourDelta> operator(OnTimeRules rules, Lateness lateness, DossierAlertRules alertRules,
                                                                               boolean boundedInput) {
        return new LegacyDossierState.MigratingOperator(new DossierProcessor(rules, lateness, alertRules), boundedInput);
    }

    /**
     * The previous format's second state ("watch", a POJO), read only to move a restored savepoint's dossiers to
     * {@link DossierState}. Its class name and fields are in those savepoints' metadata (Flink's POJO serializer
     * snapshot), and the emptied state's metadata stays in later ones: keep the class, its name and its fields.
     */
    public static final class Watch {
        public long timer = DossierEvent.NO_TIME;
        public SlaAlert overdue;
        public SlaAlert atRisk;

        public Watch() {}
    }
}

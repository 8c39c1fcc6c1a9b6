package vn.onestop.monitor.kpi;

import vn.onestop.monitor.alert.AlertKind;
import vn.onestop.monitor.alert.BreachState;
import vn.onestop.monitor.alert.SlaAlert;
import vn.onestop.monitor.alert.SlaTargets;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import vn.onestop.monitor.ingest.LocalClock;
import vn.onestop.monitor.kpi.Measure;
import vn.onestop.monitor.kpi.UnitHourCounts;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Keyed by unit: evaluates each KPI's rolling window (default 30 days) at every hour boundary of event time and
 * opens or closes KPI_BELOW_TARGET breaches ({@link BreachState}). A count that arrives late for an hour already
 * evaluated re-runs the evaluations from that hour on, so the breaches end up exactly what the complete data
 * says, whatever the arrival order: changed breaches are re-sent, vanished ones retracted. Late counts are gathered
 * until the next watermark and re-evaluated once: a backfill delivers thousands of them per second.
 *
 * <p>Window sums. An evaluation needs the sums of its window's hours; scanning both hour maps (two windows and an
 * hour of entries each) on every evaluation was the job's hottest method in a backfill, where a unit is evaluated
 * on every watermark. The sums of the window the last evaluation judged are kept instead ({@link #lastWindow}), under
 * this invariant: <em>whenever {@code lastWindow} is set, it equals the sum of every entry of {@code hourly} and
 * {@code below} whose hour lies in [lastEvaluated − window, lastEvaluated)</em>. It holds because
 * <ul>
 *   <li>{@link #processElement} replaces an hour's count: if the hour is inside that range, the difference between the
 *   new and the previous count is added (a count for an hour ≥ lastEvaluated is outside it, whatever it is);</li>
 *   <li>{@link #onTimer} sets it together with {@code lastEvaluated}, to the sums the evaluation ended with;</li>
 *   <li>{@link #prune} removes hours before lastEvaluated − 2 × window − 1h only, all outside the range;
 *   {@link #forget} clears it with everything else;</li>
 *   <li>state restored from a savepoint written before this value existed has none: the sums are then taken from
 *   scratch once, as they always were, and kept from then on.</li>
 * </ul>
 * An evaluation from hour {@code from} gets its first window by sliding the kept one: forward one hour for the
 * hourly tick ({@code from} = lastEvaluated + 1h), backward hour by hour for the re-evaluation of late counts
 * ({@code from} = earliest changed hour + 1h ≤ lastEvaluated), from scratch when that is more than a window back.
 * A slide adds and subtracts the present entries of the hours entering and leaving, so each way gives exactly the
 * sum of the present entries in the window (integers, no rounding): the same sums, hence the same alerts, as the
 * scan. {@code KpiBreachDetectorEquivalenceTest} compares both on random histories.
 *
 * <p>Pruning likewise removes the hours that left what is kept one by one instead of scanning every key, under a
 * second invariant: <em>whenever {@link #keptFrom} is set, no key of {@code hourly}, {@code below} or
 * {@code openAfter} is below it</em>. {@link #prune} sets it to the first hour it keeps; a late count for an older
 * hour (already pruned) lowers it to that hour, which also covers the re-evaluation it causes (that writes
 * {@code openAfter} from the hour after it; ticks write after lastEvaluated only); {@link #forget} clears it; a
 * savepoint without it, or a bound more than the kept span back, makes prune scan as before. Both shortcuts need hour keys that are
 * whole hours: {@link UnitHourCounts#hourStart} is, as every tick is.
 */
public class KpiBreachDetector extends KeyedProcessFunction<String, UnitHourCounts, SlaAlert> implements RestoreWindowOperator.Restorable {
    private static final long HOUR = LocalClock.HOUR_MS;
    private static final long DAY = 24 * HOUR;
    private static final long NOT_OPEN = Long.MIN_VALUE;
    private static final int KPIS = KpiTarget.values().length;

    private final SlaTargets targets;
    private final BreachState breach;
    private final long windowMs;

    /** The unit's own counts per hour. */
    private transient MapState<Long, long[]> hourly;
    /**
     * The summed counts of the units under it per hour ({@link UnitHourCounts#rolledUp}), kept apart from its own
     * because the two arrive as separate cumulative values; a parent is judged on both together.
     */
    private transient MapState<Long, long[]> below;
    /** Per evaluated hour: for each KPI the opening hour of the breach open after that evaluation, or NOT_OPEN. */
    private transient MapState<Long, long[]> openAfter;
    private transient MapState<String, SlaAlert> sent;
    private transient ValueState<Long> lastEvaluated;
    private transient ValueState<Long> lastDataHour;
    /** The earliest hour whose count changed after it was evaluated, until the next watermark re-evaluates it. */
    private transient ValueState<Long> changedFrom;
    /** The sums of the hours [lastEvaluated − window, lastEvaluated) of both maps: see the invariant above. */
    private transient ValueState<long[]> lastWindow;
    /** No hour before this is a key of the hour maps: see the second invariant above. */
    private transient ValueState<Long> keptFrom;
    private transient org.apache.flink.metrics.Counter alertsMetric;
    /**
     * After a restore of a live run ({@link #restoredAt}): breaches opening at an hour in (ghostsAfter, ghostsUntil]
     * may have been written by the failed attempt although the restored state does not know them. ghostsUntil is
     * Long.MIN_VALUE otherwise (no hour is in the window), and nothing is checked.
     */
    private transient long ghostsAfter;
    private transient long ghostsUntil = Long.MIN_VALUE;

    public KpiBreachDetector(SlaTargets targets, double recoveryMargin, Duration window) {
        this.targets = targets;
        this.breach = new BreachState(recoveryMargin);
        this.windowMs = window.toMillis();
        // Sliding by whole hours needs a window of whole hours (hour keys are whole hours).
        if (windowMs <= 0 || windowMs % HOUR != 0) {
            throw new IllegalArgumentException("KPI window must be a positive whole number of hours: " + window);
        }
    }

    @Override
    public void open(OpenContext ctx) {
        hourly = getRuntimeContext().getMapState(new MapStateDescriptor<>("hourly", Types.LONG, PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO));
        below = getRuntimeContext().getMapState(new MapStateDescriptor<>("hourly-below", Types.LONG, PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO));
        openAfter = getRuntimeContext().getMapState(new MapStateDescriptor<>("open-after", Types.LONG, PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO));
        sent = getRuntimeContext().getMapState(new MapStateDescriptor<>("sent", Types.STRING, TypeInformation.of(SlaAlert.class)));
        lastEvaluated = getRuntimeContext().getState(new ValueStateDescriptor<>("last-evaluated", Types.LONG));
        lastDataHour = getRuntimeContext().getState(new ValueStateDescriptor<>("last-data-hour", Types.LONG));
        changedFrom = getRuntimeContext().getState(new ValueStateDescriptor<>("changed-from", Types.LONG));
        lastWindow = getRuntimeContext().getState(new ValueStateDescriptor<>("last-window-sums", PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO));
        keptFrom = getRuntimeContext().getState(new ValueStateDescriptor<>("kept-from", Types.LONG));
        alertsMetric = getRuntimeContext().getMetricGroup().counter("alertsSent");
    }

    @Override
    public void processElement(UnitHourCounts c, Context ctx, Collector<SlaAlert> out) throws Exception {
        MapState<Long, long[]> part = c.rolledUp ? below : hourly;
        Long last = lastEvaluated.value();
        if (last != null && c.hourStart < last && c.hourStart >= last - windowMs) {
            long[] kept = lastWindow.value();
            if (kept != null) {
                long[] sums = kept.clone();
                long[] previous = part.get(c.hourStart);
                add(sums, c.counts, 1);
                if (previous != null) {
                    add(sums, previous, -1);
                }
                lastWindow.update(sums);
            }
        }
        part.put(c.hourStart, c.counts);
        Long lastData = lastDataHour.value();
        if (lastData == null || c.hourStart > lastData) {
            lastDataHour.update(c.hourStart);
        }
        if (last == null) {
            ctx.timerService().registerEventTimeTimer(c.hourStart + HOUR);
        } else if (c.hourStart < last) {
            // Evaluations at hour boundaries after this hour (and inside the window) saw the old count.
            Long changed = changedFrom.value();
            if (changed == null) {
                ctx.timerService().registerEventTimeTimer(ctx.timerService().currentWatermark() + 1);
            }
            if (changed == null || c.hourStart < changed) {
                changedFrom.update(c.hourStart);
            }
            // Only a late count can be older than what prune kept (prune keeps more than a window before last).
            lowerKeptFrom(c.hourStart);
        } else {
            ctx.timerService().registerEventTimeTimer(Math.max(last + HOUR, c.hourStart + HOUR));
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<SlaAlert> out) throws Exception {
        Long last = lastEvaluated.value();
        Long lastData = lastDataHour.value();
        if (lastData == null) {
            return;
        }
        if (timestamp == forgetAt(lastData)) {
            // Still quiet since the last tick: every breach has closed and every hour is older than what prune keeps.
            forget();
            return;
        }
        Long changed = changedFrom.value();
        if (changed != null) {
            changedFrom.clear();
            if (last != null && changed + HOUR <= last) {
                long from = changed + HOUR;
                long[] kept = lastWindow.value();
                long[] sums;
                if (kept != null && last - from <= windowMs) {
                    sums = kept.clone();
                    for (long t = last; t > from; t -= HOUR) {
                        slideBack(sums, t);
                    }
                } else {
                    sums = windowSums(from);
                }
                lastWindow.update(reevaluate(ctx.getCurrentKey(), from, last, sums, out));
            }
        }
        // Hour ticks are on the hour; the timer that re-evaluates late counts is not, and ticks only whole hours.
        if (timestamp < Long.MIN_VALUE + HOUR) {
            // The timer of a correction that came before this run's first watermark (after a restore) is set at
            // Long.MIN_VALUE + 1: it re-evaluates only. It is no hour tick, and its hour would overflow into the far
            // future and evaluate the unit ahead of event time.
            return;
        }
        long tick = LocalClock.hourStart(timestamp);
        long from = last == null ? tick : last + HOUR;
        if (from > tick) {
            return;
        }
        // At the end of a bounded input the watermark jumps to the end of time: evaluate only as far as data can
        // still matter (window after the last data) and never beyond the wall clock.
        long to = Math.min(tick, Math.min(lastData + windowMs + HOUR, LocalClock.hourStart(System.currentTimeMillis())));
        if (to < from) {
            return;
        }
        long[] sums;
        long[] kept = last == null ? null : lastWindow.value();
        if (kept != null) {
            sums = kept.clone();
            slide(sums, from);
        } else {
            sums = windowSums(from);
        }
        lastWindow.update(reevaluate(ctx.getCurrentKey(), from, to, sums, out));
        lastEvaluated.update(to);
        if (last == null || Math.floorDiv(to, DAY) != Math.floorDiv(last, DAY)) {
            prune(to);
        }
        // Keep ticking while data is still inside the window: old hours leaving it can close a breach. After the last
        // tick a quiet unit's state is forgotten once a late correction could no longer need it.
        if (to + HOUR <= lastData + windowMs + HOUR) {
            ctx.timerService().registerEventTimeTimer(to + HOUR);
        } else if (to == lastData + windowMs + HOUR) {
            ctx.timerService().registerEventTimeTimer(forgetAt(lastData));
        }
    }

    /**
     * Evaluates the hours from..to, starting from {@code sums}, the sums of the window [from − window, from); returns
     * the sums of the window [to − window, to). Modifies {@code sums}.
     */
    private long[] reevaluate(String unit, long from, long to, long[] sums, Collector<SlaAlert> out) throws Exception {
        SlaTargets.Target target = targets.forUnit(unit);
        long[] open = openAfter.get(from - HOUR);
        open = open == null ? notOpen() : open.clone();
        Map<String, SlaAlert> episodes = new HashMap<>();
        // Breaches open when this range starts are re-derived too: their closing may move.
        for (int k = 0; k < KPIS; k++) {
            if (open[k] != NOT_OPEN) {
                SlaAlert existing = sent.get(id(unit, KpiTarget.values()[k], open[k]));
                if (existing != null) {
                    SlaAlert e = existing.copy();
                    e.closedAt = SlaAlert.OPEN;
                    episodes.put(e.id, e);
                }
            }
        }
        for (long t = from; t <= to; t += HOUR) {
            if (t > from) {
                slide(sums, t);
            }
            for (int k = 0; k < KPIS; k++) {
                KpiTarget kpi = KpiTarget.values()[k];
                long num = kpi.numerator(sums);
                long den = kpi.denominator(sums);
                boolean wasOpen = open[k] != NOT_OPEN;
                boolean isOpen = breach.next(wasOpen, num, den, kpi.target(target), target.minVolume());
                if (!wasOpen && isOpen) {
                    open[k] = t;
                    SlaAlert a = new SlaAlert();
                    a.id = id(unit, kpi, t);
                    a.kind = AlertKind.KPI_BELOW_TARGET;
                    a.unitCode = unit;
                    a.kpi = kpi.name();
                    a.value = (double) num / den;
                    a.target = kpi.target(target);
                    a.openedAt = t;
                    a.details = String.format(Locale.ROOT, "{\"window\":\"%s\",\"numerator\":%d,\"denominator\":%d}", Duration.ofMillis(windowMs), num, den);
                    episodes.put(a.id, a);
                } else if (wasOpen && !isOpen) {
                    SlaAlert a = episodes.get(id(unit, kpi, open[k]));
                    if (a != null) {
                        a.closedAt = t;
                    }
                    open[k] = NOT_OPEN;
                }
            }
            openAfter.put(t, open.clone());
        }
        if (ghostsUntil != Long.MIN_VALUE) {
            retractGhosts(unit, target, from, to, episodes, out);
        }
        // Breaches sent before that opened inside this range but no longer exist are retracted.
        List<String> vanished = new ArrayList<>();
        for (Map.Entry<String, SlaAlert> e : sent.entries()) {
            SlaAlert a = e.getValue();
            if (a.openedAt >= from && a.openedAt <= to && !episodes.containsKey(e.getKey())) {
                vanished.add(e.getKey());
            }
        }
        for (String id : vanished) {
            out.collect(sent.get(id).retraction());
            alertsMetric.inc();
            sent.remove(id);
        }
        for (SlaAlert a : episodes.values()) {
            if (!a.sameAs(sent.get(a.id))) {
                out.collect(a);
                alertsMetric.inc();
                sent.put(a.id, a);
            }
        }
        return sums;
    }

    /**
     * After a restore of a live run: for each hour of from..to inside the ghost window ({@link #restoredAt}) and each
     * KPI that has a target, a breach opening at that hour that this evaluation does not open and this detector never
     * sent may be a ghost of the failed attempt: its id is retracted. Retracting a row that was never written deletes
     * nothing; an hour evaluated again within the window (a late count) retracts again, as harmlessly. Breaches that
     * were sent and vanished are retracted by the caller, as always. A KPI whose target is 0 cannot open a breach.
     */
    private void retractGhosts(String unit, SlaTargets.Target target, long from, long to, Map<String, SlaAlert> episodes,
                               Collector<SlaAlert> out) throws Exception {
        for (long t = Math.max(from, LocalClock.hourStart(ghostsAfter) + HOUR); t <= to && t <= ghostsUntil; t += HOUR) {
            for (KpiTarget kpi : KpiTarget.values()) {
                if (kpi.target(target) <= 0) {
                    continue;
                }
                String id = id(unit, kpi, t);
                if (!episodes.containsKey(id) && !sent.contains(id)) {
                    SlaAlert ghost = new SlaAlert();
                    ghost.id = id;
                    ghost.kind = AlertKind.KPI_BELOW_TARGET;
                    ghost.unitCode = unit;
                    ghost.kpi = kpi.name();
                    ghost.openedAt = t;
                    ghost.retracted = true;
                    out.collect(ghost);
                    alertsMetric.inc();
                }
            }
        }
    }

    /** Sums of the hours in [t - window, t), from scratch: when no kept window is near enough (see the class). */
    private long[] windowSums(long t) throws Exception {
        long[] sums = new long[Measure.COUNT];
        for (MapState<Long, long[]> part : List.of(hourly, below)) {
            for (Map.Entry<Long, long[]> e : part.entries()) {
                if (e.getKey() >= t - windowMs && e.getKey() < t) {
                    add(sums, e.getValue(), 1);
                }
            }
        }
        return sums;
    }

    /** Moves the window from ending at t - 1h to ending at t. */
    private void slide(long[] sums, long t) throws Exception {
        for (MapState<Long, long[]> part : List.of(hourly, below)) {
            long[] entering = part.get(t - HOUR);
            long[] leaving = part.get(t - HOUR - windowMs);
            if (entering != null) {
                add(sums, entering, 1);
            }
            if (leaving != null) {
                add(sums, leaving, -1);
            }
        }
    }

    /** Moves the window from ending at t to ending at t - 1h: the inverse of {@link #slide}. */
    private void slideBack(long[] sums, long t) throws Exception {
        for (MapState<Long, long[]> part : List.of(hourly, below)) {
            long[] leaving = part.get(t - HOUR);
            long[] entering = part.get(t - HOUR - windowMs);
            if (leaving != null) {
                add(sums, leaving, -1);
            }
            if (entering != null) {
                add(sums, entering, 1);
            }
        }
    }

    private static void add(long[] sums, long[] v, int sign) {
        for (int i = 0; i < sums.length; i++) {
            sums[i] += sign * v[i];
        }
    }

    /** An hour the hour maps get a key for: keeps the second invariant. */
    private void lowerKeptFrom(long hour) throws Exception {
        Long bound = keptFrom.value();
        if (bound != null && hour < bound) {
            keptFrom.update(hour);
        }
    }

    /** Keeps what a late correction (up to twice the window) can still need. */
    private void prune(long evaluatedTo) throws Exception {
        long keepFrom = evaluatedTo - 2 * windowMs - HOUR;
        Long bound = keptFrom.value();
        if (bound != null && keepFrom - bound <= 2 * windowMs + HOUR) {
            // No key below the bound: the hours from it up to keepFrom are all there can be to remove.
            for (long h = bound; h < keepFrom; h += HOUR) {
                hourly.remove(h);
                below.remove(h);
                openAfter.remove(h);
            }
        } else {
            scanPrune(keepFrom);
        }
        if (bound == null || keepFrom > bound) {
            keptFrom.update(keepFrom);
        }
        // Closed breaches that ended before what is kept can no longer be re-derived; their rows stay in sla_alert.
        List<String> done = new ArrayList<>();
        for (Map.Entry<String, SlaAlert> e : sent.entries()) {
            if (e.getValue().closedAt != SlaAlert.OPEN && e.getValue().closedAt < keepFrom) {
                done.add(e.getKey());
            }
        }
        for (String id : done) {
            sent.remove(id);
        }
    }

    /** Removes every hour before keepFrom, whatever is known about them: each key of the hour maps is looked at. */
    private void scanPrune(long keepFrom) throws Exception {
        List<Long> old = new ArrayList<>();
        for (MapState<Long, long[]> part : List.of(hourly, below)) {
            for (Long h : part.keys()) {
                if (h < keepFrom) {
                    old.add(h);
                }
            }
            for (Long h : old) {
                part.remove(h);
            }
            old.clear();
        }
        for (Long h : openAfter.keys()) {
            if (h < keepFrom) {
                old.add(h);
            }
        }
        for (Long h : old) {
            openAfter.remove(h);
        }
    }

    /** The unit has had no data for long enough that nothing of it is kept: its state goes whole. */
    private void forget() {
        hourly.clear();
        below.clear();
        openAfter.clear();
        sent.clear();
        lastEvaluated.clear();
        lastDataHour.clear();
        changedFrom.clear();
        lastWindow.clear();
        keptFrom.clear();
    }

    /** Two windows after the last tick: prune keeps no hour and no closed breach from before it. */
    private long forgetAt(long lastData) {
        return lastData + 3 * windowMs + 2 * HOUR + 1;
    }

    private static long[] notOpen() {
        long[] a = new long[KPIS];
        java.util.Arrays.fill(a, NOT_OPEN);
        return a;
    }


    /**
     * Called by {@link Operator} when a live run restored from a checkpoint or savepoint: {@code watermark} is the
     * lowest watermark its subtasks had when it was taken, {@code wallClock} the time of the restore. The failed
     * attempt may have gone on past the checkpoint, evaluated hour boundaries after it and written a breach at once
     * (live {@code sla_alert} writes do not wait for checkpoints) that the restored attempt, seeing the counts in
     * another order (a correcting count before the watermark reaches that boundary), never opens: its restored
     * {@code sent} does not know it, so nothing would ever retract it. Such a "ghost" opened at an hour boundary after
     * the checkpoint's watermark (evaluations up to it are in the restored state) and no later than the wall clock
     * (evaluations never pass it). {@link #reevaluate} retracts, by id, each breach that could have opened in that
     * window and does not open now.
     */
    @Override
    public void restoredAt(long watermark, long wallClock) {
        ghostsAfter = watermark;
        ghostsUntil = wallClock;
    }

    /**
     * The operator for a bounded input ({@code boundedInput}: a replay or backfill) or a live one. Only a live run
     * retracts possible ghost breaches after a restore ({@link #restoredAt}): a bounded run's alerts are committed
     * with its checkpoints, so it has none, and the check would cost deletes during a backfill.
     */
    public static OneInputStreamOperator<UnitHourCounts, SlaAlert> operator(SlaTargets targets, double recoveryMargin, Duration window,
                                                                         boolean boundedInput) {
        return new Operator(new KpiBreachDetector(targets, recoveryMargin, window), boundedInput);
    }

    /** The job's KPI-below-target operator: the detector, told of the restore window of a live run. */
    static final class Operator extends RestoreWindowOperator<UnitHourCounts, SlaAlert, KpiBreachDetector> {
        private static final long serialVersionUID = 1L;

        Operator(KpiBreachDetector detector, boolean boundedInput) {
            super(detector, boundedInput);
        }
    }

    static String id(String unit, KpiTarget kpi, long openedAt) {
        return AlertKind.KPI_BELOW_TARGET + "|" + unit + "|" + kpi + "|" + openedAt;
    }
}

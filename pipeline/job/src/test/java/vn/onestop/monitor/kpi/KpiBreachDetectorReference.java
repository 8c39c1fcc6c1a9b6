package vn.onestop.monitor.kpi;

import vn.onestop.monitor.alert.AlertKind;
import vn.onestop.monitor.alert.BreachState;
import vn.onestop.monitor.alert.SlaAlert;
import vn.onestop.monitor.alert.SlaTargets;

import org.apache.flink.api.common.functions.OpenContext;
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
 * Test-only: {@link KpiBreachDetector} as it was before it kept its window sums (commit 6a4b2b7), summing every
 * evaluation's first window from scratch over all of its hours. {@code KpiBreachDetectorEquivalenceTest} compares the
 * two alert for alert. Its state names are the production ones, so a snapshot of it is what a savepoint of the old
 * job holds for this operator.
 */
public class KpiBreachDetectorReference extends KeyedProcessFunction<String, UnitHourCounts, SlaAlert> {
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
    private transient org.apache.flink.metrics.Counter alertsMetric;

    public KpiBreachDetectorReference(SlaTargets targets, double recoveryMargin, Duration window) {
        this.targets = targets;
        this.breach = new BreachState(recoveryMargin);
        this.windowMs = window.toMillis();
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
        alertsMetric = getRuntimeContext().getMetricGroup().counter("alertsSent");
    }

    @Override
    public void processElement(UnitHourCounts c, Context ctx, Collector<SlaAlert> out) throws Exception {
        (c.rolledUp ? below : hourly).put(c.hourStart, c.counts);
        Long lastData = lastDataHour.value();
        if (lastData == null || c.hourStart > lastData) {
            lastDataHour.update(c.hourStart);
        }
        Long last = lastEvaluated.value();
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
                reevaluate(ctx.getCurrentKey(), changed + HOUR, last, out);
            }
        }
        // Hour ticks are on the hour; the timer that re-evaluates late counts is not, and ticks only whole hours.
        if (timestamp < Long.MIN_VALUE + HOUR) {
            // The timer of a correction that came before this run's first watermark (after a restore) is set at
            // Long.MIN_VALUE + 1: it re-evaluates only. It is no hour tick, and its hour would overflow into the far
            // future and evaluate the unit ahead of event time.
            // (The production fix of 2026-11-30, carried into this copy: the oracle is to differ only in how it sums.)
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
        reevaluate(ctx.getCurrentKey(), from, to, out);
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

    private void reevaluate(String unit, long from, long to, Collector<SlaAlert> out) throws Exception {
        SlaTargets.Target target = targets.forUnit(unit);
        long[] open = openAfter.get(from - HOUR);
        open = open == null ? notOpen() : open.clone();
        long[] sums = windowSums(from);
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
    }

    /** Sums of the hours in [t - window, t). */
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

    private static void add(long[] sums, long[] v, int sign) {
        for (int i = 0; i < sums.length; i++) {
            sums[i] += sign * v[i];
        }
    }

    /** Keeps what a late correction (up to twice the window) can still need. */
    private void prune(long evaluatedTo) throws Exception {
        long keepFrom = evaluatedTo - 2 * windowMs - HOUR;
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

    /** The unit has had no data for long enough that nothing of it is kept: its state goes whole. */
    private void forget() {
        hourly.clear();
        below.clear();
        openAfter.clear();
        sent.clear();
        lastEvaluated.clear();
        lastDataHour.clear();
        changedFrom.clear();
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


    static String id(String unit, KpiTarget kpi, long openedAt) {
        return AlertKind.KPI_BELOW_TARGET + "|" + unit + "|" + kpi + "|" + openedAt;
    }
}

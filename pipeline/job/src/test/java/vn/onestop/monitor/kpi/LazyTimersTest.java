package vn.onestop.monitor.kpi;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.junit.jupiter.api.Test;
import vn.onestop.monitor.alert.SlaAlert;
import vn.onestop.monitor.alert.WorkingCalendar;
import vn.onestop.monitor.ingest.Channel;
import vn.onestop.monitor.ingest.DossierEvent;
import vn.onestop.monitor.ingest.EventType;
import vn.onestop.monitor.ingest.LocalClock;
import vn.onestop.monitor.ingest.Tally;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Queue;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link DossierProcessor} keeps a dossier's timer when the wanted time moves later (lazy timers) instead of deleting
 * it and registering the new one (eager, as before). On randomized dossier histories (out of order, re-sent, with
 * supplements, apologies, withdrawals, ends before and after the due time, dossiers left open) both give exactly the
 * same outputs — counts, rows, dead letters, tallies and alerts — and the lazy one deletes and registers far fewer timers.
 */
class LazyTimersTest {
    private static final long START = Events.t("2024-03-04T08:00");
    private static final long HOUR = LocalClock.HOUR_MS;

    /** Timer calls and firings of one run. */
    static final class TimerCounts {
        int registered;
        int deleted;
        int fired;
    }

    /** The processor as the job runs it, with its timer calls counted. */
    static class Counted extends DossierProcessor {
        final TimerCounts counts;

        Counted(TimerCounts counts) {
            super(OnTimeRules.nationalIndex(), new Lateness(Duration.ofDays(30)),
                    new DossierAlertRules(WorkingCalendar.officeWeek(Set.of(), Set.of()), Duration.ofHours(4)));
            this.counts = counts;
        }

        @Override
        void moveTimer(TimerService timers, DossierState w, long wanted, boolean keepEarlier) {
            super.moveTimer(counting(timers), w, wanted, keepEarlier);
        }

        @Override
        public void onTimer(long timestamp, OnTimerContext ctx, Collector<UnitHourDelta> out) throws Exception {
            counts.fired++;
            super.onTimer(timestamp, ctx, out);
        }

        TimerService counting(TimerService timers) {
            return new TimerService() {
                @Override public long currentProcessingTime() { return timers.currentProcessingTime(); }
                @Override public long currentWatermark() { return timers.currentWatermark(); }
                @Override public void registerProcessingTimeTimer(long time) { timers.registerProcessingTimeTimer(time); }
                @Override public void deleteProcessingTimeTimer(long time) { timers.deleteProcessingTimeTimer(time); }

                @Override
                public void registerEventTimeTimer(long time) {
                    counts.registered++;
                    timers.registerEventTimeTimer(time);
                }

                @Override
                public void deleteEventTimeTimer(long time) {
                    counts.deleted++;
                    timers.deleteEventTimeTimer(time);
                }
            };
        }
    }

    /** The reference: the timer moved to every new wanted time at once, as DossierProcessor did before lazy timers. */
    static final class Eager extends Counted {
        Eager(TimerCounts counts) {
            super(counts);
        }

        @Override
        void moveTimer(TimerService timers, DossierState w, long wanted, boolean keepEarlier) {
            TimerService t = counting(timers);
            if (wanted != w.timer) {
                if (w.timer != DossierEvent.NO_TIME) {
                    t.deleteEventTimeTimer(w.timer);
                }
                if (wanted != DossierEvent.NO_TIME) {
                    t.registerEventTimeTimer(wanted);
                }
                w.timer = wanted;
            }
        }
    }

    /** Every earlier timer kept, not only the expiry's: exact too (DossierProcessor#moveTimer), though not faster. */
    static final class AlwaysLazy extends Counted {
        AlwaysLazy(TimerCounts counts) {
            super(counts);
        }

        @Override
        void moveTimer(TimerService timers, DossierState w, long wanted, boolean keepEarlier) {
            super.moveTimer(timers, w, wanted, true);
        }
    }

    @Test
    void lazyTimersGiveTheEagerOutputsWithFewerTimerCalls() throws Exception {
        TimerCounts lazy = new TimerCounts();
        TimerCounts eager = new TimerCounts();
        TimerCounts allLazy = new TimerCounts();
        int totalLazy = 0;
        int totalEager = 0;
        for (long seed = 1; seed <= 6; seed++) {
            List<Object> steps = history(new Random(seed), 400);
            Run b = run(new Eager(eager), steps);
            for (Run a : List.of(run(new Counted(lazy), steps), run(new AlwaysLazy(allLazy), steps))) {
                assertThat(a.changes).as("seed %d: unit-hour changes", seed).containsExactlyElementsOf(b.changes);
                assertThat(a.rows).as("seed %d: dossier rows", seed).containsExactlyElementsOf(b.rows);
                assertThat(a.refused).as("seed %d: dead letters", seed).containsExactlyElementsOf(b.refused);
                assertThat(a.tallies).as("seed %d: tallies", seed).containsExactlyElementsOf(b.tallies);
                assertThat(a.alerts).as("seed %d: alerts, step by step", seed).containsExactlyElementsOf(b.alerts);
                // At the end of input every timer fires. The eager timers left a finished dossier in state when its last
                // timer was an alert's and the expiry was behind the watermark too; the lazy ones clear it then. Open
                // dossiers stay in both.
                assertThat(b.stateLeft).as("seed %d: dossiers left in state", seed).containsAll(a.stateLeft);
                assertThat(a.stateLeft).as("seed %d: only open dossiers left", seed).allMatch(id -> !a.finished.contains(id));
                totalLazy += a.alertCount;
            }
            totalEager += b.alertCount;
        }
        // The histories do raise alerts (at risk, overdue, their closes and retractions), so the comparison means something.
        assertThat(totalEager).isGreaterThan(200);
        assertThat(totalLazy).isEqualTo(2 * totalEager);
        System.out.printf("timers over the randomized histories: eager %d registered, %d deleted, %d fired; expiry kept (the job) %d, %d, %d;"
                        + " every earlier timer kept %d, %d, %d%n", eager.registered, eager.deleted, eager.fired,
                lazy.registered, lazy.deleted, lazy.fired, allLazy.registered, allLazy.deleted, allLazy.fired);
        // Returns after resolutions on another day move the expiry: those deletes and registrations are saved.
        assertThat(lazy.deleted).isLessThan(eager.deleted * 9 / 10);
        assertThat(lazy.registered + lazy.deleted + lazy.fired).isLessThan(eager.registered + eager.deleted + eager.fired);
        assertThat(allLazy.deleted).isLessThan(eager.deleted / 2);
    }

    /** What one run sent; alerts as one sorted list per step (element or watermark), since a watermark fires many dossiers' timers. */
    static final class Run {
        final List<String> changes = new ArrayList<>();
        final List<String> rows = new ArrayList<>();
        final List<String> refused = new ArrayList<>();
        final List<String> tallies = new ArrayList<>();
        final List<List<String>> alerts = new ArrayList<>();
        int alertCount;
        final Set<String> stateLeft = new java.util.TreeSet<>();
        /** Dossiers whose last row was withdrawn or classified. */
        final Set<String> finished = new java.util.HashSet<>();
    }

    private static Run run(DossierProcessor processor, List<Object> steps) throws Exception {
        Run run = new Run();
        try (KeyedOneInputStreamOperatorTestHarness<String, DossierEvent, UnitHourDelta> h = new KeyedOneInputStreamOperatorTestHarness<>(
                new LegacyDossierState.MigratingOperator(processor), e -> e.dossierId, Types.STRING)) {
            h.open();
            for (Object step : steps) {
                if (step instanceof DossierEvent e) {
                    h.processElement(new StreamRecord<>(e, e.occurredAt));
                } else {
                    h.processWatermark(new Watermark((Long) step));
                }
                collect(h, run);
            }
            h.getOperator().getKeyedStateBackend().getKeys("dossier", org.apache.flink.runtime.state.VoidNamespace.INSTANCE)
                    .forEach(k -> run.stateLeft.add((String) k));
        }
        return run;
    }

    private static void collect(KeyedOneInputStreamOperatorTestHarness<String, DossierEvent, UnitHourDelta> h, Run run) {
        for (Object o : h.getOutput()) {
            if (o instanceof StreamRecord<?> r) {
                UnitHourDelta d = (UnitHourDelta) r.getValue();
                run.changes.add(d.unitCode + " " + d.hourStart + " " + java.util.Arrays.toString(d.delta));
            }
        }
        h.getOutput().clear();
        Queue<StreamRecord<DossierRow>> rows = h.getSideOutput(DossierProcessor.DOSSIER_ROWS);
        if (rows != null) {
            rows.forEach(r -> {
                if (r.getValue().status.isClassified() || r.getValue().status == DossierStatus.WITHDRAWN) {
                    run.finished.add(r.getValue().dossierId);
                } else {
                    run.finished.remove(r.getValue().dossierId);
                }
            });
        }
        drain(rows, r -> r.dossierId + " " + r.status + " " + r.endedAt + " " + r.effectiveDueAt
                + " " + r.eventsApplied + " " + r.lastEventAt + " " + r.pausedMs, run.rows);
        drain(h.getSideOutput(DossierProcessor.REFUSED), d -> d.reason + " " + d.detail, run.refused);
        drain(h.getSideOutput(Tally.TAG), t -> t.topic + " " + t.day + " " + t.outcome, run.tallies);
        List<String> alerts = new ArrayList<>();
        drain(h.getSideOutput(DossierProcessor.ALERTS), LazyTimersTest::describe, alerts);
        // Sorted by dossier (stable): the order within a dossier is kept, the order between dossiers firing in one watermark is not meaningful.
        alerts.sort(Comparator.comparing(s -> s.substring(0, s.indexOf(' '))));
        run.alertCount += alerts.size();
        run.alerts.add(alerts);
    }

    private static String describe(SlaAlert a) {
        return a.dossierId + " " + a.kind + " " + a.id + " " + a.unitCode + " " + a.openedAt + " " + a.closedAt + " " + a.retracted + " " + a.details;
    }

    private static <T> void drain(Queue<StreamRecord<T>> q, java.util.function.Function<T, String> f, List<String> into) {
        if (q != null) {
            q.forEach(r -> into.add(f.apply(r.getValue())));
            q.clear();
        }
    }

    private static int ids;

    private static DossierEvent event(String dossier, EventType type, long at) {
        DossierEvent e = new DossierEvent();
        e.eventId = "lz-" + (++ids);
        e.dossierId = dossier;
        e.type = type;
        e.occurredAt = at;
        e.topic = "dossier-events";
        e.recordTimestamp = at;
        e.offset = ids;
        return e;
    }

    /**
     * Random dossier histories, sent roughly in time order with some events delayed up to two days and some re-sent,
     * with a watermark (one hour behind the newest event time) every few events and the end of input's at the end.
     */
    private static List<Object> history(Random rnd, int dossiers) {
        List<DossierEvent> events = new ArrayList<>();
        for (int i = 0; i < dossiers; i++) {
            String id = "D" + i;
            long received = START + (long) (rnd.nextDouble() * 20 * 24 * HOUR);
            long due = received + (long) ((1 + rnd.nextDouble() * 120) * HOUR);
            DossierEvent r = event(id, EventType.RECEIVED, received);
            r.unitCode = rnd.nextBoolean() ? "11248" : "11251";
            r.procedureCode = "1.001612";
            r.channel = Channel.values()[rnd.nextInt(Channel.values().length)];
            r.dueAt = due;
            r.digitised = rnd.nextBoolean();
            events.add(r);
            long t = received;
            if (rnd.nextInt(5) == 0) {
                t += (long) (rnd.nextDouble() * 48 * HOUR);
                events.add(event(id, EventType.SUPPLEMENT_REQUESTED, t));
                if (rnd.nextInt(3) > 0) {
                    t += (long) (rnd.nextDouble() * 72 * HOUR);
                    events.add(event(id, EventType.SUPPLEMENT_RECEIVED, t));
                }
            }
            if (rnd.nextInt(8) == 0) {
                DossierEvent apology = event(id, EventType.APOLOGY_ISSUED, t + (long) (rnd.nextDouble() * 24 * HOUR));
                apology.newDueAt = due + (long) (rnd.nextDouble() * 96 * HOUR);
                events.add(apology);
            }
            int end = rnd.nextInt(20);
            if (end < 15) {
                long at = t + (long) (rnd.nextDouble() * 1.6 * (due - received + HOUR));
                DossierEvent resolved = event(id, EventType.RESOLVED, at);
                resolved.resultDigitised = rnd.nextBoolean();
                events.add(resolved);
                if (rnd.nextInt(3) > 0) {
                    events.add(event(id, EventType.RETURNED, at + (long) (rnd.nextDouble() * 72 * HOUR)));
                }
            } else if (end < 17) {
                events.add(event(id, EventType.WITHDRAWN, t + (long) (rnd.nextDouble() * 100 * HOUR)));
            }
        }
        List<long[]> order = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            long delay = rnd.nextInt(10) == 0 ? (long) (rnd.nextDouble() * 48 * HOUR) : 0;
            order.add(new long[] {events.get(i).occurredAt + delay, i});
        }
        order.sort(Comparator.comparingLong((long[] o) -> o[0]).thenComparingLong(o -> o[1]));
        List<Object> steps = new ArrayList<>();
        long newest = Long.MIN_VALUE;
        for (long[] o : order) {
            DossierEvent e = events.get((int) o[1]);
            steps.add(e);
            if (rnd.nextInt(15) == 0) {
                steps.add(e);  // a re-send: a duplicate
            }
            newest = Math.max(newest, o[0]);
            if (rnd.nextInt(6) == 0) {
                steps.add(newest - HOUR);
            }
        }
        steps.add(Long.MAX_VALUE);
        // Watermarks must not go back.
        long last = Long.MIN_VALUE;
        for (int i = 0; i < steps.size(); i++) {
            if (steps.get(i) instanceof Long w) {
                last = Math.max(last, w);
                steps.set(i, last);
            }
        }
        return steps;
    }
}

package vn.onestop.monitor.kpi;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.Collector;
import vn.onestop.monitor.MonitorConfig;
import vn.onestop.monitor.alert.WorkingCalendar;
import vn.onestop.monitor.bench.SimulatedInput;
import vn.onestop.monitor.ingest.DossierEvent;

import java.util.Set;

/**
 * Counts the event-time timer calls of the classifying operator on a simulated backfill (as {@code ProcessorBenchmark}
 * feeds it), with the timers moved lazily (as the job does) and eagerly (delete and register on every change):
 * {@code java -cp $TEST_CP vn.onestop.monitor.kpi.TimerCallCount [events]}. In this package for the processor's
 * package-private {@code moveTimer}.
 */
public final class TimerCallCount {
    private TimerCallCount() {}

    public static void main(String[] args) throws Exception {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 300_000;
        DossierEvent[] events = SimulatedInput.stream(count);
        for (String mode : new String[] {"eager", "expiry kept (the job)", "every earlier timer kept"}) {
            long[] n = new long[3];
            MonitorConfig cfg = MonitorConfig.defaults();
            DossierProcessor p = new DossierProcessor(new OnTimeRules(cfg.maxSupplementRequests()), new Lateness(cfg.latenessHorizon()),
                    new DossierAlertRules(WorkingCalendar.officeWeek(Set.of(), Set.of()), cfg.atRiskLead())) {
                @Override
                void moveTimer(TimerService timers, DossierState w, long wanted, boolean keepEarlier) {
                    TimerService t = counting(timers, n);
                    if (!mode.equals("eager")) {
                        super.moveTimer(t, w, wanted, keepEarlier || mode.startsWith("every"));
                    } else if (wanted != w.timer) {
                        if (w.timer != DossierEvent.NO_TIME) {
                            t.deleteEventTimeTimer(w.timer);
                        }
                        if (wanted != DossierEvent.NO_TIME) {
                            t.registerEventTimeTimer(wanted);
                        }
                        w.timer = wanted;
                    }
                }

                @Override
                public void onTimer(long timestamp, OnTimerContext ctx, Collector<UnitHourDelta> out) throws Exception {
                    n[2]++;
                    super.onTimer(timestamp, ctx, out);
                }
            };
            long firedBeforeEnd;
            try (KeyedOneInputStreamOperatorTestHarness<String, DossierEvent, UnitHourDelta> h = new KeyedOneInputStreamOperatorTestHarness<>(
                    new LegacyDossierState.MigratingOperator(p), e -> e.dossierId, Types.STRING)) {
                h.open();
                long newest = Long.MIN_VALUE;
                for (int i = 0; i < events.length; i++) {
                    newest = Math.max(newest, events[i].occurredAt);
                    h.processElement(new StreamRecord<>(events[i], events[i].occurredAt));
                    if (i % 500 == 499) {
                        h.processWatermark(new Watermark(newest - cfg.watermarkOutOfOrderness().toMillis() - 1));
                        h.getOutput().clear();
                        h.getSideOutput(DossierProcessor.DOSSIER_ROWS).clear();
                    }
                }
                firedBeforeEnd = n[2];
                h.processWatermark(new Watermark(Long.MAX_VALUE));
            }
            System.out.printf("%s timers, %,d events: %,d registered, %,d deleted, %,d fired (%,d before the end of input)%n",
                    mode, count, n[0], n[1], n[2], firedBeforeEnd);
        }
    }

    private static TimerService counting(TimerService timers, long[] n) {
        return new TimerService() {
            @Override public long currentProcessingTime() { return timers.currentProcessingTime(); }
            @Override public long currentWatermark() { return timers.currentWatermark(); }
            @Override public void registerProcessingTimeTimer(long time) { timers.registerProcessingTimeTimer(time); }
            @Override public void deleteProcessingTimeTimer(long time) { timers.deleteProcessingTimeTimer(time); }
            @Override public void registerEventTimeTimer(long time) { n[0]++; timers.registerEventTimeTimer(time); }
            @Override public void deleteEventTimeTimer(long time) { n[1]++; timers.deleteEventTimeTimer(time); }
        };
    }
}

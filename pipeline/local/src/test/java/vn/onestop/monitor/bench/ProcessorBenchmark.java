package vn.onestop.monitor.bench;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import vn.onestop.monitor.MonitorConfig;
import vn.onestop.monitor.alert.WorkingCalendar;
import vn.onestop.monitor.ingest.DossierEvent;
import vn.onestop.monitor.ingest.Tally;
import vn.onestop.monitor.ingest.TallyBuffer;
import vn.onestop.monitor.kpi.DossierAlertRules;
import vn.onestop.monitor.kpi.DossierProcessor;
import vn.onestop.monitor.kpi.Lateness;
import vn.onestop.monitor.kpi.OnTimeRules;
import vn.onestop.monitor.kpi.UnitHourBuffer;
import vn.onestop.monitor.kpi.UnitHourDelta;

import java.util.Queue;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The classifying task as the job runs it, per event: {@code DossierProcessor}'s operator (heap state, event-time
 * timers, side outputs) in Flink's keyed test harness, fed the first {@value #EVENTS} dossier events of a backfill in
 * send order with a watermark every {@value #WATERMARK_EVERY} events (the job's out-of-orderness behind the newest
 * event time) and the end of input's final watermark, which fires every timer left. The changes and tallies go
 * through the chained pre-aggregators' buffers, drained at each watermark as the job's operators do. One operation is
 * one event; the harness's own bookkeeping (its output queues) is included and is the same before and after a change.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx3g"})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class ProcessorBenchmark {
    static final int EVENTS = 300_000;
    static final int WATERMARK_EVERY = 500;

    private DossierEvent[] events;
    private final MonitorConfig cfg = MonitorConfig.defaults();

    @Setup
    public void setUp() {
        events = SimulatedInput.stream(EVENTS);
    }

    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public void classifyBackfill(Blackhole bh) throws Exception {
        bh.consume(run(events, cfg));
    }

    /**
     * The copy Flink makes of every dossier row handed to the chained {@code dossier} sink (object reuse is off), with
     * the serializer its type information gives, created once as a task does. (The harness above creates a serializer
     * for every side-output record, which a task does not: this one isolates the copy.)
     */
    @State(Scope.Thread)
    public static class Rows {
        org.apache.flink.api.common.typeutils.TypeSerializer<vn.onestop.monitor.kpi.DossierRow> serializer;
        vn.onestop.monitor.kpi.DossierRow[] rows;
        int next;

        @Setup
        public void setUp() {
            serializer = org.apache.flink.api.common.typeinfo.TypeInformation.of(vn.onestop.monitor.kpi.DossierRow.class)
                    .createSerializer(new org.apache.flink.api.common.serialization.SerializerConfigImpl());
            OnTimeRules rules = OnTimeRules.nationalIndex();
            java.util.List<DossierEvent[]> dossiers = SimulatedInput.lifecycles(256, 10);
            rows = new vn.onestop.monitor.kpi.DossierRow[dossiers.size()];
            for (int i = 0; i < rows.length; i++) {
                vn.onestop.monitor.kpi.DossierTimeline t = new vn.onestop.monitor.kpi.DossierTimeline();
                for (DossierEvent e : dossiers.get(i)) {
                    t.apply(e);
                }
                rows[i] = vn.onestop.monitor.kpi.DossierRows.of(dossiers.get(i)[0].dossierId, t, t.outcome(rules));
            }
        }
    }

    @Benchmark
    public Object copyDossierRow(Rows r) {
        return r.serializer.copy(r.rows[r.next++ & 255]);
    }

    /**
     * The same run outside JMH, measured by the thread's own CPU time and allocated bytes, which a machine shared
     * with other work disturbs less than wall time: {@code java -cp $TEST_CP vn.onestop.monitor.bench.ProcessorBenchmark
     * [events] [warm-up runs] [measured runs]}. Prints each measured run and the median.
     */
    public static void main(String[] args) throws Exception {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : EVENTS;
        int warmups = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int runs = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        DossierEvent[] events = SimulatedInput.stream(count);
        MonitorConfig cfg = MonitorConfig.defaults();
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long self = Thread.currentThread().getId();
        double[] cpu = new double[runs];
        for (int i = -warmups; i < runs; i++) {
            long cpu0 = threads.getCurrentThreadCpuTime();
            long bytes0 = threads.getThreadAllocatedBytes(self);
            int timers = run(events, cfg);
            double ns = (threads.getCurrentThreadCpuTime() - cpu0) / (double) count;
            double bytes = (threads.getThreadAllocatedBytes(self) - bytes0) / (double) count;
            System.out.printf(java.util.Locale.ROOT, "%s run: %,.0f ns CPU per event, %,.0f bytes allocated per event, %,d timers before the final watermark%n",
                    i < 0 ? "warm-up" : "measured", ns, bytes, timers);
            if (i >= 0) {
                cpu[i] = ns;
            }
        }
        java.util.Arrays.sort(cpu);
        System.out.printf(java.util.Locale.ROOT, "median %,.0f ns CPU per event over %d runs of %,d events (main thread only; GC threads not included)%n",
                cpu[runs / 2], runs, count);
    }

    /** Runs the stream through a fresh operator; returns the number of event-time timers left before the final watermark. */
    static int run(DossierEvent[] events, MonitorConfig cfg) throws Exception {
        DossierAlertRules alertRules = new DossierAlertRules(WorkingCalendar.officeWeek(Set.of(), Set.of()), cfg.atRiskLead());
        long outOfOrderness = cfg.watermarkOutOfOrderness().toMillis();
        UnitHourBuffer changes = new UnitHourBuffer();
        TallyBuffer tallies = new TallyBuffer();
        int timersLeft;
        try (KeyedOneInputStreamOperatorTestHarness<String, DossierEvent, UnitHourDelta> harness = new KeyedOneInputStreamOperatorTestHarness<>(
                DossierProcessor.operator(new OnTimeRules(cfg.maxSupplementRequests()), new Lateness(cfg.latenessHorizon()), alertRules),
                e -> e.dossierId, Types.STRING)) {
            harness.open();
            long newest = Long.MIN_VALUE;
            for (int i = 0; i < events.length; i++) {
                DossierEvent e = events[i];
                newest = Math.max(newest, e.occurredAt);
                harness.processElement(new StreamRecord<>(e, e.occurredAt));
                if (i % WATERMARK_EVERY == WATERMARK_EVERY - 1) {
                    harness.processWatermark(new Watermark(newest - outOfOrderness - 1));
                    drain(harness, changes, tallies);
                }
            }
            timersLeft = harness.numEventTimeTimers();
            harness.processWatermark(new Watermark(Long.MAX_VALUE));
            drain(harness, changes, tallies);
        }
        return timersLeft;
    }

    @SuppressWarnings("unchecked")
    private static void drain(KeyedOneInputStreamOperatorTestHarness<String, DossierEvent, UnitHourDelta> harness,
                              UnitHourBuffer changes, TallyBuffer tallies) {
        for (Object o : harness.getOutput()) {
            if (o instanceof StreamRecord<?> r) {
                changes.add((UnitHourDelta) r.getValue());
            }
        }
        harness.getOutput().clear();
        Queue<StreamRecord<Tally>> t = harness.getSideOutput(Tally.TAG);
        if (t != null) {
            t.forEach(r -> tallies.add(r.getValue()));
            t.clear();
        }
        for (var tag : new org.apache.flink.util.OutputTag<?>[] {DossierProcessor.DOSSIER_ROWS, DossierProcessor.ALERTS, DossierProcessor.REFUSED}) {
            Queue<?> q = harness.getSideOutput((org.apache.flink.util.OutputTag<Object>) tag);
            if (q != null) {
                q.clear();
            }
        }
        changes.drain();
        tallies.drain();
    }
}

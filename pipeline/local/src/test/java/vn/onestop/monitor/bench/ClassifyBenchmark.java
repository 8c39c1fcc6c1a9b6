package vn.onestop.monitor.bench;

import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import vn.onestop.monitor.ingest.DossierEvent;
import vn.onestop.monitor.kpi.Contribution;
import vn.onestop.monitor.kpi.DossierOutcome;
import vn.onestop.monitor.kpi.DossierRows;
import vn.onestop.monitor.kpi.DossierState;
import vn.onestop.monitor.kpi.DossierStateCodec;
import vn.onestop.monitor.kpi.DossierStateSerializer;
import vn.onestop.monitor.kpi.DossierTimeline;
import vn.onestop.monitor.kpi.OnTimeRules;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Classification of whole dossier lifecycles from the simulator (each dossier's events in the order the job receives
 * them, re-sends included), the per-event work of {@code DossierProcessor} without Flink: duplicate check, the old
 * contribution, apply, outcome, the new contribution and their difference. One operation is one dossier's whole
 * lifecycle: 1,024 dossiers received in the first simulated week, 3.15 events each on average (most are received,
 * resolved and returned; some have supplements, an apology, re-sends or an early end), so the figures are per
 * dossier, not per event.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class ClassifyBenchmark {
    private static final int DOSSIERS = 1024;

    private final OnTimeRules rules = OnTimeRules.nationalIndex();
    private DossierEvent[][] lifecycles;
    /** Each dossier's timeline after its whole lifecycle, for the codec benchmark. */
    private DossierTimeline[] folded;
    private int next;

    @Setup
    public void setUp() {
        List<DossierEvent[]> dossiers = SimulatedInput.lifecycles(DOSSIERS, 10);
        lifecycles = dossiers.toArray(DossierEvent[][]::new);
        folded = new DossierTimeline[DOSSIERS];
        for (int i = 0; i < DOSSIERS; i++) {
            DossierTimeline t = new DossierTimeline();
            for (DossierEvent e : lifecycles[i]) {
                t.apply(e);
            }
            folded[i] = t;
        }
    }

    /** The fold on a timeline kept as an object (heap state without serialisation). */
    @Benchmark
    public void foldLifecycle(Blackhole bh) {
        DossierEvent[] events = lifecycles[next++ & (DOSSIERS - 1)];
        DossierTimeline timeline = new DossierTimeline();
        for (DossierEvent e : events) {
            bh.consume(fold(timeline, e, bh));
        }
        bh.consume(timeline);
    }

    /**
     * As {@code DossierProcessor.processElement} did it per event up to the previous format: the timeline read from
     * its {@link DossierStateCodec} bytes, folded and classified, written back, and the dossier's current row built
     * (alerts and timers left out).
     */
    @Benchmark
    public void foldLifecycleWithStateCodec(Blackhole bh) {
        DossierEvent[] events = lifecycles[next++ & (DOSSIERS - 1)];
        byte[] stored = null;
        for (DossierEvent e : events) {
            DossierTimeline timeline = stored == null ? new DossierTimeline() : DossierStateCodec.fromBytes(stored);
            DossierOutcome outcome = fold(timeline, e, bh);
            if (outcome == null) {
                continue;
            }
            stored = DossierStateCodec.toBytes(timeline);
            bh.consume(DossierRows.of(e.dossierId, timeline, outcome));
        }
        bh.consume(stored);
    }

    /**
     * As {@code DossierProcessor.processElement} does it per event on RocksDB (issue 17): the dossier's one state
     * value read with {@link DossierStateSerializer}, folded and classified, written back, and its current row built.
     * On the heap backend the value is an object and neither read nor written. {@link #foldLifecycleWithStateCodec}
     * is the same with the previous format's codec (timeline only; the alerts' POJO state came on top).
     */
    @Benchmark
    public void foldLifecycleWithStateSerializer(Blackhole bh) throws IOException {
        DossierEvent[] events = lifecycles[next++ & (DOSSIERS - 1)];
        byte[] stored = null;
        for (DossierEvent e : events) {
            DossierState state = stored == null ? new DossierState() : DossierStateSerializer.INSTANCE.deserialize(in(stored));
            DossierOutcome outcome = fold(state.timeline(), e, bh);
            if (outcome == null) {
                continue;
            }
            stored = out(state);
            bh.consume(DossierRows.of(e.dossierId, state.timeline(), outcome));
        }
        bh.consume(stored);
    }

    /** The previous format's codec alone: a folded timeline to bytes and back. */
    @Benchmark
    public DossierTimeline codecRoundTrip() {
        return DossierStateCodec.fromBytes(DossierStateCodec.toBytes(folded[next++ & (DOSSIERS - 1)]));
    }

    /** The current state's serializer alone: a folded dossier to bytes and back. */
    @Benchmark
    public DossierState serializerRoundTrip() throws IOException {
        return DossierStateSerializer.INSTANCE.deserialize(in(out(new DossierState(folded[next++ & (DOSSIERS - 1)]))));
    }

    private final DataOutputSerializer output = new DataOutputSerializer(256);
    private final DataInputDeserializer input = new DataInputDeserializer();

    private byte[] out(DossierState s) throws IOException {
        output.clear();
        DossierStateSerializer.INSTANCE.serialize(s, output);
        return output.getCopyOfBuffer();
    }

    private DataInputDeserializer in(byte[] b) {
        input.setBuffer(b);
        return input;
    }

    /** One event as the processor folds it: null for a repeat, else the new outcome (its count changes consumed). */
    private DossierOutcome fold(DossierTimeline timeline, DossierEvent e, Blackhole bh) {
        if (timeline.seen(e) != DossierTimeline.Seen.NEW) {
            bh.consume(e);
            return null;
        }
        Contribution before = Contribution.of(timeline, timeline.outcome(rules));
        timeline.apply(e);
        DossierOutcome outcome = timeline.outcome(rules);
        bh.consume(Contribution.diff(before, Contribution.of(timeline, outcome)));
        return outcome;
    }
}

package vn.onestop.monitor.kpi;

import vn.onestop.monitor.alert.SlaAlert;
import vn.onestop.monitor.alert.SlaTargets;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link KpiBreachDetector} keeps the sums of its last evaluated window and slides them; {@link KpiBreachDetectorReference}
 * (the detector before that change) sums every evaluation's first window from scratch. On random histories both must
 * send exactly the same alerts, retractions included, in the same order: counts of a parent (its own and its units'
 * rolled-up sums) and of two units, repeated and late counts for hours already evaluated (also for hours already
 * pruned), watermarks within an hour, by the hour, by days and over gaps longer than three windows (the state is
 * forgotten), snapshots restored in the middle, and restores of the new detector from a snapshot of the old one, as
 * a savepoint of the previous job version holds no kept window.
 */
class KpiBreachDetectorEquivalenceTest {
    private static final long H = 3_600_000L;
    private static final long T0 = Instant.parse("2020-01-01T00:00:00Z").toEpochMilli();
    private static final String PARENT = "300";
    private static final String[] UNITS = {PARENT, "30001", "30002"};
    /** Targets the random counts hover around, so that breaches open, close and are re-derived often. */
    private static final SlaTargets TARGETS = new SlaTargets(Map.of("*", new SlaTargets.Target(0.90, 0.50, 0.80, 0.85, 12)));

    /** What every seed exercised, summed over the parameterised runs: the test is only as good as its histories. */
    private static final long[] EXERCISED = new long[8];

    static LongStream seeds() {
        return LongStream.range(1, 25);
    }

    private KeyedOneInputStreamOperatorTestHarness<String, UnitHourCounts, SlaAlert> harness(
            KeyedProcessFunction<String, UnitHourCounts, SlaAlert> f, OperatorSubtaskState restored) throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(f), (UnitHourCounts c) -> c.unitCode, Types.STRING);
        if (restored != null) {
            h.initializeState(restored);
        }
        h.open();
        return h;
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void theKeptWindowGivesTheSameAlertsAsSummingFromScratch(long seed) throws Exception {
        Random rnd = new Random(seed);
        // Windows of a day, two days, a week and (one seed in eight) 30 days as in production.
        long[] windows = {24, 48, 168};
        Duration window = Duration.ofHours(seed % 8 == 0 ? 720 : windows[rnd.nextInt(windows.length)]);
        double margin = rnd.nextBoolean() ? 0.005 : 0.0;
        long windowHours = window.toHours();
        var reference = harness(new KpiBreachDetectorReference(TARGETS, margin, window), null);
        var detector = harness(new KpiBreachDetector(TARGETS, margin, window), null);
        long hour = T0;
        long watermark = Long.MIN_VALUE;
        // Each unit's lateness drifts, so its KPIs cross the targets in both directions.
        double[] badness = new double[UNITS.length * 2];
        int steps = windowHours == 720 ? 1800 : 1000;
        // Long jumps are rarer with the 30-day window, so that event time stays years behind the wall clock (which
        // caps evaluations) and not beyond it.
        double longJumps = windowHours == 720 ? 0.1 : 1.0;
        for (int step = 0; step < steps; step++) {
            List<UnitHourCounts> batch = new ArrayList<>();
            for (int u = 0; u < UNITS.length; u++) {
                for (int part = 0; part < (u == 0 ? 2 : 1); part++) {
                    int b = u * 2 + part;
                    badness[b] = Math.max(0, Math.min(0.5, badness[b] + (rnd.nextDouble() - 0.5) * 0.06));
                    if (rnd.nextDouble() < 0.75) {
                        batch.add(counts(rnd, UNITS[u], hour, part == 1, badness[b]));
                    }
                }
            }
            // The current hour's counts again (cumulative: a replacement), a count ahead of the watermark, and late
            // counts for hours already evaluated: mostly recent, some a window or more back, some already pruned.
            if (rnd.nextDouble() < 0.1) {
                batch.add(counts(rnd, PARENT, hour, rnd.nextBoolean(), rnd.nextDouble() * 0.4));
            }
            if (rnd.nextDouble() < 0.05) {
                batch.add(counts(rnd, UNITS[rnd.nextInt(UNITS.length)], hour + H * (1 + rnd.nextInt(3)), false, rnd.nextDouble() * 0.4));
            }
            int lateCounts = rnd.nextDouble() < 0.2 ? 1 + rnd.nextInt(4) : 0;
            for (int i = 0; i < lateCounts; i++) {
                long back = rnd.nextDouble() < 0.7 ? 1 + rnd.nextInt(6) : 1 + rnd.nextInt((int) (3 * windowHours + 5));
                int u = rnd.nextInt(UNITS.length);
                batch.add(counts(rnd, UNITS[u], hour - back * H, u == 0 && rnd.nextBoolean(), rnd.nextDouble() * 0.5));
                EXERCISED[0]++;
            }
            java.util.Collections.shuffle(batch, rnd);
            for (UnitHourCounts c : batch) {
                reference.processElement(new StreamRecord<>(copy(c), c.hourStart));
                detector.processElement(new StreamRecord<>(copy(c), c.hourStart));
            }
            // Event time moves on: within the hour (late counts re-evaluated, no tick), by the hour, by hours or
            // days, or over a gap after which a quiet unit is forgotten.
            double r = rnd.nextDouble();
            long advance;
            if (r < 0.08) {
                advance = 0;
            } else if (r < 0.80) {
                advance = 1;
            } else if (r < 0.94) {
                advance = 2 + rnd.nextInt(30);
            } else if (r < 0.94 + 0.045 * longJumps) {
                advance = windowHours / 2 + rnd.nextInt((int) windowHours * 2);
                EXERCISED[1]++;
            } else if (r < 0.94 + 0.06 * longJumps) {
                advance = 3 * windowHours + 2 + rnd.nextInt((int) windowHours * 2);
                EXERCISED[2]++;
            } else {
                advance = 1;
            }
            hour += advance * H;
            long next = advance == 0 ? watermark + 1 + rnd.nextInt(1000) : hour + (rnd.nextBoolean() ? 0 : rnd.nextInt((int) H));
            if (next > watermark && next < hour + H) {
                watermark = next;
                reference.processWatermark(watermark);
                detector.processWatermark(watermark);
            }
            assertSameOutput(reference, detector, seed, step);
            if (rnd.nextDouble() < 0.02) {
                if (rnd.nextBoolean()) {
                    // Each restored from its own snapshot: the new one with its kept window.
                    OperatorSubtaskState fromReference = reference.snapshot(step, watermark);
                    OperatorSubtaskState fromDetector = detector.snapshot(step, watermark);
                    reference.close();
                    detector.close();
                    reference = harness(new KpiBreachDetectorReference(TARGETS, margin, window), fromReference);
                    detector = harness(new KpiBreachDetector(TARGETS, margin, window), fromDetector);
                    EXERCISED[3]++;
                } else {
                    // Both restored from the old detector's snapshot: the new one finds no kept window.
                    OperatorSubtaskState old = reference.snapshot(step, watermark);
                    reference.close();
                    detector.close();
                    reference = harness(new KpiBreachDetectorReference(TARGETS, margin, window), old);
                    detector = harness(new KpiBreachDetector(TARGETS, margin, window), old);
                    EXERCISED[4]++;
                }
            }
        }
        // End of a bounded input.
        reference.processWatermark(Long.MAX_VALUE);
        detector.processWatermark(Long.MAX_VALUE);
        assertSameOutput(reference, detector, seed, steps);
        // Event time is past every unit's last data by more than three windows: both have forgotten every unit.
        assertThat(reference.numKeyedStateEntries()).as("old detector's state at the end").isZero();
        assertThat(detector.numKeyedStateEntries()).as("state left at the end of seed %d", seed).isZero();
        reference.close();
        detector.close();
    }

    private static void assertSameOutput(KeyedOneInputStreamOperatorTestHarness<String, UnitHourCounts, SlaAlert> reference,
                                         KeyedOneInputStreamOperatorTestHarness<String, UnitHourCounts, SlaAlert> detector,
                                         long seed, int step) {
        List<String> expected = reference.extractOutputValues().stream().map(KpiBreachDetectorEquivalenceTest::describe).toList();
        List<String> actual = detector.extractOutputValues().stream().map(KpiBreachDetectorEquivalenceTest::describe).toList();
        assertThat(actual).as("alerts after step %d of seed %d", step, seed).containsExactlyElementsOf(expected);
        EXERCISED[5] += expected.size();
        EXERCISED[6] += reference.extractOutputValues().stream().filter(a -> a.retracted).count();
        EXERCISED[7] += reference.extractOutputValues().stream().filter(a -> !a.isOpen() && !a.retracted).count();
        reference.getOutput().clear();
        detector.getOutput().clear();
    }

    /** Every field the sink writes. */
    private static String describe(SlaAlert a) {
        return String.format(Locale.ROOT, "%s %s %s %s %s value=%s target=%s opened=%d closed=%d retracted=%b %s",
                a.id, a.kind, a.unitCode, a.dossierId, a.kpi, a.value, a.target, a.openedAt, a.closedAt, a.retracted, a.details);
    }

    private static UnitHourCounts counts(Random rnd, String unit, long hourStart, boolean rolledUp, double badness) {
        long[] c = new long[Measure.COUNT];
        if (rnd.nextDouble() < 0.05) {
            return new UnitHourCounts(unit, hourStart, c, rolledUp); // an hour whose counts went back to nothing
        }
        int received = rnd.nextInt(7);
        c[Measure.RECEIVED.ordinal()] = received;
        c[Measure.RECEIVED_ONLINE.ordinal()] = binomial(rnd, received, 0.6 - badness / 2);
        c[Measure.RECEIVED_DIGITISED.ordinal()] = binomial(rnd, received, 0.9 - badness / 2);
        int resolved = rnd.nextInt(7);
        int late = binomial(rnd, resolved, badness / 2);
        int early = binomial(rnd, resolved - late, 0.3);
        c[Measure.RESOLVED.ordinal()] = resolved;
        c[Measure.RESOLVED_LATE.ordinal()] = late;
        c[Measure.RESOLVED_EARLY.ordinal()] = early;
        c[Measure.RESOLVED_ON_TIME.ordinal()] = resolved - late - early;
        int ratings = rnd.nextInt(4);
        int satisfied = binomial(rnd, ratings, 0.95 - badness / 2);
        int very = binomial(rnd, satisfied, 0.5);
        c[Measure.RATINGS.ordinal()] = ratings;
        c[Measure.RATING_VERY_SATISFIED.ordinal()] = very;
        c[Measure.RATING_SATISFIED.ordinal()] = satisfied - very;
        c[Measure.RATING_DISSATISFIED.ordinal()] = ratings - satisfied;
        return new UnitHourCounts(unit, hourStart, c, rolledUp);
    }

    private static int binomial(Random rnd, int n, double p) {
        int k = 0;
        for (int i = 0; i < n; i++) {
            if (rnd.nextDouble() < p) {
                k++;
            }
        }
        return k;
    }

    /** Each operator gets its own record: the heap state backend keeps the very array it is given. */
    private static UnitHourCounts copy(UnitHourCounts c) {
        return new UnitHourCounts(c.unitCode, c.hourStart, c.counts.clone(), c.rolledUp);
    }

    @org.junit.jupiter.api.AfterAll
    static void theHistoriesExercisedWhatTheyClaim() {
        System.out.println("KpiBreachDetectorEquivalenceTest exercised " + java.util.Arrays.toString(EXERCISED));
        // 24 seeds: late counts, long jumps, gaps that forget, both kinds of restore, and alerts to compare.
        assertThat(EXERCISED[0]).as("late counts").isGreaterThan(5000);
        assertThat(EXERCISED[1]).as("jumps of half a window to 2.5 windows").isGreaterThan(300);
        assertThat(EXERCISED[2]).as("gaps longer than three windows").isGreaterThan(100);
        assertThat(EXERCISED[3]).as("restores from the detector's own snapshot").isGreaterThan(100);
        assertThat(EXERCISED[4]).as("restores from the old detector's snapshot").isGreaterThan(100);
        assertThat(EXERCISED[5]).as("alerts compared").isGreaterThan(10000);
        assertThat(EXERCISED[6]).as("retractions compared").isGreaterThan(1000);
        assertThat(EXERCISED[7]).as("closed breaches compared").isGreaterThan(5000);
    }
}

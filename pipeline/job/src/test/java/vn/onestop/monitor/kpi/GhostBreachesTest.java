package vn.onestop.monitor.kpi;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import vn.onestop.monitor.alert.SlaAlert;
import vn.onestop.monitor.alert.SlaTargets;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A live run restored from a checkpoint retracts the "ghost" KPI breaches its failed attempt may have written after
 * the checkpoint: breaches the restored attempt never opens because a correcting count reaches it before its
 * watermark reaches the hour boundary. The failed attempt is one harness, the restored one another, started from the
 * first's snapshot, as Flink does after a TaskManager failure.
 *
 * <p>By hand (24-hour window, on-time target 95 %, minimum volume 20, the other KPIs without a target): commune 11248
 * resolves 20 dossiers an hour on time in hours 0–23 (checkpoint C at the watermark of hour 24, every evaluation
 * 100 %). Hour 24 first counts 40 resolved, 40 late: at the boundary of hour 25 the window [1, 25) holds
 * 23 × 20 + 40 = 500 resolved, 460 on time = 92 % &lt; 95 %, a breach opening at hour 25. Corrected to 40 resolved,
 * 2 late it holds 498 / 500 = 99.6 %: no breach.
 */
class GhostBreachesTest {
    private static final long H = 3_600_000L;
    private static final long T0 = Instant.parse("2024-03-01T00:00:00Z").toEpochMilli();
    private static final SlaTargets TARGETS = new SlaTargets(Map.of("*", new SlaTargets.Target(0.95, 0.0, 0.0, 0.0, 20)));
    private static final Duration WINDOW = Duration.ofHours(24);

    private static KeyedOneInputStreamOperatorTestHarness<String, UnitHourCounts, SlaAlert> harness(
            OneInputStreamOperator<UnitHourCounts, SlaAlert> operator) throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(operator, c -> c.unitCode, Types.STRING);
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, UnitHourCounts, SlaAlert> harness(boolean boundedInput) throws Exception {
        return harness(KpiBreachDetector.operator(TARGETS, 0.005, WINDOW, boundedInput));
    }

    /** The count of hour h: {@code resolved} dossiers ended, {@code late} of them late. */
    private static void hour(KeyedOneInputStreamOperatorTestHarness<String, UnitHourCounts, SlaAlert> h, int hour, int resolved, int late) throws Exception {
        long[] c = new long[Measure.COUNT];
        c[Measure.RESOLVED.ordinal()] = resolved;
        c[Measure.RESOLVED_LATE.ordinal()] = late;
        c[Measure.RESOLVED_ON_TIME.ordinal()] = resolved - late;
        h.processElement(new StreamRecord<>(new UnitHourCounts("11248", T0 + hour * H, c), T0 + hour * H));
    }

    private static List<String> alerts(KeyedOneInputStreamOperatorTestHarness<String, UnitHourCounts, SlaAlert> h) {
        return h.extractOutputValues().stream().map(GhostBreachesTest::text).toList();
    }

    /** The alert with its opening hour counted from T0. */
    private static String text(SlaAlert a) {
        return a.id.substring(0, a.id.lastIndexOf('|')) + "|h" + (a.openedAt - T0) / H
                + (a.retracted ? " RETRACTED" : a.isOpen() ? " open" : " closed h" + (a.closedAt - T0) / H);
    }

    private static final String AT_25 = "KPI_BELOW_TARGET|11248|ON_TIME_RATE|h25";

    /** Hours 0–23 on time, evaluated up to the boundary of hour 24 (the checkpoint's watermark). */
    private static void quietDay(KeyedOneInputStreamOperatorTestHarness<String, UnitHourCounts, SlaAlert> h) throws Exception {
        for (int hour = 0; hour < 24; hour++) {
            hour(h, hour, 20, 0);
            h.processWatermark(T0 + (hour + 1) * H);
        }
    }

    /** The failed attempt: snapshot C at hour 24, then hour 24's first count and the boundary of hour 25: the ghost. */
    private static OperatorSubtaskState failedAttempt(boolean boundedInput) throws Exception {
        try (var h = harness(boundedInput)) {
            h.open();
            quietDay(h);
            OperatorSubtaskState c = h.snapshot(1, T0 + 24 * H);
            assertThat(alerts(h)).as("nothing before the checkpoint").isEmpty();
            hour(h, 24, 40, 40);
            h.processWatermark(T0 + 25 * H);
            assertThat(alerts(h)).as("the ghost, written at once by the live sink").containsExactly(AT_25 + " open");
            return c;
        }
    }

    /** The restored attempt: hour 24's corrected count comes before the watermark reaches hour 25. */
    private static List<String> restoredAttempt(OperatorSubtaskState c, boolean boundedInput) throws Exception {
        try (var h = harness(boundedInput)) {
            h.initializeState(c);
            h.open();
            hour(h, 24, 40, 2);
            h.processWatermark(T0 + 26 * H);
            return alerts(h);
        }
    }

    @Test
    void theRestoredAttemptRetractsTheBreachItsFailedAttemptWrote() throws Exception {
        assertThat(restoredAttempt(failedAttempt(false), false)).containsExactly(
                AT_25 + " RETRACTED",
                // Hour 26 is inside the window too (the failed attempt could have got that far): retracted in case,
                // which deletes nothing. The KPIs without a target never open a breach, so none is retracted for them.
                "KPI_BELOW_TARGET|11248|ON_TIME_RATE|h26 RETRACTED");
    }

    @Test
    void hoursUpToTheCheckpointsWatermarkAreNotRetractedAndARealBreachStands() throws Exception {
        OperatorSubtaskState c = failedAttempt(false);
        try (var h = harness(false)) {
            h.initializeState(c);
            h.open();
            // A late correction of hour 5: hours 6..24 are evaluated again, all at or before the checkpoint's watermark.
            // After a first watermark, so that the re-evaluation is timed at this watermark (a count before any
            // watermark re-evaluates at the first one: KpiBreachDetectorTest.aCorrectionBeforeTheFirstWatermark...).
            h.processWatermark(T0 + 24 * H);
            hour(h, 5, 20, 1);
            h.processWatermark(T0 + 24 * H + 1);
            assertThat(alerts(h)).isEmpty();
            // This attempt sees the same count of hour 24 as the failed one: the breach opens again, over the same row.
            hour(h, 24, 40, 40);
            h.processWatermark(T0 + 25 * H);
            assertThat(alerts(h)).containsExactly(AT_25 + " open");
        }
    }

    @Test
    void anAttemptThatWasNotRestoredRetractsNothing() throws Exception {
        try (var h = harness(false)) {
            h.open();
            quietDay(h);
            hour(h, 24, 40, 2);
            h.processWatermark(T0 + 26 * H);
            assertThat(alerts(h)).isEmpty();
        }
    }

    @Test
    void aBoundedRunRetractsNothingAfterARestore() throws Exception {
        // Its alerts are committed with its checkpoints: the failed attempt's breach never reached the table.
        assertThat(restoredAttempt(failedAttempt(true), true)).isEmpty();
    }

    @Test
    void aSnapshotWithoutTheCheckpointsWatermarkRetractsNothing() throws Exception {
        // Taken by the detector before it kept the watermark (a plain keyed process operator, as before): no window.
        OperatorSubtaskState old;
        try (var h = harness(new KeyedProcessOperator<>(new KpiBreachDetector(TARGETS, 0.005, WINDOW)))) {
            h.open();
            quietDay(h);
            old = h.snapshot(1, T0 + 24 * H);
        }
        assertThat(restoredAttempt(old, false)).isEmpty();
    }

    @Test
    void theWindowStartsAtTheLowestWatermarkOfTheCheckpointsSubtasks() throws Exception {
        // Two subtasks' snapshots of one checkpoint, merged as in a restore with parallelism 1 (union list state): the
        // one whose watermark is behind (hour 23) widens the window to the boundary of hour 24, evaluated again here.
        OperatorSubtaskState ahead = failedAttempt(false);
        OperatorSubtaskState behind;
        try (var h = harness(false)) {
            h.open();
            h.processWatermark(T0 + 23 * H);
            behind = h.snapshot(1, 1);
        }
        try (var h = harness(false)) {
            h.initializeState(org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness.repackageState(ahead, behind));
            h.open();
            h.processWatermark(T0 + 23 * H);
            hour(h, 5, 20, 1);
            h.processWatermark(T0 + 24 * H);
            assertThat(alerts(h)).containsExactly("KPI_BELOW_TARGET|11248|ON_TIME_RATE|h24 RETRACTED");
        }
    }
}

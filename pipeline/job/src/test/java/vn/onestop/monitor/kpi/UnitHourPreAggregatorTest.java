package vn.onestop.monitor.kpi;

import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import vn.onestop.monitor.units.UnitRegistry;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Changes to unit-hour counts are summed per unit and hour only between flushes: on a watermark, before a checkpoint
 * barrier, at the end of input, on size and on the processing-time interval everything summed leaves (with its
 * parent copies), so the operator needs no state and the counts downstream stay exact.
 */
class UnitHourPreAggregatorTest {
    /** 2025-06-15 10:00 local: Xã Cao Thắng (11278) is under Huyện Thanh Miện (300) and Tỉnh Hải Dương (30). */
    private static final long H = Instant.parse("2025-06-15T03:00:00Z").toEpochMilli();
    private static final long HOUR = 3_600_000L;
    private static UnitRegistry registry;

    @BeforeAll
    static void load() throws Exception {
        registry = UnitRegistry.default2025();
    }

    private static OneInputStreamOperatorTestHarness<UnitHourDelta, UnitHourDelta> harness(boolean rollup, int maxKeys, long intervalMs) throws Exception {
        var h = new OneInputStreamOperatorTestHarness<UnitHourDelta, UnitHourDelta>(
                new UnitHourPreAggregator(rollup ? new ParentRollup(registry) : null, maxKeys, intervalMs));
        h.setProcessingTime(0);
        h.open();
        return h;
    }

    private static void change(OneInputStreamOperatorTestHarness<UnitHourDelta, UnitHourDelta> h, String unit, long hour, int sign, Measure... measures) throws Exception {
        UnitHourDelta d = UnitHourDelta.single(unit, hour, measures);
        for (int i = 0; i < d.delta.length; i++) {
            d.delta[i] *= sign;
        }
        h.processElement(new StreamRecord<>(d, hour));
    }

    /** "unit hour(+n) RECEIVED=1 ..." with only the non-zero measures, and "^" for a rolled-up copy. */
    private static List<String> sums(OneInputStreamOperatorTestHarness<UnitHourDelta, UnitHourDelta> h) {
        List<String> out = new ArrayList<>();
        for (UnitHourDelta d : h.extractOutputValues()) {
            StringBuilder b = new StringBuilder(d.rolledUp ? "^" : "").append(d.unitCode).append(" +").append((d.hourStart - H) / HOUR);
            for (Measure m : Measure.values()) {
                if (d.delta[m.ordinal()] != 0) {
                    b.append(' ').append(m).append('=').append(d.delta[m.ordinal()]);
                }
            }
            out.add(b.toString());
        }
        return out;
    }

    @Test
    void onAWatermarkOneSumPerUnitAndHourLeavesBeforeIt() throws Exception {
        try (var h = harness(false, 4096, 0)) {
            // A dossier resolved on time, then a late event makes it late in the same hour; another unit receives one.
            change(h, "11278", H, 1, Measure.RESOLVED, Measure.RESOLVED_ON_TIME);
            change(h, "11278", H, -1, Measure.RESOLVED_ON_TIME);
            change(h, "11278", H, 1, Measure.RESOLVED_LATE);
            change(h, "11248", H + HOUR, 1, Measure.RECEIVED);
            assertThat(h.getOutput()).as("held until a flush").isEmpty();
            h.processWatermark(new Watermark(H + 2 * HOUR));
            List<Object> out = new ArrayList<>(h.getOutput());
            assertThat(out).hasSize(3);
            assertThat(out.get(2)).as("the watermark comes after the sums").isEqualTo(new Watermark(H + 2 * HOUR));
            assertThat(sums(h)).containsExactlyInAnyOrder("11278 +0 RESOLVED=1 RESOLVED_LATE=1", "11248 +1 RECEIVED=1");

            h.getOutput().clear();
            h.processWatermark(new Watermark(H + 3 * HOUR));
            assertThat(h.extractOutputValues()).as("nothing summed since, nothing emitted").isEmpty();
        }
    }

    @Test
    void aSumThatCancelsOutStillLeavesSoTheTouchedHourGetsItsRow() throws Exception {
        try (var h = harness(false, 4096, 0)) {
            // Resolved in this hour, then a late event moves the end to another hour: this hour's sum is all zeros.
            change(h, "11278", H, 1, Measure.RESOLVED, Measure.RESOLVED_EARLY);
            change(h, "11278", H, -1, Measure.RESOLVED, Measure.RESOLVED_EARLY);
            change(h, "11278", H + HOUR, 1, Measure.RESOLVED, Measure.RESOLVED_EARLY);
            h.endInput();
            assertThat(sums(h)).containsExactlyInAnyOrder("11278 +0", "11278 +1 RESOLVED=1 RESOLVED_EARLY=1");
        }
    }

    @Test
    void eachSumIsFollowedByItsCopiesForTheParentUnits() throws Exception {
        try (var h = harness(true, 4096, 0)) {
            change(h, "11278", H, 1, Measure.RECEIVED, Measure.RECEIVED_ONLINE);
            change(h, "11278", H, 1, Measure.RECEIVED, Measure.RECEIVED_DIRECT);
            h.processWatermark(new Watermark(H + HOUR));
            assertThat(sums(h)).containsExactly(
                    "11278 +0 RECEIVED=2 RECEIVED_ONLINE=1 RECEIVED_DIRECT=1",
                    "^300 +0 RECEIVED=2 RECEIVED_ONLINE=1 RECEIVED_DIRECT=1",
                    "^30 +0 RECEIVED=2 RECEIVED_ONLINE=1 RECEIVED_DIRECT=1");
        }
    }

    @Test
    void beforeACheckpointBarrierEverythingSummedLeavesAndTheSnapshotHoldsNothing() throws Exception {
        try (var h = harness(false, 4096, 0)) {
            change(h, "11278", H, 1, Measure.RECEIVED);
            change(h, "11278", H, 1, Measure.RECEIVED);
            h.prepareSnapshotPreBarrier(1);
            assertThat(sums(h)).containsExactly("11278 +0 RECEIVED=2");
            var snapshot = h.snapshot(1, H);
            assertThat(snapshot.getManagedOperatorState()).as("no operator state").isEmpty();
            assertThat(snapshot.getRawOperatorState()).isEmpty();
        }
    }

    @Test
    void aFullBufferFlushesOnItsOwn() throws Exception {
        try (var h = harness(false, 2, 0)) {
            change(h, "11278", H, 1, Measure.RECEIVED);
            change(h, "11278", H, 1, Measure.RECEIVED);
            assertThat(h.getOutput()).as("one unit-hour: below the limit").isEmpty();
            change(h, "11278", H + HOUR, 1, Measure.RECEIVED);
            assertThat(sums(h)).as("the second unit-hour reaches the limit").containsExactlyInAnyOrder("11278 +0 RECEIVED=2", "11278 +1 RECEIVED=1");
        }
    }

    @Test
    void withoutWatermarksTheProcessingTimeIntervalFlushes() throws Exception {
        try (var h = harness(false, 4096, 200)) {
            change(h, "11278", H, 1, Measure.RECEIVED);
            h.setProcessingTime(199);
            assertThat(h.getOutput()).isEmpty();
            h.setProcessingTime(200);
            assertThat(sums(h)).containsExactly("11278 +0 RECEIVED=1");
            h.getOutput().clear();
            change(h, "11278", H, 1, Measure.WITHDRAWN);
            h.setProcessingTime(400);
            assertThat(sums(h)).as("the interval goes on").containsExactly("11278 +0 WITHDRAWN=1");
        }
    }
}

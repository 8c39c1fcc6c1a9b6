package vn.onestop.monitor.ingest;

import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static vn.onestop.monitor.ingest.Tally.Outcome.ACCEPTED;
import static vn.onestop.monitor.ingest.Tally.Outcome.READ;

/**
 * The pre-aggregator holds tallies only between flushes: on a watermark, before a checkpoint barrier, at the end of
 * input, on size and on its processing-time interval, everything it summed leaves, so nothing needs state.
 */
class TallyPreAggregatorTest {
    private static final long T = 1_705_287_600_000L;
    private static final int DAY = new Tally("x", T, READ).day;

    private static OneInputStreamOperatorTestHarness<Tally, TallySum> harness(int maxKeys, long intervalMs) throws Exception {
        var h = new OneInputStreamOperatorTestHarness<Tally, TallySum>(new TallyPreAggregator(maxKeys, intervalMs));
        h.setProcessingTime(0);
        h.open();
        return h;
    }

    private static void feed(OneInputStreamOperatorTestHarness<Tally, TallySum> h, String topic, int days, Tally.Outcome... outcomes) throws Exception {
        for (Tally.Outcome o : outcomes) {
            h.processElement(new StreamRecord<>(new Tally(topic, T + days * 86_400_000L, o), T));
        }
    }

    @Test
    void onAWatermarkTheSumsLeaveBeforeIt() throws Exception {
        try (var h = harness(1024, 0)) {
            feed(h, "dossier-events", 0, READ, READ, ACCEPTED);
            feed(h, "qr-feedback", 0, READ);
            assertThat(h.getOutput()).as("held until a flush").isEmpty();
            h.processWatermark(new Watermark(T));
            List<Object> out = new ArrayList<>(h.getOutput());
            assertThat(out).hasSize(3);
            assertThat(out.get(2)).as("the watermark comes after the sums").isEqualTo(new Watermark(T));
            assertThat(sums(h)).containsExactlyInAnyOrder("dossier-events|" + DAY + " 2 1 0 0", "qr-feedback|" + DAY + " 1 0 0 0");

            h.getOutput().clear();
            h.processWatermark(new Watermark(T + 1));
            assertThat(h.extractOutputValues()).as("nothing summed since, nothing emitted").isEmpty();
        }
    }

    @Test
    void beforeACheckpointBarrierEverythingSummedLeavesAndTheSnapshotHoldsNothing() throws Exception {
        try (var h = harness(1024, 0)) {
            feed(h, "dossier-events", 0, READ, ACCEPTED);
            h.prepareSnapshotPreBarrier(1);
            assertThat(sums(h)).containsExactly("dossier-events|" + DAY + " 1 1 0 0");
            var snapshot = h.snapshot(1, T);
            assertThat(snapshot.getManagedOperatorState()).as("no operator state").isEmpty();
            assertThat(snapshot.getRawOperatorState()).isEmpty();
        }
    }

    @Test
    void atTheEndOfInputTheRestLeaves() throws Exception {
        try (var h = harness(1024, 0)) {
            feed(h, "dossier-events", 0, READ);
            feed(h, "dossier-events", 1, READ);
            h.endInput();
            assertThat(sums(h)).containsExactlyInAnyOrder("dossier-events|" + DAY + " 1 0 0 0", "dossier-events|" + (DAY + 1) + " 1 0 0 0");
        }
    }

    @Test
    void aFullBufferFlushesOnItsOwn() throws Exception {
        try (var h = harness(2, 0)) {
            feed(h, "dossier-events", 0, READ, READ);
            assertThat(h.getOutput()).as("one key: below the limit").isEmpty();
            feed(h, "dossier-events", 1, READ);
            assertThat(sums(h)).as("the second key reaches the limit").containsExactlyInAnyOrder(
                    "dossier-events|" + DAY + " 2 0 0 0", "dossier-events|" + (DAY + 1) + " 1 0 0 0");
        }
    }

    @Test
    void withoutWatermarksTheProcessingTimeIntervalFlushes() throws Exception {
        try (var h = harness(1024, 1000)) {
            feed(h, "dossier-events", 0, READ);
            h.setProcessingTime(999);
            assertThat(h.getOutput()).isEmpty();
            h.setProcessingTime(1000);
            assertThat(sums(h)).containsExactly("dossier-events|" + DAY + " 1 0 0 0");
            h.getOutput().clear();
            feed(h, "dossier-events", 0, ACCEPTED);
            h.setProcessingTime(2000);
            assertThat(sums(h)).as("the interval goes on").containsExactly("dossier-events|" + DAY + " 0 1 0 0");
        }
    }

    private static List<String> sums(OneInputStreamOperatorTestHarness<Tally, TallySum> h) {
        List<String> out = new ArrayList<>();
        for (TallySum s : h.extractOutputValues()) {
            StringBuilder b = new StringBuilder(s.key());
            for (long c : s.counts) {
                b.append(' ').append(c);
            }
            out.add(b.toString());
        }
        return out;
    }
}

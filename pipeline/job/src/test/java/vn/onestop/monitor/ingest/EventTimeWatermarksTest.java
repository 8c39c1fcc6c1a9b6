package vn.onestop.monitor.ingest;

import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Live watermarks on a hand-driven clock: out-of-orderness 200 ms, idle after 2 s, idle lag 1 s, caught up within 60 s. */
class EventTimeWatermarksTest {
    private static final long DAY = 86_400_000L;
    private long now = 1_700_000_000_000L;
    private final List<String> out = new ArrayList<>();
    private final WatermarkOutput output = new WatermarkOutput() {
        @Override
        public void emitWatermark(Watermark w) {
            out.add("wm " + (w.getTimestamp() - now));
        }

        @Override
        public void markIdle() {
            out.add("idle");
        }

        @Override
        public void markActive() {
            out.add("active");
        }
    };
    /** A live source on a topic that held a backlog for this job at start. */
    private EventTimeWatermarks<DossierEvent> wm = new EventTimeWatermarks<>(200, 2_000, 1_000, 60_000, true, () -> now);

    private void read(long occurredAt, long appendedAt) {
        DossierEvent e = new DossierEvent();
        e.occurredAt = occurredAt;
        e.recordTimestamp = appendedAt;
        wm.onEvent(e, occurredAt, output);
    }

    private void tick(long millis) {
        now += millis;
        wm.onPeriodicEmit(output);
    }

    @Test
    void beforeAnyRecordASourceWithABacklogWaitsForItsRecordsHoweverLongTheyTake() {
        tick(10_000);
        tick(600_000);
        assertThat(out).as("neither the wall clock nor idle: either would let other sources' progress overtake its history").isEmpty();
    }

    @Test
    void beforeAnyRecordASourceWithNothingToReadFollowsTheWallClockWhenQuiet() {
        wm = new EventTimeWatermarks<>(200, 2_000, 1_000, 60_000, false, () -> now);
        tick(1_000);
        assertThat(out).isEmpty();
        tick(1_000);
        assertThat(out).containsExactly("wm -1000");
    }

    @Test
    void aQuietSpellWhileReadingHistoryKeepsEventTimeWithTheData() {
        long ninetyDaysAgo = now - 90 * DAY;
        read(ninetyDaysAgo, ninetyDaysAgo + 1_000);
        tick(50);
        long first = ninetyDaysAgo - 201 - now;
        tick(5_000);
        tick(60_000);
        assertThat(out).containsExactly("wm " + first);
        // The history goes on: event time follows the data, not the wall clock.
        read(ninetyDaysAgo + DAY, ninetyDaysAgo + DAY + 1_000);
        tick(50);
        assertThat(out.get(out.size() - 1)).isEqualTo("wm " + (ninetyDaysAgo + DAY - 201 - now));
    }

    @Test
    void onceCaughtUpAQuietSourceFollowsTheWallClock() {
        read(now - 500, now - 100);
        tick(50);
        tick(3_000);
        assertThat(out.get(out.size() - 1)).isEqualTo("wm -1000");
    }

    @Test
    void anEventDatedInTheFutureDoesNotTakeEventTimePastTheWallClock() {
        read(now - 1_000, now - 900);
        read(now + 20 * 3_600_000L, now - 800);
        tick(50);
        assertThat(out).containsExactly("wm -201");
        tick(1_000);
        assertThat(out.get(out.size() - 1)).isEqualTo("wm -201");
    }
}

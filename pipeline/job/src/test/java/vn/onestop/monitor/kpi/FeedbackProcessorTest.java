package vn.onestop.monitor.kpi;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import vn.onestop.monitor.ingest.DeadLetterReason;
import vn.onestop.monitor.ingest.Feedback;
import vn.onestop.monitor.ingest.Rating;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static vn.onestop.monitor.kpi.Events.t;

class FeedbackProcessorTest {
    private static final long DAY = 86_400_000L;
    private KeyedOneInputStreamOperatorTestHarness<String, Feedback, UnitHourDelta> harness;

    @BeforeEach
    void open() throws Exception {
        harness = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new FeedbackProcessor(new Lateness(Duration.ofDays(30)))), f -> f.feedbackId, Types.STRING);
        harness.open();
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    private static Feedback rating(String id, String at) {
        Feedback f = new Feedback();
        f.feedbackId = id;
        f.unitCode = "11248";
        f.submittedAt = t(at);
        f.rating = Rating.SATISFIED;
        f.topic = "qr-feedback";
        f.recordTimestamp = f.submittedAt;
        return f;
    }

    private void send(Feedback f) throws Exception {
        harness.processElement(new StreamRecord<>(f, f.submittedAt));
    }

    private long ratingsCounted() {
        return harness.extractOutputValues().stream().mapToLong(d -> d.delta[Measure.RATINGS.ordinal()]).sum();
    }

    @Test
    void aRatingIsCountedOnceAndForgottenOnlyWhenACopyCouldNoLongerBeCounted() throws Exception {
        send(rating("F1", "2024-03-01T10:00"));
        send(rating("F1", "2024-03-01T10:00"));
        assertThat(ratingsCounted()).isEqualTo(1);
        assertThat(harness.numKeyedStateEntries()).isEqualTo(1);

        // 59 days on, a copy is still recognised as a duplicate: nothing counted, nothing dead-lettered.
        harness.processWatermark(t("2024-03-01T10:00") + 59 * DAY);
        send(rating("F1", "2024-03-01T10:00"));
        assertThat(ratingsCounted()).isEqualTo(1);
        assertThat(harness.getSideOutput(FeedbackProcessor.REFUSED)).isNull();
        assertThat(harness.numKeyedStateEntries()).isEqualTo(1);

        // Twice the 30-day horizon later (rounded up to a midnight) the id leaves the state; a copy arriving then is
        // more than the horizon behind event time, so it is refused, never counted a second time.
        harness.processWatermark(t("2024-03-01T10:00") + 61 * DAY);
        assertThat(harness.numKeyedStateEntries()).isZero();
        send(rating("F1", "2024-03-01T10:00"));
        assertThat(ratingsCounted()).isEqualTo(1);
        assertThat(harness.getSideOutput(FeedbackProcessor.REFUSED)).extracting(r -> r.getValue().reason)
                .containsExactly(DeadLetterReason.TOO_LATE);
    }
}

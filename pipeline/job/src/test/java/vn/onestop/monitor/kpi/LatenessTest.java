package vn.onestop.monitor.kpi;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** The lateness horizon's arithmetic with a 30-day horizon, expectations worked out by hand in each row. */
class LatenessTest {
    private final Lateness lateness = new Lateness(Duration.ofDays(30));

    private static long t(String instant) {
        return Instant.parse(instant).toEpochMilli();
    }

    @ParameterizedTest(name = "event {0}, watermark {1} -> too late {2}")
    @CsvSource({
            // 2024-03-31T00:00Z minus 30 days is 2024-03-01T00:00Z: exactly the horizon is still accepted.
            "2024-03-01T00:00:00Z,     2024-03-31T00:00:00Z, false",
            "2024-02-29T23:59:59.999Z, 2024-03-31T00:00:00Z, true",
            "2024-03-30T00:00:00Z,     2024-03-31T00:00:00Z, false",
            // An event ahead of the watermark is never late.
            "2024-04-01T00:00:00Z,     2024-03-31T00:00:00Z, false",
    })
    void tooLateIsStrictlyBeyondTheHorizon(String event, String watermark, boolean tooLate) {
        assertThat(lateness.isTooLate(t(event), t(watermark))).isEqualTo(tooLate);
    }

    @Test
    void nothingIsLateBeforeTheFirstWatermark() {
        assertThat(lateness.isTooLate(t("1970-01-02T00:00:00Z"), Long.MIN_VALUE)).isFalse();
        assertThat(lateness.isFinalHour(t("1970-01-02T00:00:00Z"), Long.MIN_VALUE)).isFalse();
    }

    @ParameterizedTest(name = "hour {0}: final at {1}; watermark {2} -> final {3}")
    @CsvSource({
            // The hour 10:00-11:00 on 1 March is final once nothing inside the horizon can fall in it: 11:00 + 30 days.
            "2024-03-01T10:00:00Z, 2024-03-31T11:00:00Z, 2024-03-31T11:00:00Z,     true",
            "2024-03-01T10:00:00Z, 2024-03-31T11:00:00Z, 2024-03-31T10:59:59.999Z, false",
            // Across the end of February in a leap year: 29 + 1 days.
            "2024-02-01T23:00:00Z, 2024-03-03T00:00:00Z, 2024-03-03T00:00:00Z,     true",
    })
    void anHourIsFinalAHorizonAfterItsEnd(String hour, String finalAt, String watermark, boolean isFinal) {
        assertThat(lateness.hourFinalAt(t(hour))).isEqualTo(t(finalAt));
        assertThat(lateness.isFinalHour(t(hour), t(watermark))).isEqualTo(isFinal);
        // The two rules agree: the hour's last millisecond becomes too late exactly when the hour becomes final, so
        // no accepted event can ever change a final hour's counts (earlier moments of the hour are refused sooner).
        long lastMoment = t(hour) + Duration.ofHours(1).toMillis() - 1;
        assertThat(lateness.isTooLate(lastMoment, t(watermark))).isEqualTo(isFinal);
    }

    @ParameterizedTest(name = "last event {0} -> state expires {1}")
    @CsvSource({
            // Twice the horizon (60 days) later, then up to the next UTC midnight. 2024-01-01 + 60 days = 2024-03-01.
            "2024-01-01T00:00:00Z,     2024-03-02T00:00:00Z",
            "2024-01-01T16:59:00Z,     2024-03-02T00:00:00Z",
            "2024-01-01T23:59:59.999Z, 2024-03-02T00:00:00Z",
            "2024-01-02T00:00:00Z,     2024-03-03T00:00:00Z",
            // Not a leap year: 2023-01-01 + 60 days = 2023-03-02.
            "2023-01-01T12:00:00Z,     2023-03-03T00:00:00Z",
    })
    void stateExpiresTwoHorizonsLaterAtTheNextMidnight(String lastEvent, String expiry) {
        assertThat(lateness.stateExpiry(t(lastEvent))).isEqualTo(t(expiry));
    }
}

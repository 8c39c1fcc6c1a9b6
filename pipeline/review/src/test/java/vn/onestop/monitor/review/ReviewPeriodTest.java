package vn.onestop.monitor.review;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.LocalDate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReviewPeriodTest {
    @Test
    void parsesTheThreeFormsMakeReviewAccepts() {
        assertThat(ReviewPeriod.parse("2024-03")).isEqualTo(new ReviewPeriod(ReviewPeriod.Type.MONTH, LocalDate.of(2024, 3, 1)));
        assertThat(ReviewPeriod.parse("2024-Q1")).isEqualTo(new ReviewPeriod(ReviewPeriod.Type.QUARTER, LocalDate.of(2024, 1, 1)));
        assertThat(ReviewPeriod.parse("2024-q4")).isEqualTo(new ReviewPeriod(ReviewPeriod.Type.QUARTER, LocalDate.of(2024, 10, 1)));
        assertThat(ReviewPeriod.parse(" 2024 ")).isEqualTo(new ReviewPeriod(ReviewPeriod.Type.YEAR, LocalDate.of(2024, 1, 1)));
    }

    @Test
    void labelsMatchTheViewsPeriodLabel() {
        // unit_review's period_label uses the same spelling; the report looks periods up by type and start.
        assertThat(ReviewPeriod.parse("2024-03").label()).isEqualTo("2024-03");
        assertThat(ReviewPeriod.parse("2024-q3").label()).isEqualTo("2024-Q3");
        assertThat(ReviewPeriod.parse("2024").label()).isEqualTo("2024");
        assertThat(ReviewPeriod.parse("2024-Q2").vietnamese()).isEqualTo("quý II/2024");
        assertThat(ReviewPeriod.parse("2024-03").vietnamese()).isEqualTo("tháng 03/2024");
    }

    @Test
    void previousPeriodsCrossQuarterAndYearBoundaries() {
        assertThat(ReviewPeriod.parse("2024-01").previous().label()).isEqualTo("2023-12");
        assertThat(ReviewPeriod.parse("2024-Q1").previous().label()).isEqualTo("2023-Q4");
        assertThat(ReviewPeriod.parse("2024").previous().label()).isEqualTo("2023");
        assertThat(ReviewPeriod.parse("2024-Q1").end()).isEqualTo(LocalDate.of(2024, 4, 1));
        assertThat(ReviewPeriod.parse("2024-02").lastPeriods(6)).extracting(ReviewPeriod::label)
                .containsExactly("2023-09", "2023-10", "2023-11", "2023-12", "2024-01", "2024-02");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "2024-13", "2024-Q5", "24-03", "2024-3", "March 2024", "2024-03-01"})
    void rejectsAnythingElseWithTheAcceptedForms(String text) {
        assertThatThrownBy(() -> ReviewPeriod.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("2024-Q1");
    }

    @Test
    void aPeriodMustStartOnItsFirstDay() {
        assertThatThrownBy(() -> new ReviewPeriod(ReviewPeriod.Type.QUARTER, LocalDate.of(2024, 2, 1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}

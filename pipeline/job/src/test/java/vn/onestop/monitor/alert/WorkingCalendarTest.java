package vn.onestop.monitor.alert;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class WorkingCalendarTest {
    private final WorkingCalendar calendar = WorkingCalendar.officeWeek(
            Set.of(LocalDate.of(2024, 9, 2), LocalDate.of(2024, 9, 3)),
            Set.of(LocalDate.of(2024, 5, 4)));

    private static long t(String local) {
        return OffsetDateTime.parse(local + "+07:00").toInstant().toEpochMilli();
    }

    @Test
    void fourWorkingHoursBeforeMondayMorningReachBackIntoFriday() {
        // Monday 07:30–09:30 gives 2 h; the other 2 h come from Friday afternoon, not from the weekend.
        assertThat(calendar.workingTimeBefore(t("2024-03-11T09:30:00"), Duration.ofHours(4))).isEqualTo(t("2024-03-08T15:00:00"));
    }

    @Test
    void theLunchBreakDoesNotCount() {
        // 14:30 → 13:30 is 1 h, then the morning session from 11:30 back: 3 h more reaches 08:30.
        assertThat(calendar.workingTimeBefore(t("2024-03-12T14:30:00"), Duration.ofHours(4))).isEqualTo(t("2024-03-12T08:30:00"));
    }

    @Test
    void publicHolidaysAreSkipped() {
        // Wednesday 4 Sep 2024 after the National Day holidays (Mon 2, Tue 3): back to Friday 30 Aug.
        assertThat(calendar.workingTimeBefore(t("2024-09-04T09:30:00"), Duration.ofHours(4))).isEqualTo(t("2024-08-30T15:00:00"));
    }

    @Test
    void aMakeUpSaturdayIsAWorkingDay() {
        assertThat(calendar.isWorkingDay(LocalDate.of(2024, 5, 4))).isTrue();
        assertThat(calendar.workingTimeBefore(t("2024-05-06T09:30:00"), Duration.ofHours(4))).isEqualTo(t("2024-05-04T15:00:00"));
    }

    @Test
    void measuresWorkingTimeBetweenInstants() {
        assertThat(calendar.workingTimeBetween(t("2024-03-08T15:00:00"), t("2024-03-11T09:30:00"))).isEqualTo(Duration.ofHours(4));
    }
}

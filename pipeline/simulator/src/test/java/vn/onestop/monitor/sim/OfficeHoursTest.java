package vn.onestop.monitor.sim;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;

import static org.assertj.core.api.Assertions.assertThat;

class OfficeHoursTest {
    static final ZoneId VN = ZoneId.of("Asia/Ho_Chi_Minh");

    static Instant local(String dateTime) {
        return LocalDateTime.parse(dateTime).atZone(VN).toInstant();
    }

    @Test
    void workingTimeSkipsLunchNightsAndWeekends() {
        // Friday 11:00 + 1 h: 30 min before lunch, 30 min after.
        assertThat(OfficeHours.plusWorkingTime(local("2024-01-19T11:00"), Duration.ofHours(1))).isEqualTo(local("2024-01-19T14:00"));
        // Friday 16:30 + 1 h: 30 min left on Friday, the rest on Monday morning.
        assertThat(OfficeHours.plusWorkingTime(local("2024-01-19T16:30"), Duration.ofHours(1))).isEqualTo(local("2024-01-22T08:00"));
        // Saturday night counts from Monday's opening.
        assertThat(OfficeHours.plusWorkingTime(local("2024-01-20T21:00"), Duration.ofMinutes(45))).isEqualTo(local("2024-01-22T08:15"));
        // Ending exactly at closing time stays on that day.
        assertThat(OfficeHours.plusWorkingTime(local("2024-01-19T16:00"), Duration.ofHours(1))).isEqualTo(local("2024-01-19T17:00"));
    }

    @Test
    void workingTimeBetweenUndoesPlusWorkingTime() {
        Instant from = local("2024-01-18T10:17");
        for (long minutes : new long[]{0, 1, 73, 450, 451, 2000, 10_000}) {
            Instant to = OfficeHours.plusWorkingTime(from, Duration.ofMinutes(minutes));
            assertThat(OfficeHours.workingTimeBetween(from, to)).isEqualTo(Duration.ofMinutes(minutes));
        }
        assertThat(OfficeHours.workingTimeBetween(local("2024-01-19T17:00"), local("2024-01-22T07:30"))).isZero();
    }

    @Test
    void appointmentsFollowTheStatutoryTime() {
        // Two-hour certification received mid-morning: due two office hours later, across lunch.
        assertThat(OfficeHours.appointment(local("2024-01-15T10:30"), 2)).isEqualTo(local("2024-01-15T14:30"));
        // One statutory day: 17:00 on the next working day.
        assertThat(OfficeHours.appointment(local("2024-01-15T08:30"), 8)).isEqualTo(local("2024-01-16T17:00"));
        // Three statutory days from a Thursday: Friday, Monday, Tuesday.
        assertThat(OfficeHours.appointment(local("2024-01-18T09:00"), 24)).isEqualTo(local("2024-01-23T17:00"));
        // Filed online on a Sunday: the first working day is Monday.
        assertThat(OfficeHours.appointment(local("2024-01-21T20:00"), 8)).isEqualTo(local("2024-01-22T17:00"));
    }

    @Test
    void workingSecondsMapOntoOpeningHours() {
        LocalDate monday = LocalDate.of(2024, 1, 15);
        assertThat(OfficeHours.atWorkingSecond(monday, 0)).isEqualTo(local("2024-01-15T07:30"));
        assertThat(OfficeHours.atWorkingSecond(monday, 4 * 3600)).isEqualTo(local("2024-01-15T13:30"));
        assertThat(OfficeHours.atWorkingSecond(monday, OfficeHours.WORKING_SECONDS_PER_DAY - 1)).isEqualTo(local("2024-01-15T16:59:59"));
    }
}

package vn.onestop.monitor.sim;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/**
 * The one-stop offices' working week in local time: Monday to Friday, 07:30–11:30 and 13:30–17:00.
 * Public holidays (Tết, 30/4, 2/9…) are not modelled: the simulated offices simply work through them.
 */
final class OfficeHours {
    static final ZoneId ZONE = ZoneId.of("Asia/Ho_Chi_Minh");
    static final LocalTime MORNING_OPEN = LocalTime.of(7, 30);
    static final LocalTime MORNING_CLOSE = LocalTime.of(11, 30);
    static final LocalTime AFTERNOON_OPEN = LocalTime.of(13, 30);
    static final LocalTime AFTERNOON_CLOSE = LocalTime.of(17, 0);
    static final long MORNING_SECONDS = Duration.between(MORNING_OPEN, MORNING_CLOSE).toSeconds();
    static final long WORKING_SECONDS_PER_DAY =
            MORNING_SECONDS + Duration.between(AFTERNOON_OPEN, AFTERNOON_CLOSE).toSeconds();
    /** Vietnamese administrative practice converts statutory hours to days at eight hours a day. */
    static final int STATUTORY_HOURS_PER_DAY = 8;

    private OfficeHours() {
    }

    static boolean isWorkingDay(LocalDate day) {
        DayOfWeek d = day.getDayOfWeek();
        return d != DayOfWeek.SATURDAY && d != DayOfWeek.SUNDAY;
    }

    /** The n-th working day strictly after {@code day} (n >= 1). */
    static LocalDate plusWorkingDays(LocalDate day, int n) {
        LocalDate d = day;
        int left = n;
        while (left > 0) {
            d = d.plusDays(1);
            if (isWorkingDay(d)) {
                left--;
            }
        }
        return d;
    }

    static Instant closeOf(LocalDate day) {
        return day.atTime(AFTERNOON_CLOSE).atZone(ZONE).toInstant();
    }

    /**
     * The instant that lies {@code secondOfWorkingDay} seconds of office time into {@code day}, skipping lunch;
     * lets arrivals be spread uniformly over the hours the counter is actually open.
     */
    static Instant atWorkingSecond(LocalDate day, long secondOfWorkingDay) {
        LocalTime t = secondOfWorkingDay < MORNING_SECONDS
                ? MORNING_OPEN.plusSeconds(secondOfWorkingDay)
                : AFTERNOON_OPEN.plusSeconds(secondOfWorkingDay - MORNING_SECONDS);
        return day.atTime(t).atZone(ZONE).toInstant();
    }

    /** {@code t} itself when the office is open then, otherwise the next opening. */
    static ZonedDateTime nextOpen(ZonedDateTime t) {
        ZonedDateTime z = t.withZoneSameInstant(ZONE);
        while (true) {
            LocalDate day = z.toLocalDate();
            LocalTime time = z.toLocalTime();
            if (isWorkingDay(day)) {
                if (time.isBefore(MORNING_OPEN)) {
                    return day.atTime(MORNING_OPEN).atZone(ZONE);
                }
                if (time.isBefore(MORNING_CLOSE)) {
                    return z;
                }
                if (time.isBefore(AFTERNOON_OPEN)) {
                    return day.atTime(AFTERNOON_OPEN).atZone(ZONE);
                }
                if (time.isBefore(AFTERNOON_CLOSE)) {
                    return z;
                }
            }
            z = day.plusDays(1).atStartOfDay(ZONE);
        }
    }

    static Instant nextOpen(Instant t) {
        return nextOpen(t.atZone(ZONE)).toInstant();
    }

    /** Adds office time: the clock only runs while the office is open (lunch, nights and weekends are skipped). */
    static Instant plusWorkingTime(Instant from, Duration work) {
        long left = Math.max(0, work.toSeconds());
        ZonedDateTime t = nextOpen(from.atZone(ZONE));
        while (true) {
            LocalTime close = t.toLocalTime().isBefore(MORNING_CLOSE) ? MORNING_CLOSE : AFTERNOON_CLOSE;
            ZonedDateTime intervalEnd = t.toLocalDate().atTime(close).atZone(ZONE);
            long available = Duration.between(t, intervalEnd).toSeconds();
            if (left <= available) {
                return t.plusSeconds(left).toInstant();
            }
            left -= available;
            t = nextOpen(intervalEnd);
        }
    }

    /** Office time between two instants (zero when {@code to} is not after {@code from}). */
    static Duration workingTimeBetween(Instant from, Instant to) {
        long total = 0;
        ZonedDateTime t = nextOpen(from.atZone(ZONE));
        while (t.toInstant().isBefore(to)) {
            LocalTime close = t.toLocalTime().isBefore(MORNING_CLOSE) ? MORNING_CLOSE : AFTERNOON_CLOSE;
            ZonedDateTime intervalEnd = t.toLocalDate().atTime(close).atZone(ZONE);
            Instant end = intervalEnd.toInstant().isBefore(to) ? intervalEnd.toInstant() : to;
            total += Duration.between(t.toInstant(), end).toSeconds();
            t = nextOpen(intervalEnd);
        }
        return Duration.ofSeconds(total);
    }

    /**
     * The appointment date (ngày hẹn trả) written on the receipt. Procedures settled within hours (under one
     * statutory day) are due that many office hours after receipt; longer ones are due at 17:00 on the n-th
     * working day after the day of receipt, n = statutory hours / 8 rounded up, which is how offices write dates
     * rather than times on the receipt. Receipts outside office hours start counting at the next opening.
     */
    static Instant appointment(Instant receivedAt, int statutoryHours) {
        if (statutoryHours < STATUTORY_HOURS_PER_DAY) {
            return plusWorkingTime(receivedAt, Duration.ofHours(Math.max(1, statutoryHours)));
        }
        int days = (statutoryHours + STATUTORY_HOURS_PER_DAY - 1) / STATUTORY_HOURS_PER_DAY;
        LocalDate receiptDay = receivedAt.atZone(ZONE).toLocalDate();
        return closeOf(plusWorkingDays(receiptDay, days));
    }
}

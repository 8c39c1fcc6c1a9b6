package vn.onestop.monitor.alert;

import vn.onestop.monitor.ingest.LocalClock;

import java.io.Serializable;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Office hours, public holidays and the make-up working days Vietnam moves around Tết and 2 September, in local
 * time. Used to count a lead time in working hours ("due within 4 working hours").
 */
public final class WorkingCalendar implements Serializable {
    private static final long serialVersionUID = 1L;

    /** One opening period of a weekday. */
    public record Period(LocalTime opens, LocalTime closes) implements Serializable {}

    private final Map<DayOfWeek, List<Period>> hours;
    private final Set<LocalDate> holidays;
    private final Set<LocalDate> extraWorkingDays;

    public WorkingCalendar(Map<DayOfWeek, List<Period>> hours, Set<LocalDate> holidays, Set<LocalDate> extraWorkingDays) {
        this.hours = new EnumMap<>(DayOfWeek.class);
        hours.forEach((d, ps) -> {
            List<Period> sorted = new ArrayList<>(ps);
            sorted.sort(Comparator.comparing(Period::opens));
            this.hours.put(d, List.copyOf(sorted));
        });
        this.holidays = Set.copyOf(holidays);
        this.extraWorkingDays = Set.copyOf(extraWorkingDays);
    }

    /** Monday–Friday 07:30–11:30 and 13:30–17:00, no holidays: the default office week. */
    public static WorkingCalendar officeWeek(Set<LocalDate> holidays, Set<LocalDate> extraWorkingDays) {
        Map<DayOfWeek, List<Period>> h = new EnumMap<>(DayOfWeek.class);
        for (DayOfWeek d : List.of(DayOfWeek.MONDAY, DayOfWeek.TUESDAY, DayOfWeek.WEDNESDAY, DayOfWeek.THURSDAY, DayOfWeek.FRIDAY)) {
            h.put(d, List.of(new Period(LocalTime.of(7, 30), LocalTime.of(11, 30)), new Period(LocalTime.of(13, 30), LocalTime.of(17, 0))));
        }
        return new WorkingCalendar(h, holidays, extraWorkingDays);
    }

    /** The opening periods of a local day: none on a holiday, Monday's on a make-up working day (a Saturday). */
    public List<Period> periods(LocalDate day) {
        if (holidays.contains(day)) {
            return List.of();
        }
        if (extraWorkingDays.contains(day)) {
            List<Period> p = hours.get(day.getDayOfWeek());
            return p != null && !p.isEmpty() ? p : hours.getOrDefault(DayOfWeek.MONDAY, List.of());
        }
        return hours.getOrDefault(day.getDayOfWeek(), List.of());
    }

    public boolean isWorkingDay(LocalDate day) {
        return !periods(day).isEmpty();
    }

    /**
     * The latest instant from which exactly {@code lead} of working time remains until {@code due}. If the calendar
     * has no working time at all for a long stretch (a misconfigured calendar), gives up after two years.
     */
    public long workingTimeBefore(long due, Duration lead) {
        long remaining = lead.toMillis();
        if (remaining <= 0) {
            return due;
        }
        ZonedDateTime at = Instant.ofEpochMilli(due).atZone(LocalClock.ZONE);
        LocalDate day = at.toLocalDate();
        for (int i = 0; i < 730; i++, day = day.minusDays(1)) {
            List<Period> periods = periods(day);
            for (int p = periods.size() - 1; p >= 0; p--) {
                ZonedDateTime opens = day.atTime(periods.get(p).opens()).atZone(LocalClock.ZONE);
                ZonedDateTime closes = day.atTime(periods.get(p).closes()).atZone(LocalClock.ZONE);
                if (!opens.isBefore(at)) {
                    continue;
                }
                ZonedDateTime end = closes.isBefore(at) ? closes : at;
                long available = Duration.between(opens, end).toMillis();
                if (available >= remaining) {
                    return end.toInstant().toEpochMilli() - remaining;
                }
                remaining -= available;
            }
        }
        return Long.MIN_VALUE;
    }

    /** Working time between two instants (used to explain an alert). */
    public Duration workingTimeBetween(long from, long to) {
        if (to <= from) {
            return Duration.ZERO;
        }
        long total = 0;
        ZonedDateTime start = Instant.ofEpochMilli(from).atZone(LocalClock.ZONE);
        ZonedDateTime end = Instant.ofEpochMilli(to).atZone(LocalClock.ZONE);
        for (LocalDate day = start.toLocalDate(); !day.isAfter(end.toLocalDate()); day = day.plusDays(1)) {
            for (Period p : periods(day)) {
                ZonedDateTime o = day.atTime(p.opens()).atZone(LocalClock.ZONE);
                ZonedDateTime c = day.atTime(p.closes()).atZone(LocalClock.ZONE);
                ZonedDateTime a = o.isBefore(start) ? start : o;
                ZonedDateTime b = c.isAfter(end) ? end : c;
                if (a.isBefore(b)) {
                    total += Duration.between(a, b).toMillis();
                }
            }
        }
        return Duration.ofMillis(total);
    }
}

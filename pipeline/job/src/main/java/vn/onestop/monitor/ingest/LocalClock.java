package vn.onestop.monitor.ingest;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;

/**
 * The one place where the monitor turns an instant into the offices' local day or hour. Vietnam keeps UTC+7 all year
 * (no daylight saving), so a local day starts at 17:00 UTC the day before, and local hours coincide with UTC hours:
 * an hour floored in UTC is also a whole local hour, which is why {@link #hourStart} needs no offset. Reports, the
 * on-time rule and the reconciliation tallies all count by the same local day.
 */
public final class LocalClock {
    public static final ZoneId ZONE = ZoneId.of("Asia/Ho_Chi_Minh");
    public static final long HOUR_MS = 3_600_000L;
    public static final long DAY_MS = 86_400_000L;
    /** Asia/Ho_Chi_Minh has kept UTC+7 since 1975: the whole-day arithmetic of {@link #epochDay} relies on it. */
    private static final long OFFSET_MS = 7 * HOUR_MS;

    private LocalClock() {}

    /** The local calendar day of an instant. */
    public static LocalDate day(long epochMillis) {
        return LocalDate.ofInstant(Instant.ofEpochMilli(epochMillis), ZONE);
    }

    /** The local day as days since 1970-01-01, without a {@link LocalDate}: the tallies key millions of records by it. */
    public static int epochDay(long epochMillis) {
        return (int) Math.floorDiv(epochMillis + OFFSET_MS, DAY_MS);
    }

    /** The start of the (local and UTC) hour holding the instant. */
    public static long hourStart(long epochMillis) {
        return Math.floorDiv(epochMillis, HOUR_MS) * HOUR_MS;
    }
}

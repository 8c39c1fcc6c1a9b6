package vn.onestop.monitor.kpi;

import java.io.Serializable;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;

/**
 * The national index's on-time classification. Days are local calendar days in Asia/Ho_Chi_Minh, so an end at
 * 17:30Z already belongs to the next local day.
 */
public final class OnTimeRules implements Serializable {
    private static final long serialVersionUID = 1L;
    public static final ZoneId LOCAL_ZONE = ZoneId.of("Asia/Ho_Chi_Minh");

    private final int maxSupplementRequests;

    /** @param maxSupplementRequests requests tolerated before a dossier counts as late (the index allows one) */
    public OnTimeRules(int maxSupplementRequests) {
        if (maxSupplementRequests < 0) {
            throw new IllegalArgumentException("maxSupplementRequests must be >= 0");
        }
        this.maxSupplementRequests = maxSupplementRequests;
    }

    public static OnTimeRules nationalIndex() {
        return new OnTimeRules(1);
    }

    public int maxSupplementRequests() {
        return maxSupplementRequests;
    }

    public OnTimeStatus classify(long endedAt, long effectiveDueAt, int supplementRequests) {
        if (supplementRequests > maxSupplementRequests || endedAt > effectiveDueAt) {
            return OnTimeStatus.LATE;
        }
        return localDay(endedAt).isBefore(localDay(effectiveDueAt)) ? OnTimeStatus.EARLY : OnTimeStatus.ON_TIME;
    }

    public static LocalDate localDay(long epochMillis) {
        return LocalDate.ofInstant(Instant.ofEpochMilli(epochMillis), LOCAL_ZONE);
    }
}

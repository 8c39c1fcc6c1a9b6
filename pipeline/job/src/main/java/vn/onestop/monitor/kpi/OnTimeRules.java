package vn.onestop.monitor.kpi;

import java.io.Serializable;
import vn.onestop.monitor.ingest.LocalClock;

/**
 * The national index's on-time classification. Days are local calendar days ({@link LocalClock}), so an end at
 * 17:30Z already belongs to the next local day.
 */
public final class OnTimeRules implements Serializable {
    private static final long serialVersionUID = 1L;

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
        return LocalClock.day(endedAt).isBefore(LocalClock.day(effectiveDueAt)) ? OnTimeStatus.EARLY : OnTimeStatus.ON_TIME;
    }
}

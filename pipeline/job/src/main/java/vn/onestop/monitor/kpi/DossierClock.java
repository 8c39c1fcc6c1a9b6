package vn.onestop.monitor.kpi;

import vn.onestop.monitor.ingest.DossierEvent;

/**
 * A dossier's processing clock, which the alerts follow: it runs from the receipt, stands still while the office waits
 * for a supplement, and stops for good when processing ends (or the citizen withdraws, whichever came first).
 *
 * <p>The allowance is the time from receipt to the appointment ({@code dueAt}). The clock <em>runs out</em> at
 * {@link #dueAt()}: the appointment moved by every wait that began before the clock had run out. A wait that began
 * after that does not undo the overdue time. This is the on-time rule seen live: a dossier is classified LATE by time
 * exactly when its clock ran out before it stopped ({@code dueAt() < runningUntil()}).
 */
public final class DossierClock {
    private static final long NONE = DossierEvent.NO_TIME;
    static final long[] NO_WAITS = new long[0];

    private final long dueAt;
    private final long runningUntil;
    /** Completed waits as (start, end) pairs in time order, all before {@link #runningUntil}. */
    private final long[] waits;

    DossierClock(long dueAt, long runningUntil, long[] waits) {
        this.dueAt = dueAt;
        this.runningUntil = runningUntil;
        this.waits = waits;
    }

    /**
     * @param appointment the receipt's dueAt, or NONE
     * @param supplements packed (time << 1 | 1 for a request), sorted
     * @param stoppedAt   when processing ended for good, or NONE while it goes on
     */
    static DossierClock of(long appointment, long[] supplements, long stoppedAt) {
        long[] waits = NO_WAITS;
        int n = 0;
        boolean waiting = false;
        long waitStart = 0;
        for (long packed : supplements) {
            long t = packed >> 1;
            if (stoppedAt != NONE && t > stoppedAt) {
                break;
            }
            if ((packed & 1) == 1) {
                if (!waiting) {
                    waiting = true;
                    waitStart = t;
                }
            } else if (waiting) {
                if (n == waits.length) {
                    long[] more = new long[Math.max(4, waits.length * 2)];
                    System.arraycopy(waits, 0, more, 0, n);
                    waits = more;
                }
                waits[n++] = waitStart;
                waits[n++] = t;
                waiting = false;
            }
        }
        if (n < waits.length) {
            long[] exact = new long[n];
            System.arraycopy(waits, 0, exact, 0, n);
            waits = exact;
        }
        long until = waiting ? waitStart : stoppedAt == NONE ? Long.MAX_VALUE : stoppedAt;
        long runsOut = NONE;
        if (appointment != NONE) {
            runsOut = appointment;
            // A wait moves the due time only if the clock was still inside its allowance when the wait began; a wait
            // that begins exactly as it runs out also holds it (the dossier was not yet past due).
            for (int i = 0; i < waits.length; i += 2) {
                if (waits[i] > runsOut) {
                    break;
                }
                runsOut += waits[i + 1] - waits[i];
            }
        }
        return new DossierClock(runsOut, until, waits);
    }

    /** When the clock runs out (the due time as the alerts see it), or NONE without an appointment. */
    public long dueAt() {
        return dueAt;
    }

    /** When the clock last stopped (the dossier's end, or the start of a wait still open), or Long.MAX_VALUE while it runs. */
    public long runningUntil() {
        return runningUntil;
    }

    /** {@code t} itself if the clock runs at {@code t}, else the instant the completed wait around it ended. */
    public long runningFrom(long t) {
        for (int i = 0; i < waits.length; i += 2) {
            if (waits[i] <= t && t < waits[i + 1]) {
                return waits[i + 1];
            }
        }
        return t;
    }
}

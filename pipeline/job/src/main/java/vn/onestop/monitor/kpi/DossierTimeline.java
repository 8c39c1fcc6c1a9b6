package vn.onestop.monitor.kpi;

import vn.onestop.monitor.ingest.Channel;
import vn.onestop.monitor.ingest.DossierEvent;
import vn.onestop.monitor.ingest.EventType;

import java.util.Arrays;

/**
 * Everything the monitor keeps about one dossier, folded from its events in any arrival order. Each derived fact
 * is order-independent (earliest receipt, earliest end of each kind, supplements sorted by time), so a late or
 * out-of-order event gives the same answer as if it had arrived in time, and {@link #outcome} classifies what is
 * known now. Plain Java. The rest lives beside it: {@link Contribution} (what the dossier adds to the hourly counts,
 * and the change between two of those), {@link DossierRows} (its current row), {@link Fingerprint} (event ids and
 * contents) and {@link DossierState} (what the Flink operator keeps per dossier, written by {@link DossierStateSerializer}).
 */
public final class DossierTimeline {
    static final long NONE = DossierEvent.NO_TIME;

    // The folded facts are package-private: DossierStateSerializer (and the previous format's DossierStateCodec) write and read them as they are, Contribution and
    // DossierRows project them; nothing outside the package sees them.

    /** Pairs (eventId fingerprint, content fingerprint) of every event applied. */
    long[] seenEvents = new long[0];

    boolean hasReceipt;
    long receivedAt = NONE;
    String unitCode;
    String procedureCode;
    Channel channel;
    long dueAt = NONE;
    boolean digitised;

    /** Supplement events as (time << 1 | 1 for a request), kept sorted. */
    long[] supplements = new long[0];

    long resolvedAt = NONE;
    boolean resultDigitised;
    long returnedAt = NONE;
    long stoppedAt = NONE;
    EventType stopType;
    long withdrawnAt = NONE;
    long apologyDueAt = NONE;
    long lastEventAt = NONE;
    /** The national index's facts (issue 16); encoded after everything above, from format 3 on. */
    DossierFacts facts = new DossierFacts();

    /** The result of applying an event. */
    public enum Applied { DUPLICATE, APPLIED }

    /** Whether an event is new, a repeat of one already applied, or reuses an id for different content. */
    public enum Seen { NEW, DUPLICATE, CONFLICT }

    public Seen seen(DossierEvent e) {
        return seen(e, Fingerprint.eventId(e.eventId));
    }

    /** {@link #seen(DossierEvent)} with the event id's fingerprint already taken (it hashes the whole id). */
    Seen seen(DossierEvent e, long id) {
        for (int i = 0; i < seenEvents.length; i += 2) {
            if (seenEvents[i] == id) {
                long content = seenEvents[i + 1];
                return content == 0 || content == Fingerprint.content(e) ? Seen.DUPLICATE : Seen.CONFLICT;
            }
        }
        return Seen.NEW;
    }

    public Applied apply(DossierEvent e) {
        long id = Fingerprint.eventId(e.eventId);
        if (seen(e, id) != Seen.NEW) {
            return Applied.DUPLICATE;
        }
        applyNew(e, id);
        return Applied.APPLIED;
    }

    /**
     * Applies an event that {@link #seen(DossierEvent, long)} found NEW, {@code id} being its id's fingerprint: the
     * operator checks first (a repeat or a conflict takes another path), so the check and the fingerprint are not
     * repeated here.
     */
    void applyNew(DossierEvent e, long id) {
        seenEvents = Arrays.copyOf(seenEvents, seenEvents.length + 2);
        seenEvents[seenEvents.length - 2] = id;
        seenEvents[seenEvents.length - 1] = Fingerprint.content(e);
        lastEventAt = Math.max(lastEventAt, e.occurredAt);
        if (e.unitCode != null && unitCode == null) {
            unitCode = e.unitCode;
        }
        long t = e.occurredAt;
        facts.apply(e, e.type == EventType.RECEIVED && receiptWins(e));
        switch (e.type) {
            case RECEIVED -> applyReceipt(e);
            case SUPPLEMENT_REQUESTED -> addSupplement(t, true);
            case SUPPLEMENT_RECEIVED -> addSupplement(t, false);
            case RESOLVED -> {
                // Earliest RESOLVED wins; at the same instant a digitised result wins, so the answer is order-free.
                if (resolvedAt == NONE || t < resolvedAt || (t == resolvedAt && e.resultDigitised)) {
                    resolvedAt = t;
                    resultDigitised = e.resultDigitised;
                }
            }
            case RETURNED -> returnedAt = earliest(returnedAt, t);
            case STOPPED, REJECTED -> {
                if (stoppedAt == NONE || t < stoppedAt || (t == stoppedAt && e.type.ordinal() < stopType.ordinal())) {
                    stoppedAt = t;
                    stopType = e.type;
                }
            }
            case WITHDRAWN -> withdrawnAt = earliest(withdrawnAt, t);
            case APOLOGY_ISSUED -> apologyDueAt = Math.max(apologyDueAt, e.newDueAt);
        }
    }

    private boolean receiptWins(DossierEvent e) {
        return !hasReceipt
                || e.occurredAt < receivedAt
                || (e.occurredAt == receivedAt && receiptKey(e.unitCode, e.procedureCode, e.channel, e.dueAt, e.digitised)
                        .compareTo(receiptKey(unitCode, procedureCode, channel, dueAt, digitised)) < 0);
    }

    private void applyReceipt(DossierEvent e) {
        if (receiptWins(e)) {
            hasReceipt = true;
            receivedAt = e.occurredAt;
            unitCode = e.unitCode;
            procedureCode = e.procedureCode;
            channel = e.channel;
            dueAt = e.dueAt;
            digitised = e.digitised;
        }
    }

    private static String receiptKey(String unit, String procedure, Channel channel, long due, boolean digitised) {
        return unit + '\u0001' + procedure + '\u0001' + channel + '\u0001' + due + '\u0001' + digitised;
    }

    private void addSupplement(long t, boolean request) {
        long packed = (t << 1) | (request ? 1 : 0);
        int at = Arrays.binarySearch(supplements, packed);
        int insert = at >= 0 ? at : -at - 1;
        long[] next = new long[supplements.length + 1];
        System.arraycopy(supplements, 0, next, 0, insert);
        next[insert] = packed;
        System.arraycopy(supplements, insert, next, insert + 1, supplements.length - insert);
        supplements = next;
    }

    private static long earliest(long current, long t) {
        return current == NONE ? t : Math.min(current, t);
    }

    /**
     * An end counts only if it is not dated before the receipt: the job refuses such an end when the receipt is
     * already known (END_BEFORE_RECEIPT), and one that arrived before its receipt is set aside here, so a processing
     * time is never negative whatever the arrival order.
     */
    boolean isEnd(long t) {
        return t != NONE && (!hasReceipt || t >= receivedAt);
    }

    /** Whether an end event is dated before the receipt already known. */
    public boolean endsBeforeReceipt(DossierEvent e) {
        return hasReceipt && e.type.isEnd() && e.occurredAt < receivedAt;
    }

    /** Whether the event names a unit other than the one the dossier is counted for (its receipt's, once known). */
    public boolean namesAnotherUnit(DossierEvent e) {
        return e.unitCode != null && unitCode != null && !e.unitCode.equals(unitCode) && (hasReceipt || e.type != EventType.RECEIVED);
    }

    /** Derives the dossier's status from what is known now. */
    public DossierOutcome outcome(OnTimeRules rules) {
        long endAt = NONE;
        EventType endType = null;
        if (isEnd(resolvedAt)) {
            endAt = resolvedAt;
            endType = EventType.RESOLVED;
        } else if (isEnd(returnedAt)) {
            endAt = returnedAt;
            endType = EventType.RETURNED;
        } else if (isEnd(stoppedAt)) {
            endAt = stoppedAt;
            endType = stopType;
        }
        long withdrawnAt = isEnd(this.withdrawnAt) ? this.withdrawnAt : NONE;
        int requests = 0;
        long paused = 0;
        boolean waiting = false;
        long waitStart = 0;
        for (long packed : supplements) {
            long t = packed >> 1;
            boolean request = (packed & 1) == 1;
            if (endAt != NONE && t > endAt) {
                break;
            }
            if (request) {
                requests++;
                if (!waiting) {
                    waiting = true;
                    waitStart = t;
                }
            } else if (waiting) {
                paused += t - waitStart;
                waiting = false;
            }
        }
        if (endAt != NONE && waiting) {
            // The clock stood still while the office waited; processing that ends during the wait ends the pause.
            paused += endAt - waitStart;
            waiting = false;
        }
        long effectiveDue = dueAt == NONE ? NONE : dueAt + paused;
        // The clock stops at the end of processing, or at the withdrawal if the citizen withdrew first.
        long clockStop = withdrawnAt != NONE && (endAt == NONE || withdrawnAt < endAt) ? withdrawnAt : endAt;
        DossierClock clock = DossierClock.of(dueAt, supplements, clockStop);
        DossierStatus status;
        if (!hasReceipt) {
            status = DossierStatus.PENDING_RECEIPT;
        } else if (withdrawnAt != NONE) {
            status = DossierStatus.WITHDRAWN;
        } else if (endAt != NONE) {
            status = DossierStatus.of(rules.classify(endAt, effectiveDue, requests));
        } else {
            status = waiting ? DossierStatus.WAITING_SUPPLEMENT : DossierStatus.OPEN;
        }
        return new DossierOutcome(status, status == DossierStatus.WITHDRAWN ? withdrawnAt : endAt, endType, effectiveDue,
                requests, waiting, paused, clock);
    }

    /** The earliest of {@code t} and the times that place the dossier in hourly counts (receipt, ends, withdrawal). */
    long earliestTime(long t) {
        // NONE is Long.MIN_VALUE: an unset time must not win the minimum.
        return Math.min(Math.min(t, set(receivedAt)), Math.min(Math.min(set(resolvedAt), set(returnedAt)), Math.min(set(stoppedAt), set(withdrawnAt))));
    }

    private static long set(long time) {
        return time == NONE ? Long.MAX_VALUE : time;
    }

    public String unitCode() {
        return unitCode;
    }

    public long lastEventAt() {
        return lastEventAt;
    }

    public int eventsApplied() {
        return seenEvents.length / 2;
    }

    public long receivedAt() {
        return hasReceipt ? receivedAt : NONE;
    }
}

package vn.onestop.monitor.kpi;

import vn.onestop.monitor.ingest.DossierEvent;
import vn.onestop.monitor.ingest.Feedback;

/**
 * 64-bit FNV-1a fingerprints of event ids and of what events say, for deduplication in keyed state: collisions
 * among one dossier's few events (or between two contents of one rating id) are negligible, and eight bytes are
 * small. The values are stored in savepoints, so each method must keep producing exactly the values it always has.
 */
public final class Fingerprint {
    private static final long OFFSET_BASIS = 0xcbf29ce484222325L;
    private static final long PRIME = 0x100000001b3L;

    private Fingerprint() {}

    /** The fingerprint of an event id. */
    public static long eventId(String eventId) {
        return text(OFFSET_BASIS, eventId);
    }

    /**
     * What a dossier event says, independent of how its JSON was written (field order, spacing): a producer that
     * resends an event may re-serialise it, but the same id with different facts is a conflict, not a duplicate.
     * Never 0, which in state means "content not known" (format 1).
     */
    public static long content(DossierEvent e) {
        long h = text(OFFSET_BASIS, e.type.name());
        h = number(h, e.occurredAt);
        h = text(h, e.unitCode == null ? "-" : e.unitCode);
        h = text(h, e.procedureCode == null ? "-" : e.procedureCode);
        h = number(h, e.channel == null ? -1 : e.channel.ordinal());
        h = number(h, e.dueAt);
        h = number(h, e.digitised ? 1 : 0);
        h = number(h, e.resultDigitised ? 1 : 0);
        h = number(h, e.newDueAt);
        // The national index's fields (issue 16) count only when an event has them, so the fingerprints of events
        // without them, already in state, do not change.
        if (DossierFacts.hasIndexFacts(e)) {
            h = number(h, e.onlineMode == null ? -1 : e.onlineMode.ordinal());
            h = number(h, e.flags);
            h = number(h, e.paymentMethod == null ? -1 : e.paymentMethod.ordinal());
            h = number(h, e.paymentAmount);
        }
        return h == 0 ? 1 : h;
    }

    /**
     * What a rating says, whatever its JSON spelling; the same id saying something else is a conflict. Ratings were
     * fingerprinted as one string, a character per step, before there was this class; the counted ratings' state
     * holds those values, so this keeps that form rather than {@link #text}'s.
     */
    public static long content(Feedback f) {
        String s = f.unitCode + '\u0001' + f.submittedAt + '\u0001' + f.rating + '\u0001' + (f.dossierId == null ? "" : f.dossierId);
        long h = OFFSET_BASIS;
        for (int i = 0; i < s.length(); i++) {
            h ^= s.charAt(i);
            h *= PRIME;
        }
        return h;
    }

    /** Both bytes of each UTF-16 unit, then a terminator, so that ("ab", "c") and ("a", "bc") differ. */
    private static long text(long h, String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            h ^= c & 0xff;
            h *= PRIME;
            h ^= c >>> 8;
            h *= PRIME;
        }
        h ^= 0xff;
        return h * PRIME;
    }

    /** The eight bytes of a number, low byte first. */
    private static long number(long h, long v) {
        for (int i = 0; i < 8; i++) {
            h ^= (v >>> (i * 8)) & 0xff;
            h *= PRIME;
        }
        return h;
    }
}

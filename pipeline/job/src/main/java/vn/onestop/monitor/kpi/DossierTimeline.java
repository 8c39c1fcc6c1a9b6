package vn.onestop.monitor.kpi;

import vn.onestop.monitor.ingest.Channel;
import vn.onestop.monitor.ingest.DossierEvent;
import vn.onestop.monitor.ingest.EventType;
import vn.onestop.monitor.ingest.LocalClock;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Everything the monitor keeps about one dossier, folded from its events in any arrival order. Each derived fact
 * is order-independent (earliest receipt, earliest end of each kind, supplements sorted by time), so a late or
 * out-of-order event gives the same answer as if it had arrived in time. Plain Java; the Flink operator stores it
 * with {@link #toBytes()} to keep per-dossier state small.
 */
public final class DossierTimeline {
    private static final long NONE = DossierEvent.NO_TIME;

    /** Pairs (eventId fingerprint, content fingerprint) of every event applied. */
    private long[] seenEvents = new long[0];

    private boolean hasReceipt;
    private long receivedAt = NONE;
    private String unitCode;
    private String procedureCode;
    private Channel channel;
    private long dueAt = NONE;
    private boolean digitised;

    /** Supplement events as (time << 1 | 1 for a request), kept sorted. */
    private long[] supplements = new long[0];

    private long resolvedAt = NONE;
    private boolean resultDigitised;
    private long returnedAt = NONE;
    private long stoppedAt = NONE;
    private EventType stopType;
    private long withdrawnAt = NONE;
    private long apologyDueAt = NONE;
    private long lastEventAt = NONE;

    /** The result of applying an event. */
    public enum Applied { DUPLICATE, APPLIED }

    /** Whether an event is new, a repeat of one already applied, or reuses an id for different content. */
    public enum Seen { NEW, DUPLICATE, CONFLICT }

    public Seen seen(DossierEvent e) {
        long id = fingerprint(e.eventId);
        for (int i = 0; i < seenEvents.length; i += 2) {
            if (seenEvents[i] == id) {
                long content = seenEvents[i + 1];
                return content == 0 || content == contentFingerprint(e) ? Seen.DUPLICATE : Seen.CONFLICT;
            }
        }
        return Seen.NEW;
    }

    public Applied apply(DossierEvent e) {
        if (seen(e) != Seen.NEW) {
            return Applied.DUPLICATE;
        }
        seenEvents = Arrays.copyOf(seenEvents, seenEvents.length + 2);
        seenEvents[seenEvents.length - 2] = fingerprint(e.eventId);
        seenEvents[seenEvents.length - 1] = contentFingerprint(e);
        lastEventAt = Math.max(lastEventAt, e.occurredAt);
        if (e.unitCode != null && unitCode == null) {
            unitCode = e.unitCode;
        }
        long t = e.occurredAt;
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
        return Applied.APPLIED;
    }

    private void applyReceipt(DossierEvent e) {
        boolean better = !hasReceipt
                || e.occurredAt < receivedAt
                || (e.occurredAt == receivedAt && receiptKey(e.unitCode, e.procedureCode, e.channel, e.dueAt, e.digitised)
                        .compareTo(receiptKey(unitCode, procedureCode, channel, dueAt, digitised)) < 0);
        if (better) {
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
    private boolean isEnd(long t) {
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
                requests, waiting, paused, waiting ? waitStart : NONE, clock);
    }

    /**
     * What this dossier adds to the per-unit hourly counts: the receipt in the hour it was received, the
     * classification in the hour processing ended, a withdrawal in its hour. A handful of entries, kept in plain
     * arrays because this runs twice for every event.
     */
    public Contribution contributions(DossierOutcome o) {
        Contribution out = new Contribution();
        if (!hasReceipt) {
            return out;
        }
        Channel ch = channel;
        out.add(unitCode, receivedAt, Measure.RECEIVED);
        out.add(unitCode, receivedAt, ch == Channel.ONLINE ? Measure.RECEIVED_ONLINE : ch == Channel.POSTAL ? Measure.RECEIVED_POSTAL : Measure.RECEIVED_DIRECT);
        if (digitised) {
            out.add(unitCode, receivedAt, Measure.RECEIVED_DIGITISED);
        }
        if (o.status().isClassified()) {
            long end = o.endedAt();
            out.add(unitCode, end, Measure.RESOLVED);
            out.add(unitCode, end, switch (o.status()) {
                case EARLY -> Measure.RESOLVED_EARLY;
                case ON_TIME -> Measure.RESOLVED_ON_TIME;
                default -> Measure.RESOLVED_LATE;
            });
            if (o.endType() == EventType.RESOLVED && resultDigitised) {
                out.add(unitCode, end, Measure.RESULTS_DIGITISED);
            }
            long took = end - receivedAt;
            if (took >= 0 && took <= LocalClock.HOUR_MS) {
                out.add(unitCode, end, Measure.RESOLVED_WITHIN_HOUR);
            }
        } else if (o.status() == DossierStatus.WITHDRAWN) {
            out.add(unitCode, withdrawnAt, Measure.WITHDRAWN);
        }
        return out;
    }

    /** A dossier's entries in the hourly counts: (unit, hour, counter), each counting one. */
    public static final class Contribution {
        private final String[] units = new String[8];
        private final long[] hours = new long[8];
        private final int[] counters = new int[8];
        private int size;

        void add(String unit, long at, Measure c) {
            units[size] = unit;
            hours[size] = LocalClock.hourStart(at);
            counters[size] = c.ordinal();
            size++;
        }

        public int size() {
            return size;
        }
    }

    /** The changes to hourly counts between two contributions: subtract what was, add what is. */
    public static List<UnitHourDelta> diff(Contribution before, Contribution after) {
        List<UnitHourDelta> changes = new ArrayList<>(2);
        boolean[] matched = new boolean[after.size];
        for (int i = 0; i < before.size; i++) {
            int j = find(after, matched, before.units[i], before.hours[i], before.counters[i]);
            if (j >= 0) {
                matched[j] = true;
            } else {
                delta(changes, before.units[i], before.hours[i]).delta[before.counters[i]] -= 1;
            }
        }
        for (int j = 0; j < after.size; j++) {
            if (!matched[j]) {
                delta(changes, after.units[j], after.hours[j]).delta[after.counters[j]] += 1;
            }
        }
        return changes;
    }

    private static int find(Contribution c, boolean[] taken, String unit, long hour, int counter) {
        for (int j = 0; j < c.size; j++) {
            if (!taken[j] && c.counters[j] == counter && c.hours[j] == hour && c.units[j].equals(unit)) {
                return j;
            }
        }
        return -1;
    }

    private static UnitHourDelta delta(List<UnitHourDelta> changes, String unit, long hour) {
        for (UnitHourDelta d : changes) {
            if (d.hourStart == hour && d.unitCode.equals(unit)) {
                return d;
            }
        }
        UnitHourDelta d = new UnitHourDelta(unit, hour, new int[Measure.COUNT]);
        changes.add(d);
        return d;
    }

    public DossierRow toRow(String dossierId, DossierOutcome o) {
        DossierRow r = new DossierRow();
        r.dossierId = dossierId;
        r.unitCode = unitCode;
        r.procedureCode = procedureCode;
        r.channel = channel == null ? null : channel.name();
        r.receivedAt = hasReceipt ? receivedAt : NONE;
        r.dueAt = dueAt;
        r.effectiveDueAt = o.effectiveDueAt();
        r.supplementRequests = o.supplementRequests();
        r.waitingSupplement = o.waitingSupplement();
        r.pausedMs = o.pausedMs();
        r.endedAt = o.endedAt();
        r.endType = o.status() == DossierStatus.WITHDRAWN ? EventType.WITHDRAWN.name() : o.endType() == null ? null : o.endType().name();
        r.status = o.status();
        r.digitised = digitised;
        r.resultDigitised = resolvedAt != NONE && resultDigitised;
        r.apologyDueAt = apologyDueAt;
        r.lastEventAt = lastEventAt;
        r.eventsApplied = eventsApplied();
        return r;
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

    /** 64-bit FNV-1a of the event id: collisions among one dossier's few events are negligible, and it is small. */
    static long fingerprint(String eventId) {
        return fnv(0xcbf29ce484222325L, eventId);
    }

    /**
     * What the event says, independent of how its JSON was written (field order, spacing): a producer that resends
     * an event may re-serialise it, but the same id with different facts is a conflict, not a duplicate.
     */
    static long contentFingerprint(DossierEvent e) {
        long h = fnv(0xcbf29ce484222325L, e.type.name());
        h = mix(h, e.occurredAt);
        h = fnv(h, e.unitCode == null ? "-" : e.unitCode);
        h = fnv(h, e.procedureCode == null ? "-" : e.procedureCode);
        h = mix(h, e.channel == null ? -1 : e.channel.ordinal());
        h = mix(h, e.dueAt);
        h = mix(h, e.digitised ? 1 : 0);
        h = mix(h, e.resultDigitised ? 1 : 0);
        h = mix(h, e.newDueAt);
        return h == 0 ? 1 : h;
    }

    private static long fnv(long h, String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            h ^= c & 0xff;
            h *= 0x100000001b3L;
            h ^= c >>> 8;
            h *= 0x100000001b3L;
        }
        h ^= 0xff;
        return h * 0x100000001b3L;
    }

    private static long mix(long h, long v) {
        for (int i = 0; i < 8; i++) {
            h ^= (v >>> (i * 8)) & 0xff;
            h *= 0x100000001b3L;
        }
        return h;
    }

    // ---- compact state codec ----

    /** Format 2 pairs each event id with its content fingerprint; format 1 (ids only) is still read. */
    private static final int FORMAT = 2;

    public byte[] toBytes() {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(96);
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeByte(FORMAT);
            writeLongs(out, seenEvents);
            out.writeBoolean(hasReceipt);
            out.writeLong(receivedAt);
            writeString(out, unitCode);
            writeString(out, procedureCode);
            out.writeByte(channel == null ? -1 : channel.ordinal());
            out.writeLong(dueAt);
            out.writeBoolean(digitised);
            writeLongs(out, supplements);
            out.writeLong(resolvedAt);
            out.writeBoolean(resultDigitised);
            out.writeLong(returnedAt);
            out.writeLong(stoppedAt);
            out.writeByte(stopType == null ? -1 : stopType.ordinal());
            out.writeLong(withdrawnAt);
            out.writeLong(apologyDueAt);
            out.writeLong(lastEventAt);
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static DossierTimeline fromBytes(byte[] data) {
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(data));
            int format = in.readByte();
            if (format != FORMAT && format != 1) {
                throw new IllegalStateException("unknown dossier state format " + format);
            }
            DossierTimeline t = new DossierTimeline();
            t.seenEvents = readLongs(in);
            if (format == 1) {
                long[] pairs = new long[t.seenEvents.length * 2];
                for (int i = 0; i < t.seenEvents.length; i++) {
                    pairs[2 * i] = t.seenEvents[i];
                }
                t.seenEvents = pairs;
            }
            t.hasReceipt = in.readBoolean();
            t.receivedAt = in.readLong();
            t.unitCode = readString(in);
            t.procedureCode = readString(in);
            int ch = in.readByte();
            t.channel = ch < 0 ? null : Channel.values()[ch];
            t.dueAt = in.readLong();
            t.digitised = in.readBoolean();
            t.supplements = readLongs(in);
            t.resolvedAt = in.readLong();
            t.resultDigitised = in.readBoolean();
            t.returnedAt = in.readLong();
            t.stoppedAt = in.readLong();
            int st = in.readByte();
            t.stopType = st < 0 ? null : EventType.values()[st];
            t.withdrawnAt = in.readLong();
            t.apologyDueAt = in.readLong();
            t.lastEventAt = in.readLong();
            return t;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeLongs(DataOutputStream out, long[] values) throws IOException {
        out.writeShort(values.length);
        for (long v : values) {
            out.writeLong(v);
        }
    }

    private static long[] readLongs(DataInputStream in) throws IOException {
        long[] values = new long[in.readUnsignedShort()];
        for (int i = 0; i < values.length; i++) {
            values[i] = in.readLong();
        }
        return values;
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        out.writeBoolean(s != null);
        if (s != null) {
            out.writeUTF(s);
        }
    }

    private static String readString(DataInputStream in) throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }
}

package vn.onestop.monitor.kpi;

import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;
import vn.onestop.monitor.alert.AlertKind;
import vn.onestop.monitor.alert.SlaAlert;
import vn.onestop.monitor.ingest.Channel;
import vn.onestop.monitor.ingest.DossierEvent;
import vn.onestop.monitor.ingest.EventType;

import java.io.IOException;

/**
 * {@link DossierState} in keyed state and savepoints. The layout has a version, written by {@link Snapshot} into
 * every checkpoint and savepoint beside the state: Flink hands the snapshot of the state it restores to the new
 * code's snapshot ({@link Snapshot#resolveSchemaCompatibility}), which answers "as is" for the same layout and "after
 * migration" for an older one (RocksDB then rewrites every value: read with the old layout's serializer, written with
 * the current one; the heap backend has read the values into objects already), and refuses a newer one. A layout
 * change is therefore: bump {@link #LAYOUT}, keep reading every earlier layout in {@link #deserialize}, pin the new
 * bytes in {@code DossierStateFormatTest}.
 *
 * <p>Layout 1, compact because one million open dossiers is about 200 MB of it: one byte of flags; a varint saying
 * which of the nine times are set; the last event's time as a zig-zag varint and every other time as a zig-zag
 * varint difference from it (a dossier's times lie within weeks of each other: 3–4 bytes instead of 8); channel and
 * end kind in one byte; the strings as Flink's {@link StringValue} (a varint length, ASCII in one byte each); the
 * event fingerprint pairs as raw longs (hashes do not compress); supplements as differences; the index facts only
 * when known; the standing alerts without their id (the key).
 *
 * <p>The previous format, a {@code byte[]} value state of {@link DossierStateCodec} bytes, is a different Java type,
 * which no serializer snapshot can migrate in place; {@link LegacyDossierState} moves it over when the operator opens.
 */
public final class DossierStateSerializer extends TypeSerializer<DossierState> {
    private static final long serialVersionUID = 1L;
    /** The layout written; see the class comment for how to change it. */
    static final int LAYOUT = 1;
    public static final DossierStateSerializer INSTANCE = new DossierStateSerializer(LAYOUT);

    private static final long NONE = DossierEvent.NO_TIME;
    private static final int HAS_RECEIPT = 1, DIGITISED = 1 << 1, RESULT_DIGITISED = 1 << 2, FACTS = 1 << 3,
            OVERDUE = 1 << 4, AT_RISK = 1 << 5;
    private static final int ALERT_CLOSED = 1, ALERT_RETRACTED = 1 << 1;

    static {
        // Channel and end kind share a byte, a nibble each (0 = none).
        if (Channel.values().length > 15 || EventType.values().length > 15) {
            throw new IllegalStateException("DossierStateSerializer packs Channel and EventType in 4 bits each: new layout needed");
        }
    }

    /** The layout this instance reads (a restored savepoint's); it always writes {@link #LAYOUT}. */
    private final int layout;

    DossierStateSerializer(int layout) {
        if (layout < 1 || layout > LAYOUT) {
            throw new IllegalStateException("dossier state layout " + layout + " is not known to this version (up to " + LAYOUT + ")");
        }
        this.layout = layout;
    }

    /**
     * Heap snapshots and savepoints write to a buffered stream, where every single byte is a synchronized call:
     * a dossier is encoded into this thread's scratch buffer first and handed over in one write (RocksDB's own
     * buffer, a {@link DataOutputSerializer}, takes the bytes directly).
     */
    private static final ThreadLocal<DataOutputSerializer> SCRATCH = ThreadLocal.withInitial(() -> new DataOutputSerializer(256));

    @Override
    public void serialize(DossierState s, DataOutputView out) throws IOException {
        if (out instanceof DataOutputSerializer direct) {
            write(s, direct);
        } else {
            DataOutputSerializer scratch = SCRATCH.get();
            scratch.clear();
            write(s, scratch);
            out.write(scratch.getSharedBuffer(), 0, scratch.length());
        }
    }

    private static void write(DossierState s, DataOutputSerializer out) throws IOException {
        DossierTimeline t = s.timeline;
        boolean facts = !t.facts.isEmpty();
        out.writeByte((t.hasReceipt ? HAS_RECEIPT : 0) | (t.digitised ? DIGITISED : 0) | (t.resultDigitised ? RESULT_DIGITISED : 0)
                | (facts ? FACTS : 0) | (s.overdue != null ? OVERDUE : 0) | (s.atRisk != null ? AT_RISK : 0));
        long base = t.lastEventAt == NONE ? 0 : t.lastEventAt;
        int set = bit(t.lastEventAt, 0) | bit(t.receivedAt, 1) | bit(t.dueAt, 2) | bit(t.resolvedAt, 3) | bit(t.returnedAt, 4)
                | bit(t.stoppedAt, 5) | bit(t.withdrawnAt, 6) | bit(t.apologyDueAt, 7) | bit(s.timer, 8);
        writeVarLong(set, out);
        if (t.lastEventAt != NONE) {
            writeVarLong(zigZag(t.lastEventAt), out);
        }
        writeTime(t.receivedAt, base, out);
        writeTime(t.dueAt, base, out);
        writeTime(t.resolvedAt, base, out);
        writeTime(t.returnedAt, base, out);
        writeTime(t.stoppedAt, base, out);
        writeTime(t.withdrawnAt, base, out);
        writeTime(t.apologyDueAt, base, out);
        writeTime(s.timer, base, out);
        out.writeByte((t.channel == null ? 0 : t.channel.ordinal() + 1) | (t.stopType == null ? 0 : (t.stopType.ordinal() + 1) << 4));
        StringValue.writeString(t.unitCode, out);
        StringValue.writeString(t.procedureCode, out);
        writeVarLong(t.seenEvents.length / 2, out);
        for (long v : t.seenEvents) {
            out.writeLong(v);
        }
        writeVarLong(t.supplements.length, out);
        for (long packed : t.supplements) {
            writeVarLong(zigZag(packed - (base << 1)), out);
        }
        if (facts) {
            t.facts.writeCompact(out);
        }
        if (s.overdue != null) {
            writeAlert(s.overdue, base, out);
        }
        if (s.atRisk != null) {
            writeAlert(s.atRisk, base, out);
        }
    }

    @Override
    public DossierState deserialize(DataInputView in) throws IOException {
        // Layout 1 is the only one so far; a layout 2 would branch on this.layout here.
        DossierTimeline t = new DossierTimeline();
        DossierState s = new DossierState(t);
        int flags = in.readUnsignedByte();
        t.hasReceipt = (flags & HAS_RECEIPT) != 0;
        t.digitised = (flags & DIGITISED) != 0;
        t.resultDigitised = (flags & RESULT_DIGITISED) != 0;
        int set = (int) readVarLong(in);
        long base = (set & 1) == 0 ? 0 : unZigZag(readVarLong(in));
        t.lastEventAt = (set & 1) == 0 ? NONE : base;
        t.receivedAt = readTime(set, 1, base, in);
        t.dueAt = readTime(set, 2, base, in);
        t.resolvedAt = readTime(set, 3, base, in);
        t.returnedAt = readTime(set, 4, base, in);
        t.stoppedAt = readTime(set, 5, base, in);
        t.withdrawnAt = readTime(set, 6, base, in);
        t.apologyDueAt = readTime(set, 7, base, in);
        s.timer = readTime(set, 8, base, in);
        int kinds = in.readUnsignedByte();
        t.channel = (kinds & 0xf) == 0 ? null : Channel.values()[(kinds & 0xf) - 1];
        t.stopType = (kinds >>> 4) == 0 ? null : EventType.values()[(kinds >>> 4) - 1];
        t.unitCode = StringValue.readString(in);
        t.procedureCode = StringValue.readString(in);
        long[] seen = new long[2 * (int) readVarLong(in)];
        for (int i = 0; i < seen.length; i++) {
            seen[i] = in.readLong();
        }
        t.seenEvents = seen;
        long[] supplements = new long[(int) readVarLong(in)];
        for (int i = 0; i < supplements.length; i++) {
            supplements[i] = unZigZag(readVarLong(in)) + (base << 1);
        }
        t.supplements = supplements;
        if ((flags & FACTS) != 0) {
            t.facts = DossierFacts.readCompact(in);
        }
        if ((flags & OVERDUE) != 0) {
            s.overdue = readAlert(AlertKind.DOSSIER_OVERDUE, base, in);
        }
        if ((flags & AT_RISK) != 0) {
            s.atRisk = readAlert(AlertKind.DOSSIER_AT_RISK, base, in);
        }
        return s;
    }

    private static int bit(long time, int i) {
        return time == NONE ? 0 : 1 << i;
    }

    /** A time other than the last event's: its difference from that one, if set (the set varint says which are). */
    private static void writeTime(long time, long base, DataOutputView out) throws IOException {
        if (time != NONE) {
            writeVarLong(zigZag(time - base), out);
        }
    }

    private static long readTime(int set, int i, long base, DataInputView in) throws IOException {
        return (set & (1 << i)) == 0 ? NONE : unZigZag(readVarLong(in)) + base;
    }

    /** A dossier alert as the operator keeps it: kind by position, id and dossier id from the key, no KPI fields. */
    private static void writeAlert(SlaAlert a, long base, DataOutputView out) throws IOException {
        boolean closed = a.closedAt != SlaAlert.OPEN;
        out.writeByte((closed ? ALERT_CLOSED : 0) | (a.retracted ? ALERT_RETRACTED : 0));
        StringValue.writeString(a.unitCode, out);
        writeVarLong(zigZag(a.openedAt - base), out);
        if (closed) {
            writeVarLong(zigZag(a.closedAt - base), out);
        }
        StringValue.writeString(a.details, out);
    }

    private static SlaAlert readAlert(AlertKind kind, long base, DataInputView in) throws IOException {
        int flags = in.readUnsignedByte();
        SlaAlert a = new SlaAlert();
        a.kind = kind;
        a.retracted = (flags & ALERT_RETRACTED) != 0;
        a.unitCode = StringValue.readString(in);
        a.openedAt = unZigZag(readVarLong(in)) + base;
        a.closedAt = (flags & ALERT_CLOSED) != 0 ? unZigZag(readVarLong(in)) + base : SlaAlert.OPEN;
        a.details = StringValue.readString(in);
        return a;
    }

    @Override
    public DossierState copy(DossierState from) {
        DossierTimeline f = from.timeline;
        DossierTimeline t = new DossierTimeline();
        t.seenEvents = f.seenEvents.clone();
        t.hasReceipt = f.hasReceipt;
        t.receivedAt = f.receivedAt;
        t.unitCode = f.unitCode;
        t.procedureCode = f.procedureCode;
        t.channel = f.channel;
        t.dueAt = f.dueAt;
        t.digitised = f.digitised;
        t.supplements = f.supplements.clone();
        t.resolvedAt = f.resolvedAt;
        t.resultDigitised = f.resultDigitised;
        t.returnedAt = f.returnedAt;
        t.stoppedAt = f.stoppedAt;
        t.stopType = f.stopType;
        t.withdrawnAt = f.withdrawnAt;
        t.apologyDueAt = f.apologyDueAt;
        t.lastEventAt = f.lastEventAt;
        t.facts = f.facts.copy();
        DossierState s = new DossierState(t);
        s.timer = from.timer;
        s.overdue = from.overdue == null ? null : from.overdue.copy();
        s.atRisk = from.atRisk == null ? null : from.atRisk.copy();
        return s;
    }

    @Override
    public DossierState copy(DossierState from, DossierState reuse) {
        return copy(from);
    }

    @Override
    public void copy(DataInputView source, DataOutputView target) throws IOException {
        serialize(deserialize(source), target);
    }

    @Override
    public DossierState deserialize(DossierState reuse, DataInputView source) throws IOException {
        return deserialize(source);
    }

    @Override
    public DossierState createInstance() {
        return new DossierState();
    }

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public TypeSerializer<DossierState> duplicate() {
        return this;  // stateless
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DossierStateSerializer other && other.layout == layout;
    }

    @Override
    public int hashCode() {
        return layout;
    }

    @Override
    public TypeSerializerSnapshot<DossierState> snapshotConfiguration() {
        return new Snapshot(layout);
    }

    static void writeVarLong(long v, DataOutputView out) throws IOException {
        while ((v & ~0x7fL) != 0) {
            out.writeByte((int) ((v & 0x7f) | 0x80));
            v >>>= 7;
        }
        out.writeByte((int) v);
    }

    static long readVarLong(DataInputView in) throws IOException {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b = in.readUnsignedByte();
            v |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return v;
            }
        }
        throw new IOException("malformed varint in dossier state");
    }

    static long zigZag(long v) {
        return (v << 1) ^ (v >> 63);
    }

    static long unZigZag(long v) {
        return (v >>> 1) ^ -(v & 1);
    }

    /**
     * The serializer's configuration in checkpoints and savepoints: the layout of the state beside it. Its own
     * format (an int) is version 1 of {@link #getCurrentVersion}; the layout is the state's bytes' version.
     */
    public static final class Snapshot implements TypeSerializerSnapshot<DossierState> {
        private int layout;

        /** For Flink, which instantiates the snapshot by name and then calls {@link #readSnapshot}. */
        public Snapshot() {
            this(LAYOUT);
        }

        Snapshot(int layout) {
            this.layout = layout;
        }

        int layout() {
            return layout;
        }

        @Override
        public int getCurrentVersion() {
            return 1;
        }

        @Override
        public void writeSnapshot(DataOutputView out) throws IOException {
            out.writeInt(layout);
        }

        @Override
        public void readSnapshot(int readVersion, DataInputView in, ClassLoader userCodeClassLoader) throws IOException {
            if (readVersion != 1) {
                throw new IOException("unknown DossierStateSerializer snapshot version " + readVersion);
            }
            layout = in.readInt();
        }

        /** Reads state of the restored layout (and writes the current one, as every instance does). */
        @Override
        public TypeSerializer<DossierState> restoreSerializer() {
            return layout == LAYOUT ? INSTANCE : new DossierStateSerializer(layout);
        }

        /** Called on the new code's snapshot with the snapshot restored from the checkpoint or savepoint. */
        @Override
        public TypeSerializerSchemaCompatibility<DossierState> resolveSchemaCompatibility(TypeSerializerSnapshot<DossierState> old) {
            if (!(old instanceof Snapshot restored) || restored.layout > layout) {
                return TypeSerializerSchemaCompatibility.incompatible();
            }
            return restored.layout == layout ? TypeSerializerSchemaCompatibility.compatibleAsIs()
                    : TypeSerializerSchemaCompatibility.compatibleAfterMigration();
        }
    }
}

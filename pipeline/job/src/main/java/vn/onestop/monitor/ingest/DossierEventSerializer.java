package vn.onestop.monitor.ingest;

import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** {@link DossierEvent} on the wire between the parser and the per-dossier state (see {@link CompactSerializer}). */
public final class DossierEventSerializer extends CompactSerializer<DossierEvent> {
    private static final long serialVersionUID = 1L;
    public static final DossierEventSerializer INSTANCE = new DossierEventSerializer();
    private static final EventType[] TYPES = EventType.values();
    private static final Channel[] CHANNELS = Channel.values();
    private static final OnlineMode[] MODES = OnlineMode.values();
    private static final PaymentMethod[] METHODS = PaymentMethod.values();

    @Override
    public DossierEvent createInstance() {
        return new DossierEvent();
    }

    @Override
    public DossierEvent copy(DossierEvent from) {
        DossierEvent e = new DossierEvent();
        e.eventId = from.eventId;
        e.dossierId = from.dossierId;
        e.type = from.type;
        e.occurredAt = from.occurredAt;
        e.unitCode = from.unitCode;
        e.procedureCode = from.procedureCode;
        e.channel = from.channel;
        e.dueAt = from.dueAt;
        e.digitised = from.digitised;
        e.resultDigitised = from.resultDigitised;
        e.newDueAt = from.newDueAt;
        e.onlineMode = from.onlineMode;
        e.flags = from.flags;
        e.paymentMethod = from.paymentMethod;
        e.paymentAmount = from.paymentAmount;
        e.topic = from.topic;
        e.recordTimestamp = from.recordTimestamp;
        e.partition = from.partition;
        e.offset = from.offset;
        e.payload = from.payload == null ? null : from.payload.clone();
        return e;
    }

    @Override
    public void serialize(DossierEvent e, DataOutputView out) throws IOException {
        writeText(e.eventId, out);
        writeText(e.dossierId, out);
        writeEnum(e.type, out);
        out.writeLong(e.occurredAt);
        writeText(e.unitCode, out);
        writeText(e.procedureCode, out);
        writeEnum(e.channel, out);
        out.writeLong(e.dueAt);
        out.writeByte((e.digitised ? 1 : 0) | (e.resultDigitised ? 2 : 0));
        out.writeLong(e.newDueAt);
        writeEnum(e.onlineMode, out);
        out.writeByte(e.flags);
        writeEnum(e.paymentMethod, out);
        out.writeLong(e.paymentAmount);
        writeText(e.topic, out);
        out.writeLong(e.recordTimestamp);
        out.writeInt(e.partition);
        out.writeLong(e.offset);
        writeBytes(e.payload, out);
    }

    @Override
    public DossierEvent deserialize(DataInputView in) throws IOException {
        DossierEvent e = new DossierEvent();
        e.eventId = readText(in);
        e.dossierId = readText(in);
        e.type = readEnum(TYPES, in);
        e.occurredAt = in.readLong();
        e.unitCode = readText(in);
        e.procedureCode = readText(in);
        e.channel = readEnum(CHANNELS, in);
        e.dueAt = in.readLong();
        int flags = in.readByte();
        e.digitised = (flags & 1) != 0;
        e.resultDigitised = (flags & 2) != 0;
        e.newDueAt = in.readLong();
        e.onlineMode = readEnum(MODES, in);
        e.flags = in.readByte();
        e.paymentMethod = readEnum(METHODS, in);
        e.paymentAmount = in.readLong();
        e.topic = readText(in);
        e.recordTimestamp = in.readLong();
        e.partition = in.readInt();
        e.offset = in.readLong();
        e.payload = readBytes(in);
        return e;
    }

    /** Length of a string sent as Flink's {@link StringValue} (not all ASCII); -1 is null. */
    private static final int NOT_ASCII = -2;
    /** Long enough for every identifier the contract allows (200 characters) and the topic name. */
    private static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[256]);

    /**
     * Identifiers and codes are ASCII in practice: sent as one byte per character, and read into a thread's scratch
     * buffer, so reading one allocates only the String (StringValue allocates a char[] and then the String's bytes:
     * a tenth of the classifying task's allocation in the JFR profile of issue 17). Anything else goes as StringValue.
     */
    private static void writeText(String s, DataOutputView out) throws IOException {
        if (s == null) {
            out.writeInt(-1);
            return;
        }
        int n = s.length();
        for (int i = 0; i < n; i++) {
            if (s.charAt(i) >= 0x80) {
                out.writeInt(NOT_ASCII);
                StringValue.writeString(s, out);
                return;
            }
        }
        // Not out.writeBytes(s): Flink's DataOutputSerializer advances its position twice there (FLINK 2.2.1).
        byte[] scratch = scratch(n);
        s.getBytes(0, n, scratch, 0);
        out.writeInt(n);
        out.write(scratch, 0, n);
    }

    private static byte[] scratch(int n) {
        byte[] scratch = SCRATCH.get();
        if (scratch.length < n) {
            scratch = new byte[n];
            SCRATCH.set(scratch);
        }
        return scratch;
    }

    private static String readText(DataInputView in) throws IOException {
        int n = in.readInt();
        if (n == -1) {
            return null;
        }
        if (n == NOT_ASCII) {
            return StringValue.readString(in);
        }
        byte[] scratch = scratch(n);
        in.readFully(scratch, 0, n);
        return new String(scratch, 0, n, StandardCharsets.ISO_8859_1);
    }

    @Override
    public TypeSerializerSnapshot<DossierEvent> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Restores the serializer from a snapshot (no configuration: the layout above is the version). */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<DossierEvent> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}

package vn.onestop.monitor.ingest;

import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

import java.io.IOException;

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
        StringValue.writeString(e.eventId, out);
        StringValue.writeString(e.dossierId, out);
        writeEnum(e.type, out);
        out.writeLong(e.occurredAt);
        StringValue.writeString(e.unitCode, out);
        StringValue.writeString(e.procedureCode, out);
        writeEnum(e.channel, out);
        out.writeLong(e.dueAt);
        out.writeByte((e.digitised ? 1 : 0) | (e.resultDigitised ? 2 : 0));
        out.writeLong(e.newDueAt);
        writeEnum(e.onlineMode, out);
        out.writeByte(e.flags);
        writeEnum(e.paymentMethod, out);
        out.writeLong(e.paymentAmount);
        StringValue.writeString(e.topic, out);
        out.writeLong(e.recordTimestamp);
        out.writeInt(e.partition);
        out.writeLong(e.offset);
        writeBytes(e.payload, out);
    }

    @Override
    public DossierEvent deserialize(DataInputView in) throws IOException {
        DossierEvent e = new DossierEvent();
        e.eventId = StringValue.readString(in);
        e.dossierId = StringValue.readString(in);
        e.type = readEnum(TYPES, in);
        e.occurredAt = in.readLong();
        e.unitCode = StringValue.readString(in);
        e.procedureCode = StringValue.readString(in);
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
        e.topic = StringValue.readString(in);
        e.recordTimestamp = in.readLong();
        e.partition = in.readInt();
        e.offset = in.readLong();
        e.payload = readBytes(in);
        return e;
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

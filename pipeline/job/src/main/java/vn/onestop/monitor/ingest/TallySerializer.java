package vn.onestop.monitor.ingest;

import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

import java.io.IOException;

/** {@link Tally} on the wire: two of them per record read (see {@link CompactSerializer}). */
public final class TallySerializer extends CompactSerializer<Tally> {
    private static final long serialVersionUID = 1L;
    public static final TallySerializer INSTANCE = new TallySerializer();
    private static final Tally.Outcome[] OUTCOMES = Tally.Outcome.values();

    @Override
    public Tally createInstance() {
        return new Tally();
    }

    @Override
    public Tally copy(Tally from) {
        Tally t = new Tally();
        t.topic = from.topic;
        t.day = from.day;
        t.outcome = from.outcome;
        return t;
    }

    @Override
    public void serialize(Tally t, DataOutputView out) throws IOException {
        StringValue.writeString(t.topic, out);
        out.writeInt(t.day);
        writeEnum(t.outcome, out);
    }

    @Override
    public Tally deserialize(DataInputView in) throws IOException {
        Tally t = new Tally();
        t.topic = StringValue.readString(in);
        t.day = in.readInt();
        t.outcome = readEnum(OUTCOMES, in);
        return t;
    }

    @Override
    public TypeSerializerSnapshot<Tally> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Restores the serializer from a snapshot. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<Tally> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}

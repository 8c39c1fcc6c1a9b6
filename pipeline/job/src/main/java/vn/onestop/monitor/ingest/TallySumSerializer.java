package vn.onestop.monitor.ingest;

import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

import java.io.IOException;

/** {@link TallySum} on the wire (see {@link CompactSerializer}). */
public final class TallySumSerializer extends CompactSerializer<TallySum> {
    private static final long serialVersionUID = 1L;
    public static final TallySumSerializer INSTANCE = new TallySumSerializer();

    @Override
    public TallySum createInstance() {
        return new TallySum();
    }

    @Override
    public TallySum copy(TallySum from) {
        return new TallySum(from.topic, from.day, from.counts == null ? null : from.counts.clone());
    }

    @Override
    public void serialize(TallySum s, DataOutputView out) throws IOException {
        StringValue.writeString(s.topic, out);
        out.writeInt(s.day);
        out.writeByte(s.counts.length);
        for (long c : s.counts) {
            out.writeLong(c);
        }
    }

    @Override
    public TallySum deserialize(DataInputView in) throws IOException {
        String topic = StringValue.readString(in);
        int day = in.readInt();
        long[] counts = new long[in.readByte()];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = in.readLong();
        }
        return new TallySum(topic, day, counts);
    }

    @Override
    public TypeSerializerSnapshot<TallySum> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Restores the serializer from a snapshot. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<TallySum> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}

package vn.onestop.monitor.kpi;

import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;
import vn.onestop.monitor.ingest.CompactSerializer;

import java.io.IOException;

/** {@link UnitHourCounts} on the wire to the KPI breach detector (see {@link CompactSerializer}). */
public final class UnitHourCountsSerializer extends CompactSerializer<UnitHourCounts> {
    private static final long serialVersionUID = 1L;
    public static final UnitHourCountsSerializer INSTANCE = new UnitHourCountsSerializer();

    @Override
    public UnitHourCounts createInstance() {
        return new UnitHourCounts();
    }

    @Override
    public UnitHourCounts copy(UnitHourCounts from) {
        return new UnitHourCounts(from.unitCode, from.hourStart, from.counts == null ? null : from.counts.clone(), from.rolledUp);
    }

    @Override
    public void serialize(UnitHourCounts d, DataOutputView out) throws IOException {
        StringValue.writeString(d.unitCode, out);
        out.writeLong(d.hourStart);
        out.writeBoolean(d.rolledUp);
        out.writeInt(d.counts == null ? -1 : d.counts.length);
        if (d.counts != null) {
            for (long v : d.counts) {
                out.writeLong(v);
            }
        }
    }

    @Override
    public UnitHourCounts deserialize(DataInputView in) throws IOException {
        String unit = StringValue.readString(in);
        long hour = in.readLong();
        boolean rolledUp = in.readBoolean();
        int n = in.readInt();
        long[] delta = n < 0 ? null : new long[n];
        for (int i = 0; i < n; i++) {
            delta[i] = in.readLong();
        }
        return new UnitHourCounts(unit, hour, delta, rolledUp);
    }

    @Override
    public TypeSerializerSnapshot<UnitHourCounts> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Restores the serializer from a snapshot. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<UnitHourCounts> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}

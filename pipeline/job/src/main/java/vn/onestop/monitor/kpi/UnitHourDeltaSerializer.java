package vn.onestop.monitor.kpi;

import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;
import vn.onestop.monitor.ingest.CompactSerializer;

import java.io.IOException;

/** {@link UnitHourDelta} on the wire to the unit-hour counts (see {@link CompactSerializer}). */
public final class UnitHourDeltaSerializer extends CompactSerializer<UnitHourDelta> {
    private static final long serialVersionUID = 1L;
    public static final UnitHourDeltaSerializer INSTANCE = new UnitHourDeltaSerializer();

    @Override
    public UnitHourDelta createInstance() {
        return new UnitHourDelta();
    }

    @Override
    public UnitHourDelta copy(UnitHourDelta from) {
        return new UnitHourDelta(from.unitCode, from.hourStart, from.delta == null ? null : from.delta.clone(), from.rolledUp);
    }

    @Override
    public void serialize(UnitHourDelta d, DataOutputView out) throws IOException {
        StringValue.writeString(d.unitCode, out);
        out.writeLong(d.hourStart);
        out.writeBoolean(d.rolledUp);
        out.writeInt(d.delta == null ? -1 : d.delta.length);
        if (d.delta != null) {
            for (int v : d.delta) {
                out.writeInt(v);
            }
        }
    }

    @Override
    public UnitHourDelta deserialize(DataInputView in) throws IOException {
        String unit = StringValue.readString(in);
        long hour = in.readLong();
        boolean rolledUp = in.readBoolean();
        int n = in.readInt();
        int[] delta = n < 0 ? null : new int[n];
        for (int i = 0; i < n; i++) {
            delta[i] = in.readInt();
        }
        return new UnitHourDelta(unit, hour, delta, rolledUp);
    }

    @Override
    public TypeSerializerSnapshot<UnitHourDelta> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Restores the serializer from a snapshot. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<UnitHourDelta> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}

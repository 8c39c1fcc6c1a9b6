package vn.onestop.monitor.kpi;

import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;
import vn.onestop.monitor.ingest.CompactSerializer;

import java.io.IOException;

/**
 * {@link DossierRow} from the classifying operator to the {@code dossier} sink (see {@link CompactSerializer}). The
 * sink is chained, so what every event pays is {@link #copy}: Flink copies each record handed to a chained operator,
 * and the POJO serializer did that field by field through reflection, boxing every time. The row is in no state.
 */
public final class DossierRowSerializer extends CompactSerializer<DossierRow> {
    private static final long serialVersionUID = 1L;
    public static final DossierRowSerializer INSTANCE = new DossierRowSerializer();
    private static final DossierStatus[] STATUSES = DossierStatus.values();

    @Override
    public DossierRow createInstance() {
        return new DossierRow();
    }

    @Override
    public DossierRow copy(DossierRow from) {
        DossierRow r = new DossierRow();
        r.dossierId = from.dossierId;
        r.unitCode = from.unitCode;
        r.procedureCode = from.procedureCode;
        r.channel = from.channel;
        r.receivedAt = from.receivedAt;
        r.dueAt = from.dueAt;
        r.effectiveDueAt = from.effectiveDueAt;
        r.supplementRequests = from.supplementRequests;
        r.waitingSupplement = from.waitingSupplement;
        r.pausedMs = from.pausedMs;
        r.endedAt = from.endedAt;
        r.endType = from.endType;
        r.status = from.status;
        r.digitised = from.digitised;
        r.resultDigitised = from.resultDigitised;
        r.apologyDueAt = from.apologyDueAt;
        r.lastEventAt = from.lastEventAt;
        r.eventsApplied = from.eventsApplied;
        r.resolvedAt = from.resolvedAt;
        r.returnedAt = from.returnedAt;
        r.stoppedAt = from.stoppedAt;
        r.withdrawnAt = from.withdrawnAt;
        r.supplementRequestedAt = copyOf(from.supplementRequestedAt);
        r.supplementSuppliedAt = copyOf(from.supplementSuppliedAt);
        r.onlineMode = from.onlineMode;
        r.syncedToPortal = from.syncedToPortal;
        r.electronicResult = from.electronicResult;
        r.reusedData = from.reusedData;
        r.personalDataStore = from.personalDataStore;
        r.vneid = from.vneid;
        r.payments = from.payments;
        r.paymentAmount = from.paymentAmount;
        r.paidOnline = from.paidOnline;
        return r;
    }

    /** Arrays are copied as the POJO serializer did; an empty one is kept (nothing can change in it). */
    private static long[] copyOf(long[] a) {
        return a == null || a.length == 0 ? a : a.clone();
    }

    @Override
    public void serialize(DossierRow r, DataOutputView out) throws IOException {
        StringValue.writeString(r.dossierId, out);
        StringValue.writeString(r.unitCode, out);
        StringValue.writeString(r.procedureCode, out);
        StringValue.writeString(r.channel, out);
        out.writeLong(r.receivedAt);
        out.writeLong(r.dueAt);
        out.writeLong(r.effectiveDueAt);
        out.writeInt(r.supplementRequests);
        out.writeLong(r.pausedMs);
        out.writeLong(r.endedAt);
        StringValue.writeString(r.endType, out);
        writeEnum(r.status, out);
        out.writeLong(r.apologyDueAt);
        out.writeLong(r.lastEventAt);
        out.writeInt(r.eventsApplied);
        out.writeLong(r.resolvedAt);
        out.writeLong(r.returnedAt);
        out.writeLong(r.stoppedAt);
        out.writeLong(r.withdrawnAt);
        writeTimes(r.supplementRequestedAt, out);
        writeTimes(r.supplementSuppliedAt, out);
        StringValue.writeString(r.onlineMode, out);
        out.writeInt(r.payments);
        out.writeLong(r.paymentAmount);
        int flags = (r.waitingSupplement ? 1 : 0) | (r.digitised ? 2 : 0) | (r.resultDigitised ? 4 : 0) | (r.syncedToPortal ? 8 : 0)
                | (r.electronicResult ? 16 : 0) | (r.reusedData ? 32 : 0) | (r.personalDataStore ? 64 : 0) | (r.vneid ? 128 : 0)
                | (r.paidOnline ? 256 : 0);
        out.writeShort(flags);
    }

    @Override
    public DossierRow deserialize(DataInputView in) throws IOException {
        DossierRow r = new DossierRow();
        r.dossierId = StringValue.readString(in);
        r.unitCode = StringValue.readString(in);
        r.procedureCode = StringValue.readString(in);
        r.channel = StringValue.readString(in);
        r.receivedAt = in.readLong();
        r.dueAt = in.readLong();
        r.effectiveDueAt = in.readLong();
        r.supplementRequests = in.readInt();
        r.pausedMs = in.readLong();
        r.endedAt = in.readLong();
        r.endType = StringValue.readString(in);
        r.status = readEnum(STATUSES, in);
        r.apologyDueAt = in.readLong();
        r.lastEventAt = in.readLong();
        r.eventsApplied = in.readInt();
        r.resolvedAt = in.readLong();
        r.returnedAt = in.readLong();
        r.stoppedAt = in.readLong();
        r.withdrawnAt = in.readLong();
        r.supplementRequestedAt = readTimes(in);
        r.supplementSuppliedAt = readTimes(in);
        r.onlineMode = StringValue.readString(in);
        r.payments = in.readInt();
        r.paymentAmount = in.readLong();
        int flags = in.readShort();
        r.waitingSupplement = (flags & 1) != 0;
        r.digitised = (flags & 2) != 0;
        r.resultDigitised = (flags & 4) != 0;
        r.syncedToPortal = (flags & 8) != 0;
        r.electronicResult = (flags & 16) != 0;
        r.reusedData = (flags & 32) != 0;
        r.personalDataStore = (flags & 64) != 0;
        r.vneid = (flags & 128) != 0;
        r.paidOnline = (flags & 256) != 0;
        return r;
    }

    private static void writeTimes(long[] times, DataOutputView out) throws IOException {
        if (times == null) {
            out.writeInt(-1);
            return;
        }
        out.writeInt(times.length);
        for (long t : times) {
            out.writeLong(t);
        }
    }

    private static long[] readTimes(DataInputView in) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            return null;
        }
        if (n == 0) {
            return DossierRow.NO_TIMES;
        }
        long[] times = new long[n];
        for (int i = 0; i < n; i++) {
            times[i] = in.readLong();
        }
        return times;
    }

    @Override
    public TypeSerializerSnapshot<DossierRow> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Restores the serializer from a snapshot. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<DossierRow> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}

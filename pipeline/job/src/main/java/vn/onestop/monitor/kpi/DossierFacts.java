package vn.onestop.monitor.kpi;

import vn.onestop.monitor.ingest.DossierEvent;
import vn.onestop.monitor.ingest.OnlineMode;

import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * The per-dossier facts of the national index (issue 16, docs/INDEX766.md) that the operational KPIs do not use:
 * online mode, the portal / data-reuse flags and the payments. {@link DossierTimeline} holds one and feeds it every
 * applied (new, not duplicate) event, so like the timeline it is order-independent: flags are a union, payments a sum
 * over distinct events, the online mode follows whichever receipt the timeline keeps.
 */
public final class DossierFacts {
    private OnlineMode onlineMode;
    private int flags;
    private int payments;
    private long paymentAmount;
    private boolean paidOnline;

    /**
     * @param receiptKept whether this event is the receipt the timeline now keeps (a later, duplicate-looking receipt
     *                    must not overwrite the online mode of the earlier one)
     */
    void apply(DossierEvent e, boolean receiptKept) {
        if (receiptKept) {
            onlineMode = e.onlineMode;
        }
        flags |= e.flags;
        if (e.paymentAmount != DossierEvent.NO_AMOUNT) {
            payments++;
            paymentAmount += e.paymentAmount;
            // A zero line paid "online" moves no money: 3.6 counts dossiers whose fee was actually paid online.
            if (e.paymentMethod.isOnline() && e.paymentAmount > 0) {
                paidOnline = true;
            }
        }
    }

    /** Folds the content into an event's fingerprint only when set, so fingerprints of older events do not change. */
    static boolean hasIndexFacts(DossierEvent e) {
        return e.onlineMode != null || e.flags != 0 || e.paymentAmount != DossierEvent.NO_AMOUNT;
    }

    void fill(DossierRow r) {
        r.onlineMode = onlineMode == null ? null : onlineMode.name();
        r.syncedToPortal = has(DossierEvent.SYNCED_TO_PORTAL);
        r.electronicResult = has(DossierEvent.ELECTRONIC_RESULT);
        r.reusedData = has(DossierEvent.REUSED_DATA);
        r.personalDataStore = has(DossierEvent.PERSONAL_DATA_STORE);
        r.vneid = has(DossierEvent.VNEID);
        r.payments = payments;
        r.paymentAmount = paymentAmount;
        r.paidOnline = paidOnline;
    }

    private boolean has(int bit) {
        return (flags & bit) != 0;
    }

    void write(DataOutputStream out) throws IOException {
        out.writeByte(onlineMode == null ? -1 : onlineMode.ordinal());
        out.writeByte(flags);
        out.writeInt(payments);
        out.writeLong(paymentAmount);
        out.writeBoolean(paidOnline);
    }

    /** Whether nothing of the index is known (most dossiers without payments): the state then stores no facts at all. */
    boolean isEmpty() {
        return onlineMode == null && flags == 0 && payments == 0 && paymentAmount == 0 && !paidOnline;
    }

    /** {@link DossierStateSerializer}'s layout: mode and the online-payment mark in one byte, then flags and varints. */
    void writeCompact(DataOutputView out) throws IOException {
        out.writeByte((onlineMode == null ? 0 : onlineMode.ordinal() + 1) | (paidOnline ? 0x80 : 0));
        out.writeByte(flags);
        DossierStateSerializer.writeVarLong(payments, out);
        DossierStateSerializer.writeVarLong(DossierStateSerializer.zigZag(paymentAmount), out);
    }

    static DossierFacts readCompact(DataInputView in) throws IOException {
        DossierFacts f = new DossierFacts();
        int b = in.readUnsignedByte();
        int mode = b & 0x7f;
        f.onlineMode = mode == 0 ? null : OnlineMode.values()[mode - 1];
        f.paidOnline = (b & 0x80) != 0;
        f.flags = in.readByte();
        f.payments = (int) DossierStateSerializer.readVarLong(in);
        f.paymentAmount = DossierStateSerializer.unZigZag(DossierStateSerializer.readVarLong(in));
        return f;
    }

    DossierFacts copy() {
        DossierFacts f = new DossierFacts();
        f.onlineMode = onlineMode;
        f.flags = flags;
        f.payments = payments;
        f.paymentAmount = paymentAmount;
        f.paidOnline = paidOnline;
        return f;
    }

    static DossierFacts read(DataInputStream in) throws IOException {
        DossierFacts f = new DossierFacts();
        int mode = in.readByte();
        f.onlineMode = mode < 0 ? null : OnlineMode.values()[mode];
        f.flags = in.readByte();
        f.payments = in.readInt();
        f.paymentAmount = in.readLong();
        f.paidOnline = in.readBoolean();
        return f;
    }
}

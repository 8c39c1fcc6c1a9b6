package vn.onestop.monitor.kpi;

import vn.onestop.monitor.ingest.Channel;
import vn.onestop.monitor.ingest.EventType;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The previous per-dossier state format: a dossier's timeline as the bytes of a {@code byte[]} value state
 * ("timeline"), formats 1 to 3. The operator now keeps a {@link DossierState} written by
 * {@link DossierStateSerializer}; these bytes are only read, to move the dossiers of a savepoint taken before that
 * change ({@link LegacyDossierState}). {@link #toBytes} stays so that {@code DossierStateFormatTest} can pin format 3
 * against the reader; every format here must stay readable as long as such savepoints may be restored.
 */
public final class DossierStateCodec {
    private DossierStateCodec() {}

    /**
     * Format 2 pairs each event id with its content fingerprint; format 1 (ids only) is still read. Format 3 appends
     * the {@link DossierFacts} at the end; formats 1 and 2 read as a dossier without those facts.
     */
    private static final int FORMAT = 3;

    public static byte[] toBytes(DossierTimeline t) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(96);
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeByte(FORMAT);
            writeLongs(out, t.seenEvents);
            out.writeBoolean(t.hasReceipt);
            out.writeLong(t.receivedAt);
            writeString(out, t.unitCode);
            writeString(out, t.procedureCode);
            out.writeByte(t.channel == null ? -1 : t.channel.ordinal());
            out.writeLong(t.dueAt);
            out.writeBoolean(t.digitised);
            writeLongs(out, t.supplements);
            out.writeLong(t.resolvedAt);
            out.writeBoolean(t.resultDigitised);
            out.writeLong(t.returnedAt);
            out.writeLong(t.stoppedAt);
            out.writeByte(t.stopType == null ? -1 : t.stopType.ordinal());
            out.writeLong(t.withdrawnAt);
            out.writeLong(t.apologyDueAt);
            out.writeLong(t.lastEventAt);
            t.facts.write(out);
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
            if (format < 1 || format > FORMAT) {
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
            if (format >= 3) {
                t.facts = DossierFacts.read(in);
            }
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

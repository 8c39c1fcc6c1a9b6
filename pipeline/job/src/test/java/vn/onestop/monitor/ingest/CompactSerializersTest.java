package vn.onestop.monitor.ingest;

import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;
import vn.onestop.monitor.kpi.UnitHourCounts;
import vn.onestop.monitor.kpi.UnitHourDelta;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** The hand-written serializers carry every field, nulls included, and are the ones Flink actually picks. */
class CompactSerializersTest {

    @Test
    void flinkUsesTheHandWrittenSerializers() {
        for (Class<?> type : new Class<?>[] {DossierEvent.class, Tally.class, TallySum.class, UnitHourDelta.class, UnitHourCounts.class}) {
            TypeSerializer<?> s = TypeInformation.of(type).createSerializer(new SerializerConfigImpl());
            assertThat(s).as(type.getSimpleName()).isInstanceOf(CompactSerializer.class);
        }
    }

    @Test
    void aFullDossierEventSurvivesTheTrip() throws Exception {
        DossierEvent e = new DossierEvent();
        e.eventId = "e-1";
        e.dossierId = "000.00.11248.H23-240115-0001";
        e.type = EventType.APOLOGY_ISSUED;
        e.occurredAt = 1_705_300_000_000L;
        e.unitCode = "11248";
        e.procedureCode = "2.000815";
        e.channel = Channel.POSTAL;
        e.dueAt = 1_705_400_000_000L;
        e.digitised = true;
        e.resultDigitised = false;
        e.newDueAt = 1_705_500_000_000L;
        e.topic = "dossier-events";
        e.recordTimestamp = 1_705_300_000_123L;
        e.partition = 3;
        e.offset = 9_876_543_210L;
        e.payload = "{\"x\":\"Hồ sơ\"}".getBytes(StandardCharsets.UTF_8);
        DossierEvent back = trip(DossierEventSerializer.INSTANCE, e);
        assertThat(back).usingRecursiveComparison().isEqualTo(e);
        assertThat(back.payload).isNotSameAs(e.payload);

        // Identifiers outside ASCII (the contract allows any printable text), empty and longer than any scratch buffer.
        e.eventId = "sự-kiện-1";
        e.dossierId = "";
        e.procedureCode = "p".repeat(5_000);
        e.unitCode = "\uD83C\uDFDB";
        DossierEvent unusual = trip(DossierEventSerializer.INSTANCE, e);
        assertThat(unusual).usingRecursiveComparison().isEqualTo(e);

        DossierEvent flagsOnly = new DossierEvent();
        flagsOnly.resultDigitised = true;
        assertThat(trip(DossierEventSerializer.INSTANCE, flagsOnly)).usingRecursiveComparison().isEqualTo(flagsOnly);
    }

    @Test
    void anEmptyDossierEventKeepsItsNullsAndAbsentTimes() throws Exception {
        DossierEvent e = new DossierEvent();
        DossierEvent back = trip(DossierEventSerializer.INSTANCE, e);
        assertThat(back).usingRecursiveComparison().isEqualTo(e);
        assertThat(back.type).isNull();
        assertThat(back.payload).isNull();
        assertThat(back.dueAt).isEqualTo(DossierEvent.NO_TIME);
    }

    @Test
    void talliesAndCountsSurviveTheTrip() throws Exception {
        Tally t = new Tally("qr-feedback", 1_705_300_000_000L, Tally.Outcome.DEAD_LETTER);
        assertThat(trip(TallySerializer.INSTANCE, t)).usingRecursiveComparison().isEqualTo(t);
        TallySum sum = new TallySum("dossier-events", 19_737, new long[] {Long.MAX_VALUE, 2, 0, 1});
        assertThat(trip(TypeInformation.of(TallySum.class).createSerializer(new SerializerConfigImpl()), sum))
                .usingRecursiveComparison().isEqualTo(sum);
        UnitHourDelta d = new UnitHourDelta("11248", 1_705_298_400_000L, new int[] {1, -1, 0, 7, Integer.MIN_VALUE});
        assertThat(trip(TypeInformation.of(UnitHourDelta.class).createSerializer(new SerializerConfigImpl()), d))
                .usingRecursiveComparison().isEqualTo(d);
        UnitHourCounts c = new UnitHourCounts("11248", 1_705_298_400_000L, new long[] {Long.MAX_VALUE, 0, 3});
        assertThat(trip(TypeInformation.of(UnitHourCounts.class).createSerializer(new SerializerConfigImpl()), c))
                .usingRecursiveComparison().isEqualTo(c);
    }

    @Test
    void aSnapshotRestoresTheSameSerializer() throws Exception {
        TypeSerializerSnapshot<DossierEvent> snapshot = DossierEventSerializer.INSTANCE.snapshotConfiguration();
        DataOutputSerializer out = new DataOutputSerializer(64);
        TypeSerializerSnapshot.writeVersionedSnapshot(out, snapshot);
        TypeSerializerSnapshot<DossierEvent> read = TypeSerializerSnapshot.readVersionedSnapshot(
                new DataInputDeserializer(out.getCopyOfBuffer()), getClass().getClassLoader());
        assertThat(read.restoreSerializer()).isSameAs(DossierEventSerializer.INSTANCE);
        assertThat(DossierEventSerializer.INSTANCE.snapshotConfiguration()
                .resolveSchemaCompatibility(read).isCompatibleAsIs()).isTrue();
    }

    private static <T> T trip(TypeSerializer<T> s, T value) throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(128);
        s.serialize(value, out);
        // A second record after the first: the reader must stop exactly at the first one's end.
        s.serialize(value, out);
        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
        T first = s.deserialize(in);
        T second = s.deserialize(in);
        assertThat(in.available()).isZero();
        assertThat(second).usingRecursiveComparison().isEqualTo(first);
        return first;
    }
}

package vn.onestop.monitor.kpi;

import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hand-written serializer of the dossier rows carries every field: each field of {@link DossierRow} (found by
 * reflection, so a field added later without the serializer fails here) is set to a value of its own, and the copy
 * and the serialized round trip must give it back. Each boolean is tested alone, so flags cannot be swapped.
 */
class DossierRowSerializerTest {

    @Test
    void flinkUsesTheHandWrittenSerializer() {
        assertThat(TypeInformation.of(DossierRow.class).createSerializer(new SerializerConfigImpl())).isSameAs(DossierRowSerializer.INSTANCE);
    }

    @Test
    void everyFieldSurvivesTheCopyAndTheTrip() throws Exception {
        DossierRow row = filled();
        assertThat(DossierRowSerializer.INSTANCE.copy(row)).usingRecursiveComparison().isEqualTo(row);
        assertThat(DossierRowSerializer.INSTANCE.copy(row).supplementRequestedAt).isNotSameAs(row.supplementRequestedAt);
        assertThat(trip(row)).usingRecursiveComparison().isEqualTo(row);
    }

    @Test
    void eachFlagTravelsAlone() throws Exception {
        for (Field f : fields()) {
            if (f.getType() == boolean.class) {
                DossierRow row = new DossierRow();
                f.setBoolean(row, true);
                assertThat(trip(row)).as(f.getName()).usingRecursiveComparison().isEqualTo(row);
                assertThat(DossierRowSerializer.INSTANCE.copy(row)).as(f.getName()).usingRecursiveComparison().isEqualTo(row);
            }
        }
    }

    @Test
    void anEmptyRowKeepsItsNulls() throws Exception {
        DossierRow row = new DossierRow();
        row.supplementSuppliedAt = null;
        assertThat(trip(row)).usingRecursiveComparison().isEqualTo(row);
        assertThat(trip(row).dossierId).isNull();
        assertThat(trip(row).status).isNull();
        assertThat(DossierRowSerializer.INSTANCE.copy(row)).usingRecursiveComparison().isEqualTo(row);
    }

    /** Every instance field set, each to a different value (strings name their field, numbers count up). */
    private static DossierRow filled() throws Exception {
        DossierRow row = new DossierRow();
        long n = 1_705_300_000_000L;
        for (Field f : fields()) {
            Class<?> t = f.getType();
            n += 1_000;
            if (t == String.class) {
                f.set(row, f.getName() + "-Hồ sơ");
            } else if (t == long.class) {
                f.setLong(row, n);
            } else if (t == int.class) {
                f.setInt(row, (int) (n % 1_000_000) + 7);
            } else if (t == boolean.class) {
                f.setBoolean(row, true);
            } else if (t == long[].class) {
                f.set(row, new long[] {n, n + 1, Long.MIN_VALUE});
            } else if (t == DossierStatus.class) {
                f.set(row, DossierStatus.LATE);
            } else {
                throw new AssertionError("a DossierRow field of a type this test does not know: " + f);
            }
        }
        return row;
    }

    private static java.util.List<Field> fields() {
        java.util.List<Field> out = new java.util.ArrayList<>();
        for (Field f : DossierRow.class.getDeclaredFields()) {
            if (!Modifier.isStatic(f.getModifiers())) {
                f.setAccessible(true);
                out.add(f);
            }
        }
        assertThat(out).hasSizeGreaterThan(30);
        return out;
    }

    private static DossierRow trip(DossierRow row) throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(256);
        DossierRowSerializer.INSTANCE.serialize(row, out);
        DossierRowSerializer.INSTANCE.serialize(row, out);
        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
        DossierRow first = DossierRowSerializer.INSTANCE.deserialize(in);
        DossierRow second = DossierRowSerializer.INSTANCE.deserialize(in);
        assertThat(in.available()).isZero();
        assertThat(second).usingRecursiveComparison().isEqualTo(first);
        return first;
    }
}

package vn.onestop.monitor.kpi;

import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import vn.onestop.monitor.ingest.DossierEvent;

import java.util.List;
import java.util.stream.Stream;

/**
 * The previous per-dossier state format, and its move to {@link DossierState} when a job restored from a savepoint
 * of it opens.
 *
 * <p>Until this format the operator kept two value states per dossier: "timeline", a {@code byte[]} of
 * {@link DossierStateCodec} bytes (format 3), and "watch", a POJO ({@link DossierProcessor.Watch}: the timer and the
 * standing alerts). Flink cannot turn those into the new state by itself: its schema evolution
 * ({@code TypeSerializerSnapshot#resolveSchemaCompatibility} answering "compatible after migration") re-serializes
 * values of the <em>same</em> Java type — the heap backend keeps the objects the old serializer read (they would stay
 * {@code byte[]}), and RocksDB writes {@code newSerializer.serialize(oldSerializer.deserialize(bytes))}, which would
 * hand a {@code byte[]} to {@link DossierStateSerializer}. (Tried with the savepoint of {@code PreviousFormatSavepointTest}
 * under the old name and a snapshot answering "after migration" to the {@code byte[]} serializer's: on the heap the
 * first {@code state.value()} throws a ClassCastException, RocksDB fails the restore with a StateMigrationException
 * caused by one.) So the new state has a name of its own ("dossier"), and
 * this operator moves every restored dossier over in {@link MigratingOperator#open}, before the first record: both
 * old states are read for each key, written as one {@link DossierState}, and cleared. The timers are Flink's own
 * state and stay as registered; {@link DossierState#timer} takes over the time "watch" kept, so each still fires.
 *
 * <p>The pass runs once (afterwards the old states are empty; a fresh job never registers them) and costs about as
 * much as restoring the state did. The emptied states' names stay in later savepoints' metadata, so
 * {@link DossierProcessor.Watch} must keep its name and fields.
 */
final class LegacyDossierState {
    static final String TIMELINE = "timeline";
    static final String WATCH = "watch";
    /** Keys read per pass over the old state: the heap backend's key iteration does not allow removal while it runs. */
    private static final int BATCH = 50_000;

    private LegacyDossierState() {}

    /** The job's classify-dossiers operator: {@link DossierProcessor}, and the move of previous-format state on open. */
    static final class MigratingOperator extends RestoreWindowOperator<DossierEvent, UnitHourDelta, DossierProcessor> {
        private static final long serialVersionUID = 1L;

        /** For a live input. */
        MigratingOperator(DossierProcessor processor) {
            this(processor, false);
        }

        MigratingOperator(DossierProcessor processor, boolean boundedInput) {
            super(processor, boundedInput);
        }

        @Override
        public void open() throws Exception {
            super.open();
            int moved = migrate();
            if (moved > 0) {
                LOG.info("moved {} dossiers from the previous state format (\"timeline\" + \"watch\") to \"dossier\"", moved);
            }
        }

        /** Moves every dossier of the old states to the new one; returns how many. */
        int migrate() throws Exception {
            KeyedStateBackend<String> backend = getKeyedStateBackend();
            if (!hasKeys(backend, TIMELINE) && !hasKeys(backend, WATCH)) {
                return 0;  // a fresh start, or restored from the current format: do not even register the old states
            }
            ValueState<byte[]> timelines = getPartitionedState(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE,
                    new ValueStateDescriptor<>(TIMELINE, PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO));
            ValueState<DossierProcessor.Watch> watches = getPartitionedState(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE,
                    new ValueStateDescriptor<>(WATCH, TypeInformation.of(DossierProcessor.Watch.class)));
            ValueState<DossierState> dossiers = getPartitionedState(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE,
                    DossierProcessor.stateDescriptor());
            int moved = 0;
            for (List<String> keys = batch(backend, TIMELINE); !keys.isEmpty(); keys = batch(backend, TIMELINE)) {
                for (String key : keys) {
                    setCurrentKey(key);
                    DossierState d = from(timelines.value(), watches.value());
                    if (dossiers.value() == null) {
                        dossiers.update(d);
                    }
                    timelines.clear();
                    watches.clear();
                    moved++;
                }
            }
            // The old operator never kept a watch without a timeline; should one exist it has nothing to follow.
            for (List<String> keys = batch(backend, WATCH); !keys.isEmpty(); keys = batch(backend, WATCH)) {
                for (String key : keys) {
                    setCurrentKey(key);
                    watches.clear();
                }
            }
            return moved;
        }
    }

    /** One dossier of the previous format as the current state value. */
    static DossierState from(byte[] timeline, DossierProcessor.Watch watch) {
        DossierState d = new DossierState(DossierStateCodec.fromBytes(timeline));
        if (watch != null) {
            d.timer = watch.timer;
            d.overdue = watch.overdue;
            d.atRisk = watch.atRisk;
        }
        return d;
    }

    private static boolean hasKeys(KeyedStateBackend<String> backend, String state) {
        try (Stream<String> keys = backend.getKeys(state, VoidNamespace.INSTANCE)) {
            return keys.findAny().isPresent();
        }
    }

    private static List<String> batch(KeyedStateBackend<String> backend, String state) {
        try (Stream<String> keys = backend.getKeys(state, VoidNamespace.INSTANCE)) {
            return keys.limit(BATCH).toList();
        }
    }
}

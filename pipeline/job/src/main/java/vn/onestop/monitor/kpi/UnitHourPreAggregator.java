package vn.onestop.monitor.kpi;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.util.Collector;
import vn.onestop.monitor.ingest.PreAggregator;

/**
 * Sums the changes to unit-hour counts in the task that produces them (chained to the dossier or rating operator)
 * and emits one change per unit and hour and flush, followed by its copies for the parent units
 * ({@link ParentRollup}: a copy of a sum is the sum of the copies). When the sums leave, and why the counts stay
 * exact across restores, is {@link PreAggregator}'s.
 */
public final class UnitHourPreAggregator extends PreAggregator<UnitHourDelta, UnitHourDelta> {
    private static final long serialVersionUID = 1L;
    /** Units × hours between two watermarks: a live job holds a few, a backfill's watermark gap a few hundred. */
    public static final int DEFAULT_MAX_KEYS = 4096;
    /** A fallback where no watermark comes (an idle stream): watermarks flush every 50 ms otherwise. */
    public static final long DEFAULT_FLUSH_INTERVAL_MS = 200;

    private final ParentRollup rollup;
    private transient UnitHourBuffer buffer;
    private transient Collector<UnitHourDelta> emit;

    /** {@code rollup} may be null: then only the units' own sums leave. */
    public UnitHourPreAggregator(ParentRollup rollup, int maxKeys, long flushIntervalMs) {
        super(maxKeys, flushIntervalMs);
        this.rollup = rollup;
    }

    /** The summed changes of one operator's output with their parent copies; {@code from} names it in the uid. */
    public static DataStream<UnitHourDelta> sums(DataStream<UnitHourDelta> changes, ParentRollup rollup, String from) {
        return changes.transform("sum unit-hour changes: " + from, TypeInformation.of(UnitHourDelta.class),
                        new UnitHourPreAggregator(rollup, DEFAULT_MAX_KEYS, DEFAULT_FLUSH_INTERVAL_MS))
                .uid("unit-hour-sums-" + from);
    }

    @Override
    public void open() throws Exception {
        buffer = new UnitHourBuffer();
        emit = new Collector<>() {
            @Override
            public void collect(UnitHourDelta d) {
                emit(d);
            }

            @Override
            public void close() {}
        };
        super.open();
    }

    @Override
    protected void add(UnitHourDelta change) {
        buffer.add(change);
    }

    @Override
    protected int size() {
        return buffer.size();
    }

    @Override
    protected void drain() {
        for (UnitHourDelta d : buffer.drain()) {
            emit.collect(d);
            if (rollup != null) {
                rollup.flatMap(d, emit);
            }
        }
    }
}

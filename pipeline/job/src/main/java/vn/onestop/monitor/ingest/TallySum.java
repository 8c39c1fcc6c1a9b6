package vn.onestop.monitor.ingest;

import org.apache.flink.api.common.typeinfo.TypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;

import java.lang.reflect.Type;
import java.util.Map;

/**
 * Partial reconciliation counts of one topic and day, summed from many {@link Tally}s by a {@link TallyPreAggregator}
 * before the exchange to {@link TallyCounts}: one record per key and flush crosses it instead of one per tally.
 */
@TypeInfo(TallySum.Info.class)
public class TallySum {
    public String topic;
    public int day;
    /** Counts by {@link Tally.Outcome} ordinal. */
    public long[] counts;

    public TallySum() {}

    public TallySum(String topic, int day, long[] counts) {
        this.topic = topic;
        this.day = day;
        this.counts = counts;
    }

    /** The same key as {@link Tally#key()}. */
    public String key() {
        return topic + '|' + day;
    }

    /** Gives Flink the hand-written {@link TallySumSerializer} instead of the reflective POJO serializer. */
    public static final class Info extends TypeInfoFactory<TallySum> {
        @Override
        public TypeInformation<TallySum> createTypeInfo(Type t, Map<String, TypeInformation<?>> generics) {
            return new CompactTypeInfo<>(TallySum.class, TallySumSerializer.INSTANCE);
        }
    }
}

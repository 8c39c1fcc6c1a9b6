package vn.onestop.monitor.ingest;

import org.apache.flink.api.common.typeinfo.TypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.util.OutputTag;

import java.lang.reflect.Type;
import java.util.Map;

/**
 * One record's part in the reconciliation: every record read is tallied once as READ by the parser and once more
 * where its fate is decided (ACCEPTED, DUPLICATE or DEAD_LETTER), per topic and local day of its Kafka timestamp.
 * {@code ingest_reconciliation} then shows read = accepted + duplicates + dead letters, day by day.
 */
@TypeInfo(Tally.Info.class)
public class Tally {
    public static final OutputTag<Tally> TAG = new OutputTag<>("tallies") {};

    /** What happened to a record. */
    public enum Outcome { READ, ACCEPTED, DUPLICATE, DEAD_LETTER }

    public String topic;
    public int day;
    public Outcome outcome;

    public Tally() {}

    public Tally(String topic, long recordTimestamp, Outcome outcome) {
        this.topic = topic;
        this.day = LocalClock.epochDay(recordTimestamp);
        this.outcome = outcome;
    }

    public String key() {
        return topic + '|' + day;
    }

    /** Gives Flink the hand-written {@link TallySerializer} instead of the reflective POJO serializer. */
    public static final class Info extends TypeInfoFactory<Tally> {
        @Override
        public TypeInformation<Tally> createTypeInfo(Type t, Map<String, TypeInformation<?>> generics) {
            return new CompactTypeInfo<>(Tally.class, TallySerializer.INSTANCE);
        }
    }
}

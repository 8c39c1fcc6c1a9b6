package vn.onestop.monitor.ingest;

import org.apache.flink.api.common.typeinfo.TypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;

import java.lang.reflect.Type;
import java.util.Map;

/**
 * One parsed dossier lifecycle event, sent to the per-dossier state with {@link DossierEventSerializer}. Times are epoch milliseconds; {@link #NO_TIME} marks an absent time.
 * The Kafka coordinates travel with the event so that a later rule (lateness) can still dead-letter it by offset.
 */
@TypeInfo(DossierEvent.Info.class)
public class DossierEvent implements BrokerTimestamped {
    public static final long NO_TIME = Long.MIN_VALUE;

    public String eventId;
    public String dossierId;
    public EventType type;
    public long occurredAt = NO_TIME;
    public String unitCode;
    public String procedureCode;
    public Channel channel;
    public long dueAt = NO_TIME;
    public boolean digitised;
    public boolean resultDigitised;
    public long newDueAt = NO_TIME;

    // Optional facts of the national index (issue 16); absent in older events. Flags say "true" only: a dossier
    // has the fact once any of its events says so (docs/CONTRACT.md).
    public OnlineMode onlineMode;
    public int flags;
    public PaymentMethod paymentMethod;
    /** The paid amount in whole đồng, or {@link #NO_AMOUNT} when the event carries no payment. */
    public long paymentAmount = NO_AMOUNT;

    public static final long NO_AMOUNT = -1;
    public static final int SYNCED_TO_PORTAL = 1;
    public static final int ELECTRONIC_RESULT = 2;
    public static final int REUSED_DATA = 4;
    public static final int PERSONAL_DATA_STORE = 8;
    public static final int VNEID = 16;

    public String topic;
    public long recordTimestamp;

    @Override
    public long brokerTimestamp() {
        return recordTimestamp;
    }
    public int partition;
    public long offset;
    public byte[] payload;

    public DossierEvent() {}

    @Override
    public String toString() {
        return type + " " + dossierId + " " + eventId + " @" + occurredAt;
    }

    /** Gives Flink the hand-written {@link DossierEventSerializer} instead of the reflective POJO serializer. */
    public static final class Info extends TypeInfoFactory<DossierEvent> {
        @Override
        public TypeInformation<DossierEvent> createTypeInfo(Type t, Map<String, TypeInformation<?>> generics) {
            return new CompactTypeInfo<>(DossierEvent.class, DossierEventSerializer.INSTANCE);
        }
    }
}

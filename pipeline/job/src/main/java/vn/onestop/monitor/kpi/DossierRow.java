package vn.onestop.monitor.kpi;

import org.apache.flink.api.common.typeinfo.TypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import vn.onestop.monitor.ingest.CompactTypeInfo;

import java.lang.reflect.Type;
import java.util.Map;

/** The current state of one dossier: a row of the {@code dossier} table. Times are epoch ms or NO_TIME. */
@TypeInfo(DossierRow.Info.class)
public class DossierRow {
    public String dossierId;
    public String unitCode;
    public String procedureCode;
    public String channel;
    public long receivedAt;
    public long dueAt;
    public long effectiveDueAt;
    public int supplementRequests;
    public boolean waitingSupplement;
    public long pausedMs;
    public long endedAt;
    public String endType;
    public DossierStatus status;
    public boolean digitised;
    public boolean resultDigitised;
    public long apologyDueAt;
    public long lastEventAt;
    public int eventsApplied;

    // For the national index (issue 16): raw ends and supplement rounds (times epoch ms or NO_TIME; a round's
    // supplied time NO_TIME while outstanding), and the DossierFacts.
    public long resolvedAt;
    public long returnedAt;
    public long stoppedAt;
    public long withdrawnAt;
    public long[] supplementRequestedAt = NO_TIMES;
    public long[] supplementSuppliedAt = NO_TIMES;
    public String onlineMode;
    public boolean syncedToPortal;
    public boolean electronicResult;
    public boolean reusedData;
    public boolean personalDataStore;
    public boolean vneid;
    public int payments;
    public long paymentAmount;
    public boolean paidOnline;

    /** No supplement rounds: one shared empty array, since a zero-length array cannot be changed. */
    static final long[] NO_TIMES = new long[0];

    public DossierRow() {}

    /** Gives Flink the hand-written {@link DossierRowSerializer} instead of the reflective POJO serializer. */
    public static final class Info extends TypeInfoFactory<DossierRow> {
        @Override
        public TypeInformation<DossierRow> createTypeInfo(Type t, Map<String, TypeInformation<?>> generics) {
            return new CompactTypeInfo<>(DossierRow.class, DossierRowSerializer.INSTANCE);
        }
    }
}

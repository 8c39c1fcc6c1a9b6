package vn.onestop.monitor.kpi;

import org.junit.jupiter.api.Test;
import vn.onestop.monitor.ingest.Channel;
import vn.onestop.monitor.ingest.DossierEvent;
import vn.onestop.monitor.ingest.EventType;
import vn.onestop.monitor.ingest.OnlineMode;
import vn.onestop.monitor.ingest.PaymentMethod;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DossierFactsTest {
    private static final long T0 = Instant.parse("2024-03-04T01:00:00Z").toEpochMilli();
    private static final long HOUR = 3_600_000L;
    private final OnTimeRules rules = new OnTimeRules(1);

    private static DossierEvent event(String id, EventType type, long at) {
        DossierEvent e = new DossierEvent();
        e.eventId = id;
        e.dossierId = "D-1";
        e.type = type;
        e.occurredAt = at;
        if (type == EventType.RECEIVED) {
            e.unitCode = "11380";
            e.procedureCode = "1.001612";
            e.channel = Channel.ONLINE;
            e.dueAt = at + 48 * HOUR;
            e.digitised = true;
        }
        return e;
    }

    private static DossierEvent pay(String id, long at, PaymentMethod method, long amount) {
        DossierEvent e = event(id, EventType.RESOLVED, at);
        e.type = EventType.SUPPLEMENT_RECEIVED; // any event may carry a payment
        e.paymentMethod = method;
        e.paymentAmount = amount;
        return e;
    }

    /** A month of one dossier's life using every new fact, in any order, gives the same row. */
    @Test
    void factsAreTheSameWhateverTheArrivalOrder() throws Exception {
        DossierEvent received = event("r", EventType.RECEIVED, T0);
        received.onlineMode = OnlineMode.PARTIAL;
        received.flags = DossierEvent.SYNCED_TO_PORTAL | DossierEvent.VNEID;
        DossierEvent request = event("q", EventType.SUPPLEMENT_REQUESTED, T0 + HOUR);
        DossierEvent supply = event("s", EventType.SUPPLEMENT_RECEIVED, T0 + 5 * HOUR);
        supply.flags = DossierEvent.REUSED_DATA;
        DossierEvent cash = pay("p1", T0 + 6 * HOUR, PaymentMethod.CASH, 20_000);
        DossierEvent portal = pay("p2", T0 + 7 * HOUR, PaymentMethod.NATIONAL_PORTAL, 8_000);
        DossierEvent resolved = event("x", EventType.RESOLVED, T0 + 30 * HOUR);
        resolved.resultDigitised = true;
        resolved.flags = DossierEvent.ELECTRONIC_RESULT | DossierEvent.PERSONAL_DATA_STORE;
        List<DossierEvent> events = new ArrayList<>(List.of(received, request, supply, cash, portal, resolved));
        for (int shuffle = 0; shuffle < 6; shuffle++) {
            Collections.rotate(events, 1);
            DossierTimeline t = new DossierTimeline();
            events.forEach(t::apply);
            t.apply(cash); // a duplicate must not count its amount twice
            // Through the state as the operator keeps it (DossierStateSerializer) and as the previous format did.
            for (DossierTimeline stored : List.of(DossierStateFormatTest.read(DossierStateFormatTest.bytes(new DossierState(t))).timeline,
                    DossierStateCodec.fromBytes(DossierStateCodec.toBytes(t)))) {
                DossierRow r = DossierRows.of("D-1", stored, t.outcome(rules));
                assertThat(r.onlineMode).isEqualTo("PARTIAL");
                assertThat(List.of(r.syncedToPortal, r.electronicResult, r.reusedData, r.personalDataStore, r.vneid)).containsOnly(true);
                assertThat(r.payments).isEqualTo(2);
                assertThat(r.paymentAmount).isEqualTo(28_000);
                assertThat(r.paidOnline).isTrue();
                assertThat(r.resolvedAt).isEqualTo(T0 + 30 * HOUR);
                assertThat(r.supplementRequestedAt).containsExactly(T0 + HOUR);
                assertThat(r.supplementSuppliedAt).containsExactly(T0 + 5 * HOUR);
            }
        }
    }

    @Test
    void aZeroOnlinePaymentOrCashIsNotPaidOnlineAndAnOutstandingRoundHasNoSupply() {
        DossierTimeline t = new DossierTimeline();
        t.apply(event("r", EventType.RECEIVED, T0));
        t.apply(pay("p1", T0 + HOUR, PaymentMethod.LOCAL_GATEWAY, 0));
        t.apply(pay("p2", T0 + 2 * HOUR, PaymentMethod.CASH, 50_000));
        t.apply(event("q1", EventType.SUPPLEMENT_REQUESTED, T0 + 3 * HOUR));
        t.apply(event("s1", EventType.SUPPLEMENT_RECEIVED, T0 + 4 * HOUR));
        t.apply(event("q2", EventType.SUPPLEMENT_REQUESTED, T0 + 5 * HOUR));
        DossierRow r = DossierRows.of("D-1", t, t.outcome(rules));
        assertThat(r.paidOnline).isFalse();
        assertThat(r.paymentAmount).isEqualTo(50_000);
        assertThat(r.onlineMode).isNull();
        assertThat(r.supplementRequestedAt).containsExactly(T0 + 3 * HOUR, T0 + 5 * HOUR);
        assertThat(r.supplementSuppliedAt).containsExactly(T0 + 4 * HOUR, DossierEvent.NO_TIME);
    }

    /** The same event id saying something new about payment is a conflict; an old event's fingerprint is unchanged. */
    @Test
    void newFactsTakePartInConflictsWithoutChangingOldFingerprints() {
        DossierEvent plain = event("r", EventType.RECEIVED, T0);
        long before = Fingerprint.content(plain);
        DossierTimeline t = new DossierTimeline();
        t.apply(plain);
        DossierEvent paid = event("r", EventType.RECEIVED, T0);
        paid.paymentMethod = PaymentMethod.CASH;
        paid.paymentAmount = 1;
        assertThat(t.seen(paid)).isEqualTo(DossierTimeline.Seen.CONFLICT);
        assertThat(Fingerprint.content(event("r", EventType.RECEIVED, T0))).isEqualTo(before);
    }

    /** State written before format 3 (here a hand-written format 2 record) still reads, as a dossier without facts. */
    @Test
    void readsFormatTwoState() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeByte(2);
        out.writeShort(2);                 // one (id, content) pair
        out.writeLong(11);
        out.writeLong(12);
        out.writeBoolean(true);
        out.writeLong(T0);                 // receivedAt
        out.writeBoolean(true);
        out.writeUTF("11380");
        out.writeBoolean(true);
        out.writeUTF("1.001612");
        out.writeByte(Channel.DIRECT.ordinal());
        out.writeLong(T0 + 48 * HOUR);     // dueAt
        out.writeBoolean(false);           // digitised
        out.writeShort(0);                 // supplements
        out.writeLong(T0 + HOUR);          // resolvedAt
        out.writeBoolean(true);            // resultDigitised
        for (int i = 0; i < 2; i++) {
            out.writeLong(DossierEvent.NO_TIME);  // returnedAt, stoppedAt
        }
        out.writeByte(-1);                 // stopType
        out.writeLong(DossierEvent.NO_TIME);      // withdrawnAt
        out.writeLong(DossierEvent.NO_TIME);      // apologyDueAt
        out.writeLong(T0 + HOUR);          // lastEventAt
        DossierTimeline t = DossierStateCodec.fromBytes(bytes.toByteArray());
        DossierRow r = DossierRows.of("D-1", t, t.outcome(rules));
        assertThat(r.status).isEqualTo(DossierStatus.EARLY);
        assertThat(r.resolvedAt).isEqualTo(T0 + HOUR);
        assertThat(r.payments).isZero();
        assertThat(r.syncedToPortal).isFalse();
        assertThat(r.onlineMode).isNull();
    }
}

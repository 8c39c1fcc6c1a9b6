package vn.onestop.monitor.kpi;

import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.array.BytePrimitiveArraySerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;
import vn.onestop.monitor.alert.AlertKind;
import vn.onestop.monitor.alert.SlaAlert;
import vn.onestop.monitor.ingest.DossierEvent;
import vn.onestop.monitor.ingest.EventType;

import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;
import static vn.onestop.monitor.kpi.Events.event;
import static vn.onestop.monitor.kpi.Events.received;
import static vn.onestop.monitor.kpi.Events.resolved;

/**
 * The per-dossier state's bytes are in every savepoint. {@link DossierStateSerializer}'s layout 1 (the current state)
 * is pinned below; the previous format, {@link DossierStateCodec}'s, is still read to move old savepoints over: these are the exact bytes of format 2 written before the
 * national-index facts (format 3) and before the timeline was split into fold, codec and fingerprints, and a format 1 state of the same dossier. A change to the
 * codec or to the fingerprints that alters them breaks restoring running jobs, and fails here.
 */
class DossierStateFormatTest {
    static final String FORMAT_2 = "02000c8a663919615d723046714f73a8f3c156d047f6fad7c7ff10dbf26ab3ecabbb73b64a7bfac90e3f11485035dc86d3dc36e5d22e190425b0e1773e6e69222830f981bd10195c75fedba8c6cfd97a956c8bcfb38119889fd8d84881c45c9b4e8c61010000018d0aa1ea800100053131333830010008312e303031363132010000018d400fe5000100020000031a1ffe6a010000031a2a4b22000000018d4f3093400180000000000000000000018d5328cf800780000000000000000000018d59cfb1000000018d5328cf80";

    /** A dossier touching every field: receipt, a supplement round, an apology, a stop and a resolution. */
    static DossierTimeline everyField() {
        DossierTimeline t = new DossierTimeline();
        DossierEvent receipt = named("r", received("D-1", "2024-01-15T08:00", "2024-01-25T17:00"));
        receipt.unitCode = "11380"; // the unit of the bytes pinned below (the test events' default unit changed since)
        t.apply(receipt);
        t.apply(named("sq", event("D-1", EventType.SUPPLEMENT_REQUESTED, "2024-01-16T09:00")));
        t.apply(named("sr", event("D-1", EventType.SUPPLEMENT_RECEIVED, "2024-01-17T09:00")));
        DossierEvent apology = named("a", event("D-1", EventType.APOLOGY_ISSUED, "2024-01-24T10:00"));
        apology.newDueAt = Events.t("2024-01-30T17:00");
        t.apply(apology);
        t.apply(named("s", event("D-1", EventType.STOPPED, "2024-01-29T10:00")));
        t.apply(named("z", resolved("D-1", "2024-01-28T15:30")));
        return t;
    }

    private static DossierEvent named(String id, DossierEvent e) {
        e.eventId = id;
        return e;
    }

    /** Format 3 (issue 16) is format 2's bytes under a new format number, with the national-index facts appended. */
    @Test
    void format3IsFormat2WithTheFactsAppended() throws Exception {
        java.io.ByteArrayOutputStream facts = new java.io.ByteArrayOutputStream();
        try (java.io.DataOutputStream out = new java.io.DataOutputStream(facts)) {
            new DossierFacts().write(out);
        }
        assertThat(HexFormat.of().formatHex(DossierStateCodec.toBytes(everyField())))
                .isEqualTo("03" + FORMAT_2.substring(2) + HexFormat.of().formatHex(facts.toByteArray()));
    }

    @Test
    void format2IsReadBack() {
        DossierTimeline read = DossierStateCodec.fromBytes(HexFormat.of().parseHex(FORMAT_2));
        assertThat(DossierStateCodec.toBytes(read)).isEqualTo(DossierStateCodec.toBytes(everyField()));
        assertThat(DossierRows.of("D-1", read, read.outcome(OnTimeRules.nationalIndex())))
                .usingRecursiveComparison().isEqualTo(DossierRows.of("D-1", everyField(), everyField().outcome(OnTimeRules.nationalIndex())));
        // The content fingerprints came back too: a resent event is a duplicate, a changed one a conflict.
        assertThat(read.seen(named("z", resolved("D-1", "2024-01-28T15:30")))).isEqualTo(DossierTimeline.Seen.DUPLICATE);
        assertThat(read.seen(named("z", resolved("D-1", "2024-01-28T15:31")))).isEqualTo(DossierTimeline.Seen.CONFLICT);
    }

    @Test
    void format1WithoutContentFingerprintsIsStillRead() {
        // Format 1 is format 2 with only the event ids' fingerprints: byte 0 is the format, then a count and the ids.
        byte[] two = HexFormat.of().parseHex(FORMAT_2);
        int count = ((two[1] & 0xff) << 8) | (two[2] & 0xff);
        byte[] one = new byte[two.length - count / 2 * 8];
        one[0] = 1;
        one[1] = 0;
        one[2] = (byte) (count / 2);
        int at = 3;
        for (int i = 0; i < count; i += 2) {
            System.arraycopy(two, 3 + i * 8, one, at, 8);
            at += 8;
        }
        System.arraycopy(two, 3 + count * 8, one, at, two.length - 3 - count * 8);

        DossierTimeline read = DossierStateCodec.fromBytes(one);
        assertThat(read.eventsApplied()).isEqualTo(6);
        assertThat(DossierRows.of("D-1", read, read.outcome(OnTimeRules.nationalIndex())))
                .usingRecursiveComparison().isEqualTo(DossierRows.of("D-1", everyField(), everyField().outcome(OnTimeRules.nationalIndex())));
        // Without a content fingerprint any resend of a known id counts as a duplicate, never a conflict.
        assertThat(read.seen(named("z", resolved("D-1", "2024-01-28T15:31")))).isEqualTo(DossierTimeline.Seen.DUPLICATE);
    }

    /** Layout 1 of the current state: the dossier of {@link #everyField}, a timer and an overdue alert standing. */
    static final String LAYOUT_1 = "17af0380bec6b2aa63ff93b78809ffa9c7b102fff0c13f008086b76a80ecf4ff268206313133383009312e303031363132068a663919615d723046714f73a8f3c156d047f6fad7c7ff10dbf26ab3ecabbb73b64a7bfac90e3f11485035dc86d3dc36e5d22e190425b0e1773e6e69222830f981bd10195c75fedba8c6cfd97a956c8bcfb38119889fd8d84881c45c9b4e8c6102fdd399e510fff3b3c00f01063131333830ffa9c7b102fff0c13f317b226566666563746976654475654174223a313730363137363830303030302c22737461747573223a224c415445227d";

    static DossierState withAlert() {
        DossierState s = new DossierState(everyField());
        s.timer = Events.t("2024-03-30T00:00");
        SlaAlert a = new SlaAlert();
        a.kind = AlertKind.DOSSIER_OVERDUE;
        a.unitCode = "11380";
        a.openedAt = Events.t("2024-01-25T17:00");
        a.closedAt = Events.t("2024-01-28T15:30");
        a.details = "{\"effectiveDueAt\":1706176800000,\"status\":\"LATE\"}";
        s.overdue = a;
        return s;
    }

    static byte[] bytes(DossierState s) throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(64);
        DossierStateSerializer.INSTANCE.serialize(s, out);
        return out.getCopyOfBuffer();
    }

    static DossierState read(byte[] b) throws Exception {
        return DossierStateSerializer.INSTANCE.deserialize(new DataInputDeserializer(b));
    }

    @Test
    void layout1IsPinned() throws Exception {
        byte[] b = bytes(withAlert());
        assertThat(HexFormat.of().formatHex(b)).isEqualTo(LAYOUT_1);
        // By hand: flags = receipt | digitised | result digitised | overdue = 0x17 (no facts: no payments, no modes);
        // the times set are last event, receipt, due, resolved, stopped, apology due and the timer: bits 0,1,2,3,5,7,8
        // = 0x1af, as a varint af 03.
        assertThat(b[0]).isEqualTo((byte) 0x17);
        assertThat(HexFormat.of().formatHex(b, 1, 3)).isEqualTo("af03");
        // The same dossier without timer and alert against the previous format's timeline bytes: 152 bytes, not 220.
        assertThat(bytes(new DossierState(everyField()))).hasSize(152);
        assertThat(DossierStateCodec.toBytes(everyField())).hasSize(220);
    }

    @Test
    void layout1ReadsBackEverything() throws Exception {
        DossierState read = read(HexFormat.of().parseHex(LAYOUT_1));
        assertThat(bytes(read)).isEqualTo(HexFormat.of().parseHex(LAYOUT_1));
        assertThat(DossierRows.of("D-1", read.timeline, read.timeline.outcome(OnTimeRules.nationalIndex())))
                .usingRecursiveComparison().isEqualTo(DossierRows.of("D-1", everyField(), everyField().outcome(OnTimeRules.nationalIndex())));
        assertThat(read.timer).isEqualTo(withAlert().timer);
        assertThat(read.atRisk).isNull();
        // The alert comes back without its id (the state's key); identify gives it back, equal to the one sent.
        SlaAlert sent = DossierAlertRules.identify(withAlert().overdue, "D-1");
        assertThat(DossierAlertRules.identify(read.overdue, "D-1").sameAs(sent)).isTrue();
        assertThat(read.overdue.kind).isEqualTo(AlertKind.DOSSIER_OVERDUE);
        assertThat(read.timeline.seen(named("z", resolved("D-1", "2024-01-28T15:31")))).isEqualTo(DossierTimeline.Seen.CONFLICT);
    }

    /** What is absent stays absent: no times, no unit or procedure (an end that came before its receipt), no facts. */
    @Test
    void absentFieldsReadBackAsAbsent() throws Exception {
        assertThat(bytes(new DossierState())).containsExactly(0, 0, 0, 0, 0, 0, 0);
        DossierState empty = read(bytes(new DossierState()));
        assertThat(empty.timeline.lastEventAt()).isEqualTo(DossierEvent.NO_TIME);
        assertThat(empty.timeline.receivedAt()).isEqualTo(DossierEvent.NO_TIME);
        assertThat(empty.timer).isEqualTo(DossierEvent.NO_TIME);
        assertThat(empty.timeline.unitCode()).isNull();

        DossierState early = new DossierState();
        DossierEvent end = named("x", resolved("D-2", "2024-01-28T15:30"));
        end.unitCode = null;
        early.timeline.apply(end);
        DossierState read = read(bytes(early));
        assertThat(bytes(read)).isEqualTo(bytes(early));
        assertThat(read.timeline.unitCode()).isNull();
        assertThat(DossierRows.of("D-2", read.timeline, read.timeline.outcome(OnTimeRules.nationalIndex())))
                .usingRecursiveComparison().isEqualTo(DossierRows.of("D-2", early.timeline, early.timeline.outcome(OnTimeRules.nationalIndex())));
    }

    @Test
    void aCopyIsDeep() throws Exception {
        DossierState s = withAlert();
        DossierState c = DossierStateSerializer.INSTANCE.copy(s);
        s.timeline.apply(named("w", event("D-1", EventType.WITHDRAWN, "2024-01-29T11:00")));
        s.overdue.closedAt = 0;
        assertThat(HexFormat.of().formatHex(bytes(c))).isEqualTo(LAYOUT_1);
    }

    /** The previous format's dossier, moved as the operator moves a restored savepoint's, is the same dossier. */
    @Test
    void thePreviousFormatMovesOverUnchanged() throws Exception {
        DossierProcessor.Watch w = new DossierProcessor.Watch();
        DossierState expected = withAlert();
        w.timer = expected.timer;
        w.overdue = DossierAlertRules.identify(expected.overdue.copy(), "D-1");
        DossierState moved = LegacyDossierState.from(HexFormat.of().parseHex(FORMAT_2), w);
        assertThat(HexFormat.of().formatHex(bytes(moved))).isEqualTo(LAYOUT_1);
    }

    /** What Flink asks on restore: the new code's snapshot judges the snapshot found in the savepoint. */
    @Test
    void theSnapshotAcceptsItsLayoutMigratesOlderOnesAndRefusesTheRest() throws Exception {
        var current = DossierStateSerializer.INSTANCE.snapshotConfiguration();
        assertThat(current.resolveSchemaCompatibility(roundTrip(current)).isCompatibleAsIs()).isTrue();
        assertThat(roundTrip(current).restoreSerializer()).isEqualTo(DossierStateSerializer.INSTANCE);
        // A layout older than the current one (there is none yet: layout 0 stands in for it) is read, then rewritten.
        assertThat(current.resolveSchemaCompatibility(new DossierStateSerializer.Snapshot(0)).isCompatibleAfterMigration()).isTrue();
        // A savepoint of newer code, or the previous format's byte[] state (moved by LegacyDossierState instead).
        assertThat(current.resolveSchemaCompatibility(new DossierStateSerializer.Snapshot(DossierStateSerializer.LAYOUT + 1)).isIncompatible()).isTrue();
        @SuppressWarnings({"unchecked", "rawtypes"})
        TypeSerializerSnapshot<DossierState> bytes = (TypeSerializerSnapshot) BytePrimitiveArraySerializer.INSTANCE.snapshotConfiguration();
        assertThat(current.resolveSchemaCompatibility(bytes).isIncompatible()).isTrue();
    }

    private static TypeSerializerSnapshot<DossierState> roundTrip(TypeSerializerSnapshot<DossierState> snapshot) throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(16);
        TypeSerializerSnapshot.writeVersionedSnapshot(out, snapshot);
        return TypeSerializerSnapshot.readVersionedSnapshot(new DataInputDeserializer(out.getCopyOfBuffer()), DossierStateFormatTest.class.getClassLoader());
    }
}

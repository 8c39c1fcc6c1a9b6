package vn.onestop.monitor.kpi;

import org.junit.jupiter.api.Test;
import vn.onestop.monitor.ingest.DossierEvent;
import vn.onestop.monitor.ingest.EventType;

import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;
import static vn.onestop.monitor.kpi.Events.event;
import static vn.onestop.monitor.kpi.Events.received;
import static vn.onestop.monitor.kpi.Events.resolved;

/**
 * The per-dossier state's bytes are in every savepoint: these are the exact bytes of format 2 written before the
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
}

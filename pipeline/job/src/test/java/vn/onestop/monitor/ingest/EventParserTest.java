package vn.onestop.monitor.ingest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class EventParserTest {
    private static final long SENT = Instant.parse("2024-06-01T00:00:00Z").toEpochMilli();
    private final EventParser parser = new EventParser(Set.of("11248", "11239"), Duration.ofDays(1), 1 << 20);

    private static RawRecord record(String json) {
        return new RawRecord("dossier-events", 1, 42, SENT, json == null ? null : json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void parsesTheContractExampleAndIgnoresUnknownFields() {
        ParseResult<DossierEvent> r = parser.parseDossierEvent(record("""
            {"eventId":"e-1","dossierId":"000.00.30.H23-240115-0001","type":"RECEIVED",
             "occurredAt":"2024-01-15T08:30:00+07:00","unitCode":"11248","procedureCode":"1.001612",
             "channel":"ONLINE","dueAt":"2024-01-17T17:00:00+07:00","digitised":true,"citizenPhone":"0912345678"}"""));
        assertThat(r.isOk()).isTrue();
        DossierEvent e = r.value();
        assertThat(e.type).isEqualTo(EventType.RECEIVED);
        assertThat(e.occurredAt).isEqualTo(Instant.parse("2024-01-15T01:30:00Z").toEpochMilli());
        assertThat(e.dueAt).isEqualTo(Instant.parse("2024-01-17T10:00:00Z").toEpochMilli());
        assertThat(e.channel).isEqualTo(Channel.ONLINE);
        assertThat(e.digitised).isTrue();
        assertThat(e.offset).isEqualTo(42);
    }

    @Test
    void parsesTheNationalIndexFactsAndLeavesThemUnsaidWhenAbsent() {
        DossierEvent e = parser.parseDossierEvent(record("""
            {"eventId":"e-1","dossierId":"D","type":"RECEIVED","occurredAt":"2024-01-15T08:30:00+07:00","unitCode":"11248",
             "procedureCode":"1.001612","channel":"ONLINE","dueAt":"2024-01-17T17:00:00+07:00","digitised":true,
             "onlineMode":"FULL","syncedToPortal":true,"reusedData":false,"personalDataStore":true,"vneid":true,
             "payment":{"method":"NATIONAL_PORTAL","amount":8000}}""")).value();
        assertThat(e.onlineMode).isEqualTo(OnlineMode.FULL);
        // reusedData:false sets nothing: flags only ever say "true"
        assertThat(e.flags).isEqualTo(DossierEvent.SYNCED_TO_PORTAL | DossierEvent.PERSONAL_DATA_STORE | DossierEvent.VNEID);
        assertThat(e.paymentMethod).isEqualTo(PaymentMethod.NATIONAL_PORTAL);
        assertThat(e.paymentAmount).isEqualTo(8000);

        // An event of the old contract: every new fact absent, a zero fee paid in cash is a payment of 0.
        DossierEvent old = parser.parseDossierEvent(record("""
            {"eventId":"e-2","dossierId":"D","type":"RESOLVED","occurredAt":"2024-01-16T08:30:00+07:00","resultDigitised":true}""")).value();
        assertThat(old.onlineMode).isNull();
        assertThat(old.flags).isZero();
        assertThat(old.paymentMethod).isNull();
        assertThat(old.paymentAmount).isEqualTo(DossierEvent.NO_AMOUNT);
        DossierEvent zero = parser.parseDossierEvent(record("""
            {"eventId":"e-3","dossierId":"D","type":"RESOLVED","occurredAt":"2024-01-16T08:30:00+07:00","resultDigitised":true,
             "electronicResult":true,"payment":{"method":"CASH","amount":0}}""")).value();
        assertThat(zero.flags).isEqualTo(DossierEvent.ELECTRONIC_RESULT);
        assertThat(zero.paymentAmount).isZero();
    }

    @Test
    void parsesFeedbackWithoutKeepingFreeText() {
        ParseResult<Feedback> r = parser.parseFeedback(record("""
            {"feedbackId":"f-1","unitCode":"11248","submittedAt":"2024-01-15T09:10:00+07:00","rating":"SATISFIED",
             "dossierId":"000.00.30.H23-240115-0001","comment":"Nguyễn Văn A, 0912345678"}"""));
        assertThat(r.isOk()).isTrue();
        assertThat(r.value().rating).isEqualTo(Rating.SATISFIED);
        assertThat(r.value().dossierId).isEqualTo("000.00.30.H23-240115-0001");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
        INVALID_JSON    | {"eventId":"e-1","dossierId":
        INVALID_JSON    | {"eventId":"e-1"} trailing
        NOT_AN_OBJECT   | [1,2,3]
        MISSING_FIELD   | {"dossierId":"D","type":"RETURNED","occurredAt":"2024-01-15T08:30:00+07:00"}
        MISSING_FIELD   | {"eventId":null,"dossierId":"D","type":"RETURNED","occurredAt":"2024-01-15T08:30:00+07:00"}
        MISSING_FIELD   | {"eventId":"  ","dossierId":"D","type":"RETURNED","occurredAt":"2024-01-15T08:30:00+07:00"}
        WRONG_TYPE      | {"eventId":7,"dossierId":"D","type":"RETURNED","occurredAt":"2024-01-15T08:30:00+07:00"}
        WRONG_TYPE      | {"eventId":"e\\r\\n","dossierId":"D","type":"RETURNED","occurredAt":"2024-01-15T08:30:00+07:00"}
        WRONG_TYPE      | {"eventId":"e","dossierId":"D\\uDC00","type":"RETURNED","occurredAt":"2024-01-15T08:30:00+07:00"}
        INVALID_JSON    | {"eventId":"e","eventId":"f","dossierId":"D","type":"RETURNED","occurredAt":"2024-01-15T08:30:00+07:00"}
        UNKNOWN_TYPE    | {"eventId":"e","dossierId":"D","type":"ARCHIVED","occurredAt":"2024-01-15T08:30:00+07:00"}
        BAD_TIMESTAMP   | {"eventId":"e","dossierId":"D","type":"RETURNED","occurredAt":"2024-01-15 08:30"}
        BAD_TIMESTAMP   | {"eventId":"e","dossierId":"D","type":"RETURNED","occurredAt":"2024-01-15T08:30:00"}
        IMPOSSIBLE_TIME | {"eventId":"e","dossierId":"D","type":"RETURNED","occurredAt":"1969-12-31T08:30:00+07:00"}
        IMPOSSIBLE_TIME | {"eventId":"e","dossierId":"D","type":"RETURNED","occurredAt":"2031-01-15T08:30:00+07:00"}
        UNKNOWN_UNIT    | {"eventId":"e","dossierId":"D","type":"RETURNED","occurredAt":"2024-01-15T08:30:00+07:00","unitCode":"99999"}
        MISSING_FIELD   | {"eventId":"e","dossierId":"D","type":"RECEIVED","occurredAt":"2024-01-15T08:30:00+07:00","procedureCode":"P","channel":"ONLINE","dueAt":"2024-01-17T17:00:00+07:00","digitised":true}
        UNKNOWN_CHANNEL | {"eventId":"e","dossierId":"D","type":"RECEIVED","occurredAt":"2024-01-15T08:30:00+07:00","unitCode":"11248","procedureCode":"P","channel":"FAX","dueAt":"2024-01-17T17:00:00+07:00","digitised":true}
        WRONG_TYPE      | {"eventId":"e","dossierId":"D","type":"RECEIVED","occurredAt":"2024-01-15T08:30:00+07:00","unitCode":"11248","procedureCode":"P","channel":"ONLINE","dueAt":"2024-01-17T17:00:00+07:00","digitised":"yes"}
        IMPOSSIBLE_TIME | {"eventId":"e","dossierId":"D","type":"RECEIVED","occurredAt":"2024-01-15T08:30:00+07:00","unitCode":"11248","procedureCode":"P","channel":"ONLINE","dueAt":"2024-01-14T17:00:00+07:00","digitised":true}
        MISSING_FIELD   | {"eventId":"e","dossierId":"D","type":"RESOLVED","occurredAt":"2024-01-15T08:30:00+07:00"}
        MISSING_FIELD   | {"eventId":"e","dossierId":"D","type":"APOLOGY_ISSUED","occurredAt":"2024-01-15T08:30:00+07:00"}
        UNKNOWN_ONLINE_MODE    | {"eventId":"e","dossierId":"D","type":"RECEIVED","occurredAt":"2024-01-15T08:30:00+07:00","unitCode":"11248","procedureCode":"P","channel":"ONLINE","dueAt":"2024-01-17T17:00:00+07:00","digitised":true,"onlineMode":"HALF"}
        WRONG_TYPE             | {"eventId":"e","dossierId":"D","type":"RECEIVED","occurredAt":"2024-01-15T08:30:00+07:00","unitCode":"11248","procedureCode":"P","channel":"ONLINE","dueAt":"2024-01-17T17:00:00+07:00","digitised":true,"onlineMode":1}
        ONLINE_MODE_MISMATCH   | {"eventId":"e","dossierId":"D","type":"RECEIVED","occurredAt":"2024-01-15T08:30:00+07:00","unitCode":"11248","procedureCode":"P","channel":"DIRECT","dueAt":"2024-01-17T17:00:00+07:00","digitised":true,"onlineMode":"FULL"}
        ONLINE_MODE_MISMATCH   | {"eventId":"e","dossierId":"D","type":"RESOLVED","occurredAt":"2024-01-15T08:30:00+07:00","resultDigitised":true,"onlineMode":"FULL"}
        WRONG_TYPE             | {"eventId":"e","dossierId":"D","type":"RECEIVED","occurredAt":"2024-01-15T08:30:00+07:00","unitCode":"11248","procedureCode":"P","channel":"ONLINE","dueAt":"2024-01-17T17:00:00+07:00","digitised":true,"syncedToPortal":"true"}
        WRONG_TYPE             | {"eventId":"e","dossierId":"D","type":"RESOLVED","occurredAt":"2024-01-15T08:30:00+07:00","resultDigitised":true,"electronicResult":1}
        WRONG_TYPE             | {"eventId":"e","dossierId":"D","type":"RECEIVED","occurredAt":"2024-01-15T08:30:00+07:00","unitCode":"11248","procedureCode":"P","channel":"ONLINE","dueAt":"2024-01-17T17:00:00+07:00","digitised":true,"vneid":"yes"}
        WRONG_TYPE             | {"eventId":"e","dossierId":"D","type":"RECEIVED","occurredAt":"2024-01-15T08:30:00+07:00","unitCode":"11248","procedureCode":"P","channel":"ONLINE","dueAt":"2024-01-17T17:00:00+07:00","digitised":true,"payment":"CASH"}
        MISSING_FIELD          | {"eventId":"e","dossierId":"D","type":"RECEIVED","occurredAt":"2024-01-15T08:30:00+07:00","unitCode":"11248","procedureCode":"P","channel":"ONLINE","dueAt":"2024-01-17T17:00:00+07:00","digitised":true,"payment":{"amount":50000}}
        MISSING_FIELD          | {"eventId":"e","dossierId":"D","type":"RECEIVED","occurredAt":"2024-01-15T08:30:00+07:00","unitCode":"11248","procedureCode":"P","channel":"ONLINE","dueAt":"2024-01-17T17:00:00+07:00","digitised":true,"payment":{"method":"CASH"}}
        UNKNOWN_PAYMENT_METHOD | {"eventId":"e","dossierId":"D","type":"RECEIVED","occurredAt":"2024-01-15T08:30:00+07:00","unitCode":"11248","procedureCode":"P","channel":"ONLINE","dueAt":"2024-01-17T17:00:00+07:00","digitised":true,"payment":{"method":"MOMO","amount":50000}}
        WRONG_TYPE             | {"eventId":"e","dossierId":"D","type":"RECEIVED","occurredAt":"2024-01-15T08:30:00+07:00","unitCode":"11248","procedureCode":"P","channel":"ONLINE","dueAt":"2024-01-17T17:00:00+07:00","digitised":true,"payment":{"method":"CASH","amount":"50000"}}
        BAD_AMOUNT             | {"eventId":"e","dossierId":"D","type":"RECEIVED","occurredAt":"2024-01-15T08:30:00+07:00","unitCode":"11248","procedureCode":"P","channel":"ONLINE","dueAt":"2024-01-17T17:00:00+07:00","digitised":true,"payment":{"method":"CASH","amount":-1}}
        BAD_AMOUNT             | {"eventId":"e","dossierId":"D","type":"RECEIVED","occurredAt":"2024-01-15T08:30:00+07:00","unitCode":"11248","procedureCode":"P","channel":"ONLINE","dueAt":"2024-01-17T17:00:00+07:00","digitised":true,"payment":{"method":"LOCAL_GATEWAY","amount":50000.5}}
        BAD_AMOUNT             | {"eventId":"e","dossierId":"D","type":"RECEIVED","occurredAt":"2024-01-15T08:30:00+07:00","unitCode":"11248","procedureCode":"P","channel":"ONLINE","dueAt":"2024-01-17T17:00:00+07:00","digitised":true,"payment":{"method":"NATIONAL_PORTAL","amount":1000000000001}}
        """)
    void refusesWhatBreaksTheContract(DeadLetterReason expected, String json) {
        ParseResult<DossierEvent> r = parser.parseDossierEvent(record(json));
        assertThat(r.isOk()).as(json).isFalse();
        DeadLetter d = r.deadLetter();
        assertThat(d.reason).as(d.detail).isEqualTo(expected);
        assertThat(d.topic).isEqualTo("dossier-events");
        assertThat(d.partition).isEqualTo(1);
        assertThat(d.offset).isEqualTo(42);
        assertThat(d.payload).isEqualTo(json.getBytes(StandardCharsets.UTF_8));
        assertThat(d.detail).isNotBlank();
    }

    @Test
    void refusesEmptyOversizedAndInvalidUtf8Records() {
        assertThat(parser.parseDossierEvent(record(null)).deadLetter().reason).isEqualTo(DeadLetterReason.EMPTY_RECORD);
        assertThat(parser.parseDossierEvent(record("")).deadLetter().reason).isEqualTo(DeadLetterReason.EMPTY_RECORD);
        assertThat(parser.parseDossierEvent(record("   ")).deadLetter().reason).isEqualTo(DeadLetterReason.EMPTY_RECORD);
        EventParser small = new EventParser(Set.of("11248"), Duration.ofDays(1), 100);
        assertThat(small.parseDossierEvent(record("{\"pad\":\"" + "x".repeat(200) + "\"}")).deadLetter().reason).isEqualTo(DeadLetterReason.TOO_LARGE);
        RawRecord badUtf8 = new RawRecord("dossier-events", 0, 1, SENT, new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'});
        assertThat(parser.parseDossierEvent(badUtf8).deadLetter().reason).isEqualTo(DeadLetterReason.INVALID_UTF8);
        // Jackson alone reads the overlong C0 AF as '/': the parser must refuse it, not let it into an identifier.
        RawRecord overlong = new RawRecord("dossier-events", 0, 2, SENT, new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xC0, (byte) 0xAF, '"', '}'});
        assertThat(parser.parseDossierEvent(overlong).deadLetter().reason).isEqualTo(DeadLetterReason.INVALID_UTF8);
    }

    @Test
    void refusesBadFeedback() {
        assertThat(parser.parseFeedback(record("{\"feedbackId\":\"f\",\"unitCode\":\"11248\",\"submittedAt\":\"2024-01-15T09:10:00+07:00\",\"rating\":\"GREAT\"}"))
                .deadLetter().reason).isEqualTo(DeadLetterReason.UNKNOWN_RATING);
        assertThat(parser.parseFeedback(record("{\"feedbackId\":\"f\",\"unitCode\":\"123\",\"submittedAt\":\"2024-01-15T09:10:00+07:00\",\"rating\":\"SATISFIED\"}"))
                .deadLetter().reason).isEqualTo(DeadLetterReason.UNKNOWN_UNIT);
        assertThat(parser.parseFeedback(record("{\"feedbackId\":\"f\",\"submittedAt\":\"2024-01-15T09:10:00+07:00\",\"rating\":\"SATISFIED\"}"))
                .deadLetter().reason).isEqualTo(DeadLetterReason.MISSING_FIELD);
    }

    /** The shipped 2025 registry: Xã Cao Thắng (11278) until 2025-06-30; 11239 reused from 2025-07-01. */
    @Test
    void aReceiptIsJudgedByTheUnitsValidOnItsLocalDayAndLaterEventsAreNot() throws Exception {
        EventParser dated = new EventParser(vn.onestop.monitor.units.UnitRegistry.default2025(), Duration.ofDays(1), 1 << 20);
        long sent = Instant.parse("2025-09-01T00:00:00Z").toEpochMilli();
        java.util.function.Function<String, ParseResult<DossierEvent>> parse = json ->
                dated.parseDossierEvent(new RawRecord("dossier-events", 1, 42, sent, json.getBytes(StandardCharsets.UTF_8)));
        String receipt = "{\"eventId\":\"e\",\"dossierId\":\"D\",\"type\":\"RECEIVED\",\"occurredAt\":\"%s\",\"unitCode\":\"%s\","
                + "\"procedureCode\":\"P\",\"channel\":\"DIRECT\",\"dueAt\":\"2025-09-30T17:00:00+07:00\",\"digitised\":true}";
        // 23:59 local on 30 June is Cao Thắng's last day; 17:00Z on 30 June is already 1 July local.
        assertThat(parse.apply(receipt.formatted("2025-06-30T23:59:00+07:00", "11278")).isOk()).isTrue();
        DeadLetter d = parse.apply(receipt.formatted("2025-06-30T17:00:00Z", "11278")).deadLetter();
        assertThat(d.reason).isEqualTo(DeadLetterReason.UNIT_NOT_VALID_AT);
        assertThat(d.detail).isEqualTo("unit '11278' is not valid on 2025-07-01 (the receipt's local day); it is valid open … 2025-06-30");
        // A reused code is valid on both sides of the reorganisation (two units, one code).
        assertThat(parse.apply(receipt.formatted("2025-06-30T09:00:00+07:00", "11239")).isOk()).isTrue();
        assertThat(parse.apply(receipt.formatted("2025-07-01T09:00:00+07:00", "11239")).isOk()).isTrue();
        // A code no version of which exists stays UNKNOWN_UNIT.
        assertThat(parse.apply(receipt.formatted("2025-07-01T09:00:00+07:00", "99999")).deadLetter().reason).isEqualTo(DeadLetterReason.UNKNOWN_UNIT);
        // The late event of a June dossier names the unit that received it, which no longer exists: accepted.
        assertThat(parse.apply("{\"eventId\":\"e2\",\"dossierId\":\"D\",\"type\":\"RESOLVED\",\"occurredAt\":\"2025-07-03T10:00:00+07:00\","
                + "\"unitCode\":\"11278\",\"resultDigitised\":true}").isOk()).isTrue();
        assertThat(dated.parseFeedback(new RawRecord("qr-feedback", 0, 1, sent, ("{\"feedbackId\":\"f\",\"unitCode\":\"11278\","
                + "\"submittedAt\":\"2025-07-03T11:00:00+07:00\",\"rating\":\"SATISFIED\"}").getBytes(StandardCharsets.UTF_8))).isOk()).isTrue();
    }
}

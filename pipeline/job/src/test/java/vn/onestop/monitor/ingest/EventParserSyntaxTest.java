package vn.onestop.monitor.ingest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The streaming parser refuses exactly the records that Jackson's tree model (the parser before issue 17: readTree
 * with trailing tokens and duplicate keys refused) refuses as JSON, on random mutations of contract records.
 */
class EventParserSyntaxTest {
    private static final long SENT = Instant.parse("2024-06-01T00:00:00Z").toEpochMilli();
    private static final Set<DeadLetterReason> SYNTAX = EnumSet.of(DeadLetterReason.INVALID_JSON,
            DeadLetterReason.INVALID_UTF8, DeadLetterReason.EMPTY_RECORD, DeadLetterReason.NOT_AN_OBJECT);
    private static final String[] RECORDS = {
        """
        {"eventId":"e-1","dossierId":"D-1","type":"RECEIVED","occurredAt":"2024-01-15T08:30:00+07:00","unitCode":"11248",
         "procedureCode":"1.001612","channel":"ONLINE","dueAt":"2024-01-17T17:00:00+07:00","digitised":true,
         "onlineMode":"FULL","vneid":true,"payment":{"method":"CASH","amount":8000},"extra":[1,{"a":null},2.5e3,"x\\u00e9"]}""",
        // Keys one character apart at every depth: a mutation easily makes two of them equal.
        """
        {"eventId":"e-2","dossierId":"D-2","type":"RESOLVED","occurredAt":"2024-01-15T08:30:00+07:00","resultDigitised":true,
         "a1":1,"a2":{"b1":{"c1":1,"c2":2},"b2":[{"d1":1,"d2":2}]},"payment":{"method":"CASH","amount":1,"m1":0,"m2":0}}""",
        "[{\"k1\":1,\"k2\":2}]",
        """
        {"feedbackId":"f-1","unitCode":"11248","submittedAt":"2024-01-15T09:10:00+07:00","rating":"SATISFIED","comment":"Nguyễn"}""",
    };
    private static final String ALPHABET = "{}[]\",:\\ 0123456789.eE-+truefalsnul\u00e9";

    @Test
    void refusesAsJsonExactlyWhatTheTreeModelRefused() {
        EventParser parser = new EventParser(Set.of("11248"), Duration.ofDays(1), 1 << 20);
        ObjectMapper tree = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        SplittableRandom random = new SplittableRandom(17);
        int[] byClass = new int[2];
        for (int i = 0; i < 50_000; i++) {
            StringBuilder s = new StringBuilder(RECORDS[random.nextInt(RECORDS.length)]);
            for (int m = 1 + random.nextInt(3); m > 0 && s.length() > 0; m--) {
                int at = random.nextInt(s.length());
                char c = ALPHABET.charAt(random.nextInt(ALPHABET.length()));
                switch (random.nextInt(4)) {
                    case 0 -> s.deleteCharAt(at);
                    case 1 -> s.insert(at, c);
                    case 2 -> s.setCharAt(at, c);
                    default -> s.setLength(at); // truncated
                }
            }
            byte[] bytes = s.toString().getBytes(StandardCharsets.UTF_8);
            if (bytes.length == 0) {
                continue;
            }
            boolean treeRefuses;
            try {
                JsonNode root = tree.readTree(bytes);
                treeRefuses = root == null || root.isMissingNode() || !root.isObject();
            } catch (Exception x) {
                treeRefuses = true;
            }
            RawRecord record = new RawRecord("dossier-events", 0, i, SENT, bytes);
            ParseResult<DossierEvent> event = parser.parseDossierEvent(record);
            ParseResult<Feedback> feedback = parser.parseFeedback(record);
            for (ParseResult<?> r : new ParseResult<?>[] {event, feedback}) {
                boolean refusedAsJson = !r.isOk() && SYNTAX.contains(r.deadLetter().reason);
                assertThat(refusedAsJson).as("%s: %s", s, r.isOk() ? "ok" : r.deadLetter()).isEqualTo(treeRefuses);
            }
            byClass[treeRefuses ? 1 : 0]++;
        }
        // Both sides of the comparison must be exercised many times.
        assertThat(byClass[0]).isGreaterThan(5_000);
        assertThat(byClass[1]).isGreaterThan(5_000);
    }
}

package vn.onestop.monitor.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Set;

import vn.onestop.monitor.units.UnitRegistry;
import vn.onestop.monitor.units.UnitVersion;

/**
 * Parses records of both topics against the event contract (docs/CONTRACT.md). Unknown fields are ignored; anything
 * else that is off becomes a {@link DeadLetter} with a stable {@link DeadLetterReason}. No Flink types here.
 */
public final class EventParser implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Nothing real happened before the national one-stop system existed; earlier times are typos or epoch zeros. */
    static final long EARLIEST_PLAUSIBLE = Instant.parse("2000-01-01T00:00:00Z").toEpochMilli();
    static final long LATEST_PLAUSIBLE_DUE = Instant.parse("2100-01-01T00:00:00Z").toEpochMilli();
    private static final int MAX_ID_LENGTH = 200;
    /** The offices' local day decides which unit a code names (docs/UNITS.md). */
    static final ZoneId LOCAL_ZONE = ZoneId.of("Asia/Ho_Chi_Minh");

    /** Resolves unit codes by day: a receipt's unit has to be valid on the receipt's local day (issue 15). */
    private final UnitRegistry units;
    private final long maxFutureSkewMs;
    private final int maxRecordBytes;
    private transient JsonFactory factory;

    /** A parser for the given codes, each valid on every day (tests and tools without a dated registry). */
    public EventParser(Set<String> knownUnits, Duration maxFutureSkew, int maxRecordBytes) {
        this(UnitRegistry.undated(knownUnits), maxFutureSkew, maxRecordBytes);
    }

    public EventParser(UnitRegistry units, Duration maxFutureSkew, int maxRecordBytes) {
        this.units = units;
        this.maxFutureSkewMs = maxFutureSkew.toMillis();
        this.maxRecordBytes = maxRecordBytes;
    }

    public ParseResult<DossierEvent> parseDossierEvent(RawRecord record) {
        try {
            JsonFields root = readObject(record);
            DossierEvent e = new DossierEvent();
            e.eventId = requiredId(root, JsonFields.EVENT_ID);
            e.dossierId = requiredId(root, JsonFields.DOSSIER_ID);
            String type = requiredText(root, JsonFields.TYPE);
            try {
                e.type = EventType.valueOf(type);
            } catch (IllegalArgumentException x) {
                throw new ContractViolation(DeadLetterReason.UNKNOWN_TYPE, "type '" + shorten(type) + "' is not an event type");
            }
            e.occurredAt = requiredTime(root, JsonFields.OCCURRED_AT, record);
            e.unitCode = optionalUnit(root);
            switch (e.type) {
                case RECEIVED -> {
                    if (e.unitCode == null) {
                        throw new ContractViolation(DeadLetterReason.MISSING_FIELD, "RECEIVED needs unitCode");
                    }
                    // Only the receipt is judged by date: the dossier's later events and its ratings name the unit
                    // that received it, which may have ceased to exist since (a pre-merger dossier resolved in July).
                    LocalDate day = Instant.ofEpochMilli(e.occurredAt).atZone(LOCAL_ZONE).toLocalDate();
                    if (units.versionAt(e.unitCode, day).isEmpty()) {
                        throw new ContractViolation(DeadLetterReason.UNIT_NOT_VALID_AT, "unit '" + e.unitCode
                                + "' is not valid on " + day + " (the receipt's local day); it is valid " + validity(e.unitCode));
                    }
                    e.procedureCode = requiredId(root, JsonFields.PROCEDURE_CODE);
                    String channel = requiredText(root, JsonFields.CHANNEL);
                    try {
                        e.channel = Channel.valueOf(channel);
                    } catch (IllegalArgumentException x) {
                        throw new ContractViolation(DeadLetterReason.UNKNOWN_CHANNEL, "channel '" + shorten(channel) + "' is not DIRECT, ONLINE or POSTAL");
                    }
                    e.dueAt = requiredDue(root, JsonFields.DUE_AT, e.occurredAt);
                    e.digitised = requiredBoolean(root, JsonFields.DIGITISED);
                }
                case RESOLVED -> e.resultDigitised = requiredBoolean(root, JsonFields.RESULT_DIGITISED);
                case APOLOGY_ISSUED -> e.newDueAt = requiredDue(root, JsonFields.NEW_DUE_AT, e.occurredAt);
                default -> { }
            }
            indexFacts(root, e);
            e.topic = record.topic;
            e.partition = record.partition;
            e.offset = record.offset;
            e.payload = record.value;
            e.recordTimestamp = record.timestamp;
            return ParseResult.ok(e);
        } catch (ContractViolation v) {
            return ParseResult.dead(deadLetter(record, v));
        }
    }

    public ParseResult<Feedback> parseFeedback(RawRecord record) {
        try {
            JsonFields root = readObject(record);
            Feedback f = new Feedback();
            f.feedbackId = requiredId(root, JsonFields.FEEDBACK_ID);
            f.unitCode = optionalUnit(root);
            if (f.unitCode == null) {
                throw new ContractViolation(DeadLetterReason.MISSING_FIELD, "feedback needs unitCode");
            }
            f.submittedAt = requiredTime(root, JsonFields.SUBMITTED_AT, record);
            String rating = requiredText(root, JsonFields.RATING);
            try {
                f.rating = Rating.valueOf(rating);
            } catch (IllegalArgumentException x) {
                throw new ContractViolation(DeadLetterReason.UNKNOWN_RATING, "rating '" + shorten(rating) + "' is not one of the five levels");
            }
            if (root.given(JsonFields.DOSSIER_ID)) {
                f.dossierId = requiredId(root, JsonFields.DOSSIER_ID);
            }
            f.topic = record.topic;
            f.partition = record.partition;
            f.offset = record.offset;
            f.payload = record.value;
            f.recordTimestamp = record.timestamp;
            return ParseResult.ok(f);
        } catch (ContractViolation v) {
            return ParseResult.dead(deadLetter(record, v));
        }
    }

    /** Whole đồng; no fee of a one-stop procedure comes near 10^12 (a typo or an overflow does). */
    static final long MAX_AMOUNT = 1_000_000_000_000L;

    /**
     * The optional facts of the national index (issue 16, docs/CONTRACT.md). Absent means "not said", so every event
     * written before them stays valid; present, they are checked like any field, with their own reasons.
     */
    private static void indexFacts(JsonFields root, DossierEvent e) throws ContractViolation {
        if (root.given(JsonFields.ONLINE_MODE)) {
            String m = requiredText(root, JsonFields.ONLINE_MODE);
            try {
                e.onlineMode = OnlineMode.valueOf(m);
            } catch (IllegalArgumentException x) {
                throw new ContractViolation(DeadLetterReason.UNKNOWN_ONLINE_MODE, "onlineMode '" + shorten(m) + "' is not FULL or PARTIAL");
            }
            // Only a receipt says how the dossier came in; an online mode on a counter or postal receipt contradicts it.
            if (e.type != EventType.RECEIVED || e.channel != Channel.ONLINE) {
                throw new ContractViolation(DeadLetterReason.ONLINE_MODE_MISMATCH, "onlineMode needs a RECEIVED event with channel ONLINE");
            }
        }
        e.flags = optionalFlag(root, JsonFields.SYNCED_TO_PORTAL, DossierEvent.SYNCED_TO_PORTAL)
                | optionalFlag(root, JsonFields.ELECTRONIC_RESULT, DossierEvent.ELECTRONIC_RESULT)
                | optionalFlag(root, JsonFields.REUSED_DATA, DossierEvent.REUSED_DATA)
                | optionalFlag(root, JsonFields.PERSONAL_DATA_STORE, DossierEvent.PERSONAL_DATA_STORE)
                | optionalFlag(root, JsonFields.VNEID, DossierEvent.VNEID);
        if (root.given(JsonFields.PAYMENT)) {
            if (root.kind[JsonFields.PAYMENT] != JsonFields.OBJECT) {
                throw new ContractViolation(DeadLetterReason.WRONG_TYPE, "payment must be an object, got " + root.typeName(JsonFields.PAYMENT));
            }
            JsonFields payment = root.payment;
            String method = requiredText(payment, JsonFields.METHOD);
            try {
                e.paymentMethod = PaymentMethod.valueOf(method);
            } catch (IllegalArgumentException x) {
                throw new ContractViolation(DeadLetterReason.UNKNOWN_PAYMENT_METHOD,
                        "payment.method '" + shorten(method) + "' is not NATIONAL_PORTAL, LOCAL_GATEWAY or CASH");
            }
            if (!payment.given(JsonFields.AMOUNT)) {
                throw new ContractViolation(DeadLetterReason.MISSING_FIELD, "missing payment.amount");
            }
            byte amount = payment.kind[JsonFields.AMOUNT];
            if (amount != JsonFields.INTEGER && amount != JsonFields.FRACTION) {
                throw new ContractViolation(DeadLetterReason.WRONG_TYPE, "payment.amount must be a number, got " + payment.typeName(JsonFields.AMOUNT));
            }
            // Đồng have no subunit: a fraction is a unit mix-up (thousands of đồng, another currency), not a fee.
            if (amount != JsonFields.INTEGER || payment.amount < 0 || payment.amount > MAX_AMOUNT) {
                throw new ContractViolation(DeadLetterReason.BAD_AMOUNT,
                        "payment.amount " + shorten(payment.text[JsonFields.AMOUNT]) + " is not a whole number of đồng from 0 to 10^12");
            }
            e.paymentAmount = payment.amount;
        }
    }

    private static int optionalFlag(JsonFields root, int field, int bit) throws ContractViolation {
        if (!root.given(field)) {
            return 0;
        }
        return requiredBoolean(root, field) ? bit : 0;
    }

    private static DeadLetter deadLetter(RawRecord record, ContractViolation v) {
        return new DeadLetter(record.topic, record.partition, record.offset, v.reason, v.getMessage(), record.value);
    }

    /**
     * Reads the whole record with Jackson's streaming parser into the contract's fields, before any of them is
     * judged: a record that is not one well-formed JSON object (bad syntax anywhere, a key given twice, trailing
     * tokens) is refused as such whatever its fields say, exactly as when the record was read into a tree.
     */
    private JsonFields readObject(RawRecord record) throws ContractViolation {
        byte[] bytes = record.value;
        if (bytes == null || bytes.length == 0) {
            throw new ContractViolation(DeadLetterReason.EMPTY_RECORD, "record has no value");
        }
        if (bytes.length > maxRecordBytes) {
            throw new ContractViolation(DeadLetterReason.TOO_LARGE, "record of " + bytes.length + " bytes exceeds " + maxRecordBytes);
        }
        if (!isStrictUtf8(bytes)) {
            throw new ContractViolation(DeadLetterReason.INVALID_UTF8, "not valid UTF-8 (malformed, overlong or surrogate byte sequences)");
        }
        try (JsonParser p = factory().createParser(bytes)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                throw new ContractViolation(DeadLetterReason.EMPTY_RECORD, "record holds no JSON value");
            }
            JsonFields root = null;
            if (first == JsonToken.START_OBJECT) {
                root = JsonFields.read(p);
            } else {
                JsonFields.skip(p, first);
            }
            JsonToken trailing = p.nextToken();
            if (trailing != null) {
                throw new ContractViolation(DeadLetterReason.INVALID_JSON, "not valid JSON: trailing token (" + trailing + ") after the value");
            }
            if (root == null) {
                throw new ContractViolation(DeadLetterReason.NOT_AN_OBJECT, "expected one JSON object, got " + JsonFields.typeName(first));
            }
            return root;
        } catch (JsonFields.DuplicateKey x) {
            throw new ContractViolation(DeadLetterReason.INVALID_JSON, "not valid JSON: " + shorten(x.getMessage()));
        } catch (JsonParseException x) {
            String msg = x.getOriginalMessage();
            DeadLetterReason reason = msg != null && msg.contains("UTF-8") ? DeadLetterReason.INVALID_UTF8 : DeadLetterReason.INVALID_JSON;
            throw new ContractViolation(reason, "not valid JSON: " + shorten(msg));
        } catch (JsonProcessingException x) {
            throw new ContractViolation(DeadLetterReason.INVALID_JSON, "not valid JSON: " + shorten(x.getOriginalMessage()));
        } catch (IOException x) {
            throw new ContractViolation(DeadLetterReason.INVALID_JSON, "unreadable: " + shorten(x.getMessage()));
        }
    }

    /**
     * Jackson decodes some invalid UTF-8 leniently (overlong forms such as C0 AF become '/', which can smuggle
     * characters past checks), so anything outside ASCII is first checked with the JDK's strict decoder.
     */
    private static boolean isStrictUtf8(byte[] bytes) {
        for (byte b : bytes) {
            if (b < 0) {
                try {
                    StandardCharsets.UTF_8.newDecoder()
                            .onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT)
                            .decode(ByteBuffer.wrap(bytes));
                    return true;
                } catch (CharacterCodingException e) {
                    return false;
                }
            }
        }
        return true;
    }

    private static String requiredText(JsonFields root, int field) throws ContractViolation {
        if (!root.given(field)) {
            throw new ContractViolation(DeadLetterReason.MISSING_FIELD, "missing " + root.name(field));
        }
        if (root.kind[field] != JsonFields.STRING) {
            throw new ContractViolation(DeadLetterReason.WRONG_TYPE, root.name(field) + " must be a string, got " + root.typeName(field));
        }
        return root.text[field];
    }

    private static String requiredId(JsonFields root, int field) throws ContractViolation {
        String s = requiredText(root, field);
        if (s.isBlank()) {
            throw new ContractViolation(DeadLetterReason.MISSING_FIELD, root.name(field) + " is blank");
        }
        if (s.length() > MAX_ID_LENGTH || !isPrintable(s)) {
            throw new ContractViolation(DeadLetterReason.WRONG_TYPE, root.name(field) + " is not an identifier (too long or control characters)");
        }
        return s;
    }

    /**
     * Identifiers end up as primary keys and in reports: no control characters (NUL cannot even be stored in a
     * PostgreSQL text column) and no unpaired UTF-16 surrogates (JSON escapes like \uD800 would be written as '?',
     * so two different ids could collide).
     */
    private static boolean isPrintable(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isISOControl(c)) {
                return false;
            }
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    private String optionalUnit(JsonFields root) throws ContractViolation {
        if (!root.given(JsonFields.UNIT_CODE)) {
            return null;
        }
        String unit = requiredId(root, JsonFields.UNIT_CODE);
        if (!units.knows(unit)) {
            throw new ContractViolation(DeadLetterReason.UNKNOWN_UNIT, "unit '" + unit + "' is not in the unit registry");
        }
        return unit;
    }

    private String validity(String code) {
        StringBuilder out = new StringBuilder();
        for (UnitVersion v : units.versions(code)) {
            out.append(out.length() == 0 ? "" : ", ").append(v.interval());
        }
        return out.toString();
    }

    private static boolean requiredBoolean(JsonFields root, int field) throws ContractViolation {
        if (!root.given(field)) {
            throw new ContractViolation(DeadLetterReason.MISSING_FIELD, "missing " + root.name(field));
        }
        if (root.kind[field] != JsonFields.BOOLEAN) {
            throw new ContractViolation(DeadLetterReason.WRONG_TYPE, root.name(field) + " must be true or false, got " + root.typeName(field));
        }
        return root.bool[field];
    }

    private static long parseTime(JsonFields root, int field) throws ContractViolation {
        String s = requiredText(root, field);
        // The common shape is read by hand; anything else goes to the JDK's formatter, which has the last word.
        long fast = IsoTimes.epochMilli(s);
        if (fast != IsoTimes.NOT_READ) {
            return fast;
        }
        try {
            return OffsetDateTime.parse(s, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant().toEpochMilli();
        } catch (DateTimeParseException | ArithmeticException x) {
            throw new ContractViolation(DeadLetterReason.BAD_TIMESTAMP, root.name(field) + " '" + shorten(s) + "' is not ISO-8601 with an offset");
        }
    }

    private long requiredTime(JsonFields root, int field, RawRecord record) throws ContractViolation {
        long t = parseTime(root, field);
        if (t < EARLIEST_PLAUSIBLE) {
            throw new ContractViolation(DeadLetterReason.IMPOSSIBLE_TIME, root.name(field) + " is before 2000");
        }
        // The producer's send time bounds how far in the future an event can honestly be dated.
        if (record.timestamp > 0 && t > record.timestamp + maxFutureSkewMs) {
            throw new ContractViolation(DeadLetterReason.IMPOSSIBLE_TIME, root.name(field) + " lies after the time the record was sent");
        }
        return t;
    }

    private static long requiredDue(JsonFields root, int field, long occurredAt) throws ContractViolation {
        long due = parseTime(root, field);
        if (due < occurredAt) {
            throw new ContractViolation(DeadLetterReason.IMPOSSIBLE_TIME, root.name(field) + " is before occurredAt");
        }
        if (due >= LATEST_PLAUSIBLE_DUE) {
            throw new ContractViolation(DeadLetterReason.IMPOSSIBLE_TIME, root.name(field) + " is after 2100");
        }
        return due;
    }

    private JsonFactory factory() {
        if (factory == null) {
            // A key given twice is refused by JsonFields itself (JsonFields.DuplicateKey), cheaper than Jackson's check.
            factory = new JsonFactory();
        }
        return factory;
    }

    private static String shorten(String s) {
        if (s == null) {
            return "";
        }
        // Details quote input; control characters (NUL above all) must not reach the dead_letter.detail text column.
        StringBuilder b = new StringBuilder(Math.min(s.length(), 170));
        for (int i = 0; i < s.length() && b.length() <= 170; i++) {
            char c = s.charAt(i);
            b.append(Character.isISOControl(c) || Character.isSurrogate(c) ? '\uFFFD' : c);
        }
        String oneLine = b.toString();
        return oneLine.length() > 160 ? oneLine.substring(0, 160) + "…" : oneLine;
    }
}

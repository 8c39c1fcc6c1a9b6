package vn.onestop.monitor.ingest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The contract's fields of one JSON object, read with Jackson's streaming parser: for each field whether it was
 * given, its JSON type and, for the types the contract uses, its value. Unknown fields are read (so that bad syntax
 * anywhere is still found) but not kept. Judging the values is {@link EventParser}'s job; this only records what
 * the record says, in the shape Jackson's tree model gave before (issue 17: the tree's maps were the parser's
 * largest allocation).
 */
final class JsonFields {
    // The JSON types, named as Jackson's JsonNodeType names them in dead-letter details ("got NUMBER").
    static final byte ABSENT = 0;
    static final byte NULL = 1;
    static final byte STRING = 2;
    static final byte INTEGER = 3;
    static final byte FRACTION = 4;
    static final byte BOOLEAN = 5;
    static final byte OBJECT = 6;
    static final byte ARRAY = 7;

    // Fields of dossier events and feedback records (docs/CONTRACT.md).
    static final int EVENT_ID = 0;
    static final int DOSSIER_ID = 1;
    static final int TYPE = 2;
    static final int OCCURRED_AT = 3;
    static final int UNIT_CODE = 4;
    static final int PROCEDURE_CODE = 5;
    static final int CHANNEL = 6;
    static final int DUE_AT = 7;
    static final int DIGITISED = 8;
    static final int RESULT_DIGITISED = 9;
    static final int NEW_DUE_AT = 10;
    static final int ONLINE_MODE = 11;
    static final int SYNCED_TO_PORTAL = 12;
    static final int ELECTRONIC_RESULT = 13;
    static final int REUSED_DATA = 14;
    static final int PERSONAL_DATA_STORE = 15;
    static final int VNEID = 16;
    static final int PAYMENT = 17;
    static final int FEEDBACK_ID = 18;
    static final int SUBMITTED_AT = 19;
    static final int RATING = 20;
    // Fields of the payment object.
    static final int METHOD = 21;
    static final int AMOUNT = 22;

    private static final String[] NAMES = {
        "eventId", "dossierId", "type", "occurredAt", "unitCode", "procedureCode", "channel", "dueAt", "digitised",
        "resultDigitised", "newDueAt", "onlineMode", "syncedToPortal", "electronicResult", "reusedData",
        "personalDataStore", "vneid", "payment", "feedbackId", "submittedAt", "rating", "method", "amount"};
    private static final int FIELDS = NAMES.length;

    final byte[] kind = new byte[FIELDS];
    final String[] text = new String[FIELDS];
    final boolean[] bool = new boolean[FIELDS];
    /** The nested payment object, when {@code kind[PAYMENT] == OBJECT}. */
    JsonFields payment;
    /** payment.amount when it is an integer within a long; {@link #text} holds its digits for details. */
    long amount;
    private JsonFields() {}

    /** True when the field is present and not JSON null (the tree model's {@code n != null && !n.isNull()}). */
    boolean given(int field) {
        return kind[field] > NULL;
    }

    String name(int field) {
        return NAMES[field];
    }

    String typeName(int field) {
        return typeName(kind[field]);
    }

    /**
     * Reads the object whose START_OBJECT is the parser's current token, up to and including its END_OBJECT.
     * A key given twice, at any depth, is refused here ({@link DuplicateKey}): Jackson's own detection
     * (STRICT_DUPLICATE_DETECTION) builds a HashSet for every object of three keys or more, a fifth of the parsing
     * task's allocation after the tree model was gone.
     */
    static JsonFields read(JsonParser p) throws IOException {
        return read(p, false);
    }

    /** A key given twice in one object: ambiguous (another reader may take the other value), so not valid JSON. */
    static final class DuplicateKey extends IOException {
        DuplicateKey(String name) {
            super("Duplicate field '" + name + "'", null);
        }
    }

    private static JsonFields read(JsonParser p, boolean nested) throws IOException {
        JsonFields f = new JsonFields();
        String name;
        List<String> unknown = null;
        while ((name = p.nextFieldName()) != null) {
            JsonToken t = p.nextToken();
            int field = nested ? nestedField(name) : topField(name);
            if (field < 0) {
                // Unknown: read through (syntax, duplicate keys and number lengths are still checked), keep nothing.
                if (unknown == null) {
                    unknown = new ArrayList<>(4);
                } else if (unknown.contains(name)) {
                    throw new DuplicateKey(name);
                }
                unknown.add(name);
                skip(p, t);
                continue;
            }
            if (f.kind[field] != ABSENT) {
                throw new DuplicateKey(name);
            }
            switch (t) {
                case VALUE_STRING -> {
                    f.kind[field] = STRING;
                    f.text[field] = p.getText();
                }
                case VALUE_TRUE, VALUE_FALSE -> {
                    f.kind[field] = BOOLEAN;
                    f.bool[field] = t == JsonToken.VALUE_TRUE;
                }
                case VALUE_NULL -> f.kind[field] = NULL;
                case VALUE_NUMBER_INT -> {
                    f.kind[field] = INTEGER;
                    if (field == AMOUNT) {
                        if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                            // Beyond a long: out of range whatever the sign; the digits are kept for the detail.
                            f.amount = Long.MIN_VALUE;
                            f.text[field] = p.getBigIntegerValue().toString();
                        } else {
                            f.amount = p.getLongValue();
                            f.text[field] = Long.toString(f.amount);
                        }
                    }
                }
                case VALUE_NUMBER_FLOAT -> {
                    f.kind[field] = FRACTION;
                    if (field == AMOUNT) {
                        // As the tree model's DoubleNode printed it.
                        f.text[field] = Double.toString(p.getDoubleValue());
                    }
                }
                case START_OBJECT -> {
                    f.kind[field] = OBJECT;
                    if (field == PAYMENT) {
                        f.payment = read(p, true);
                    } else {
                        skip(p, t);
                    }
                }
                case START_ARRAY -> {
                    f.kind[field] = ARRAY;
                    skip(p, t);
                }
                default -> throw new IOException("unexpected token " + t);
            }
        }
        return f;
    }

    /**
     * Reads through a value the contract does not use, whose first token is {@code t}, checking what the tree model
     * checked: its syntax (the parser's), and that no object in it gives a key twice (ours).
     */
    static void skip(JsonParser p, JsonToken t) throws IOException {
        if (t == JsonToken.START_OBJECT) {
            Set<String> names = new HashSet<>();
            String name;
            while ((name = p.nextFieldName()) != null) {
                if (!names.add(name)) {
                    throw new DuplicateKey(name);
                }
                skip(p, p.nextToken());
            }
        } else if (t == JsonToken.START_ARRAY) {
            JsonToken element;
            while ((element = p.nextToken()) != JsonToken.END_ARRAY) {
                if (element == null) {
                    return; // end of input: the parser reports the unclosed array on the next token
                }
                skip(p, element);
            }
        }
    }

    /** Jackson hands field names over canonicalised (interned), so the switch's hash is computed once per name. */
    private static int topField(String name) {
        return switch (name) {
            case "eventId" -> EVENT_ID;
            case "dossierId" -> DOSSIER_ID;
            case "type" -> TYPE;
            case "occurredAt" -> OCCURRED_AT;
            case "unitCode" -> UNIT_CODE;
            case "procedureCode" -> PROCEDURE_CODE;
            case "channel" -> CHANNEL;
            case "dueAt" -> DUE_AT;
            case "digitised" -> DIGITISED;
            case "resultDigitised" -> RESULT_DIGITISED;
            case "newDueAt" -> NEW_DUE_AT;
            case "onlineMode" -> ONLINE_MODE;
            case "syncedToPortal" -> SYNCED_TO_PORTAL;
            case "electronicResult" -> ELECTRONIC_RESULT;
            case "reusedData" -> REUSED_DATA;
            case "personalDataStore" -> PERSONAL_DATA_STORE;
            case "vneid" -> VNEID;
            case "payment" -> PAYMENT;
            case "feedbackId" -> FEEDBACK_ID;
            case "submittedAt" -> SUBMITTED_AT;
            case "rating" -> RATING;
            default -> -1;
        };
    }

    private static int nestedField(String name) {
        return switch (name) {
            case "method" -> METHOD;
            case "amount" -> AMOUNT;
            default -> -1;
        };
    }

    static String typeName(byte kind) {
        return switch (kind) {
            case NULL -> "NULL";
            case STRING -> "STRING";
            case INTEGER, FRACTION -> "NUMBER";
            case BOOLEAN -> "BOOLEAN";
            case OBJECT -> "OBJECT";
            case ARRAY -> "ARRAY";
            default -> "MISSING";
        };
    }

    static String typeName(JsonToken t) {
        return switch (t) {
            case START_OBJECT -> "OBJECT";
            case START_ARRAY -> "ARRAY";
            case VALUE_STRING -> "STRING";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "NUMBER";
            case VALUE_TRUE, VALUE_FALSE -> "BOOLEAN";
            case VALUE_NULL -> "NULL";
            default -> String.valueOf(t);
        };
    }
}

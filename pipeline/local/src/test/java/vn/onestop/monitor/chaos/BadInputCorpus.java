package vn.onestop.monitor.chaos;

import vn.onestop.monitor.ingest.DeadLetterReason;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The bad-input corpus of {@code src/test/resources/badinput} (format in its README.md), one entry per bad record. */
final class BadInputCorpus {
    static final String DOSSIER_EVENTS = "dossier-events";
    static final String QR_FEEDBACK = "qr-feedback";

    /** @param payload the record's value; null for a tombstone */
    record Entry(String topic, int line, DeadLetterReason expected, String description, byte[] payload) {
        @Override
        public String toString() {
            return topic + ":" + line + " " + expected + " (" + description + ")";
        }
    }

    private BadInputCorpus() {}

    static List<Entry> load(String topic) throws IOException {
        byte[] file;
        try (InputStream in = BadInputCorpus.class.getResourceAsStream("/badinput/" + topic + ".tsv")) {
            if (in == null) {
                throw new IOException("no corpus for " + topic);
            }
            file = in.readAllBytes();
        }
        List<Entry> entries = new ArrayList<>();
        String[] lines = new String(file, StandardCharsets.UTF_8).split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] cols = line.split("\t", 3);
            if (cols.length != 3) {
                throw new IOException(topic + ".tsv line " + (i + 1) + ": expected REASON<TAB>description<TAB>payload");
            }
            entries.add(new Entry(topic, i + 1, DeadLetterReason.valueOf(cols[0]), cols[1], payload(topic, cols[2])));
        }
        return entries;
    }

    static byte[] payload(String topic, String spec) {
        String idField = topic.equals(DOSSIER_EVENTS) ? "eventId" : "feedbackId";
        if (spec.equals("@null")) {
            return null;
        }
        if (spec.equals("@empty")) {
            return new byte[0];
        }
        if (spec.startsWith("@large:")) {
            int size = Integer.parseInt(spec.substring(7));
            String head = "{\"" + idField + "\":\"large-1\",\"pad\":\"";
            return (head + "x".repeat(size - head.length() - 2) + "\"}").getBytes(StandardCharsets.UTF_8);
        }
        if (spec.startsWith("@deep:")) {
            int depth = Integer.parseInt(spec.substring(6));
            return ("{\"" + idField + "\":\"deep-1\",\"n\":" + "[".repeat(depth) + "]".repeat(depth) + "}").getBytes(StandardCharsets.UTF_8);
        }
        if (spec.startsWith("@bignum:")) {
            int digits = Integer.parseInt(spec.substring(8));
            return ("{\"" + idField + "\":" + "9".repeat(digits) + "}").getBytes(StandardCharsets.UTF_8);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < spec.length(); ) {
            if (spec.startsWith("\\x", i) && i + 4 <= spec.length()) {
                out.write(Integer.parseInt(spec.substring(i + 2, i + 4), 16));
                i += 4;
            } else {
                int cp = spec.codePointAt(i);
                out.writeBytes(new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8));
                i += Character.charCount(cp);
            }
        }
        return out.toByteArray();
    }
}

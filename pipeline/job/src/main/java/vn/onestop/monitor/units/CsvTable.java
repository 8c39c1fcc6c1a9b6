package vn.onestop.monitor.units;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A CSV file with a header row (RFC 4180 quoting), as the reference data ships. */
public record CsvTable(String source, List<String> header, List<List<String>> rows) {

    public static CsvTable read(String source, InputStream in) throws IOException {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            List<List<String>> lines = new ArrayList<>();
            String line;
            int number = 0;
            while ((line = r.readLine()) != null) {
                number++;
                if (number == 1 && line.startsWith("\uFEFF")) {
                    line = line.substring(1);
                }
                if (line.isBlank()) {
                    continue;
                }
                lines.add(split(line, source, number));
            }
            if (lines.isEmpty()) {
                throw new IOException(source + " is empty: it needs a header row");
            }
            return new CsvTable(source, lines.get(0), lines.subList(1, lines.size()));
        }
    }

    /** Checks the header names the expected columns, in order, so a shifted file fails loudly instead of loading garbage. */
    public CsvTable expect(String... columns) throws IOException {
        if (!header.equals(List.of(columns))) {
            throw new IOException(source + ": header must be '" + String.join(",", columns) + "' but is '" + String.join(",", header) + "'");
        }
        for (int i = 0; i < rows.size(); i++) {
            if (rows.get(i).size() != columns.length) {
                throw new IOException(source + " data row " + (i + 1) + ": expected " + columns.length + " fields, found " + rows.get(i).size());
            }
        }
        return this;
    }

    private static List<String> split(String line, String source, int number) throws IOException {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cur.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cur.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                out.add(cur.toString().trim());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        if (quoted) {
            throw new IOException(source + " line " + number + ": unterminated quote");
        }
        out.add(cur.toString().trim());
        return out;
    }
}

package vn.onestop.monitor.sim;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The offices and procedures the simulator needs, read from the reference CSVs that ship on the classpath.
 * Deliberately a tiny reader (the files hold no quoted fields) so the simulator does not depend on the job's
 * reference-data code.
 */
record DistrictReference(List<String> communeCodes, Map<String, Integer> procedureHours) {
    static final String UNITS = "/reference/units.csv";
    static final String PROCEDURES = "/reference/procedures.csv";

    /** Commune-level units valid on {@code day} (units are merged and abolished over time), and all procedures. */
    static DistrictReference fromClasspath(LocalDate day) {
        List<String> communes = new ArrayList<>();
        for (Map<String, String> row : read(UNITS)) {
            if ("COMMUNE".equals(row.get("level")) && validOn(row, day)) {
                communes.add(row.get("code"));
            }
        }
        Map<String, Integer> procedures = new LinkedHashMap<>();
        for (Map<String, String> row : read(PROCEDURES)) {
            procedures.put(row.get("code"), Integer.parseInt(row.get("statutory_hours")));
        }
        if (communes.isEmpty() || procedures.isEmpty()) {
            throw new IllegalStateException("reference data on the classpath has no communes valid on " + day + " or no procedures");
        }
        return new DistrictReference(List.copyOf(communes), Map.copyOf(procedures));
    }

    private static boolean validOn(Map<String, String> row, LocalDate day) {
        String from = row.getOrDefault("valid_from", "");
        String to = row.getOrDefault("valid_to", "");
        return (from.isEmpty() || !LocalDate.parse(from).isAfter(day)) && (to.isEmpty() || !LocalDate.parse(to).isBefore(day)); // valid_to is the last valid day
    }

    private static List<Map<String, String>> read(String resource) {
        InputStream in = DistrictReference.class.getResourceAsStream(resource);
        if (in == null) {
            throw new IllegalStateException("missing classpath resource " + resource);
        }
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String header = reader.readLine();
            if (header == null) {
                return List.of();
            }
            String[] columns = header.replace("\uFEFF", "").trim().split(",", -1);
            List<Map<String, String>> rows = new ArrayList<>();
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                String[] cells = Arrays.copyOf(line.split(",", -1), columns.length);
                Map<String, String> row = new LinkedHashMap<>();
                for (int i = 0; i < columns.length; i++) {
                    row.put(columns[i].trim(), cells[i] == null ? "" : cells[i].trim());
                }
                rows.add(row);
            }
            return rows;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

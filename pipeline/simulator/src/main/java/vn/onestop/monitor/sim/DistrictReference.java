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
record DistrictReference(List<String> communeCodes, Map<String, List<LocalDate[]>> validity, Map<String, Integer> procedureHours) {
    static final String UNITS = "/reference/units.csv";
    static final String PROCEDURES = "/reference/procedures.csv";
    static final String SUCCESSION = "/reference/unit_succession.csv";
    /** Huyện Thanh Miện in the default data: the simulated area is its communes and the communes that succeeded them. */
    static final String DISTRICT = "300";

    /**
     * The simulated area's commune-level codes valid on {@code day} or later (units are merged and abolished over
     * time), each with the intervals its commune versions are valid in ([first, last], null = open), and all
     * procedures. The area is Thanh Miện: its 17 communes until 30 June 2025 and the 5 communes that succeeded them
     * from 1 July, so a run across that day has the old offices before it and the new ones after.
     */
    static DistrictReference fromClasspath(LocalDate day) {
        List<Map<String, String>> units = read(UNITS);
        java.util.Set<String> area = new java.util.HashSet<>();
        for (Map<String, String> row : units) {
            if ("COMMUNE".equals(row.get("level")) && DISTRICT.equals(row.get("parent_code"))) {
                area.add(row.get("code"));
            }
        }
        java.util.Set<String> successors = new java.util.HashSet<>();
        for (Map<String, String> row : read(SUCCESSION)) {
            if (area.contains(row.get("predecessor_code"))) {
                successors.add(row.get("successor_code"));
            }
        }
        area.addAll(successors);
        List<String> communes = new ArrayList<>();
        Map<String, List<LocalDate[]>> validity = new LinkedHashMap<>();
        for (Map<String, String> row : units) {
            if (!"COMMUNE".equals(row.get("level")) || !area.contains(row.get("code"))) {
                continue;
            }
            String to = row.getOrDefault("valid_to", "");
            if ((to.isEmpty() || !LocalDate.parse(to).isBefore(day)) && !communes.contains(row.get("code"))) {
                communes.add(row.get("code"));
            }
            String from = row.getOrDefault("valid_from", "");
            validity.computeIfAbsent(row.get("code"), c -> new ArrayList<>())
                    .add(new LocalDate[] {from.isEmpty() ? null : LocalDate.parse(from), to.isEmpty() ? null : LocalDate.parse(to)});
        }
        validity.keySet().retainAll(communes);
        Map<String, Integer> procedures = new LinkedHashMap<>();
        for (Map<String, String> row : read(PROCEDURES)) {
            procedures.put(row.get("code"), Integer.parseInt(row.get("statutory_hours")));
        }
        if (communes.isEmpty() || procedures.isEmpty()) {
            throw new IllegalStateException("reference data on the classpath has no communes valid on " + day + " or no procedures");
        }
        return new DistrictReference(List.copyOf(communes), Map.copyOf(validity), Map.copyOf(procedures));
    }

    static List<Map<String, String>> read(String resource) {
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

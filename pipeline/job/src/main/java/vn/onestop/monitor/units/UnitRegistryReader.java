package vn.onestop.monitor.units;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads units.csv and unit_succession.csv and checks every rule before a {@link UnitRegistry} exists, so a file that
 * breaks one is refused as a whole. The first broken rule is reported, with the file and line to fix.
 */
final class UnitRegistryReader {
    static final List<String> UNIT_COLUMNS = List.of("code", "name", "level", "parent_code", "valid_from", "valid_to");
    static final List<String> SUCCESSION_COLUMNS = List.of("predecessor_code", "successor_code", "effective_from", "share");
    /** Shares are written with a few decimals (1/3 as 0.333333333333); the sum has to be 1 up to that rounding. */
    static final double SHARE_TOLERANCE = 1e-9;

    private UnitRegistryReader() {}

    /** A data row and the line of the file it stands on (the header is line 1; blank lines are skipped but counted). */
    private record Row(int line, List<String> fields) {}

    static UnitRegistry read(String unitsSource, InputStream units, String successionSource, InputStream succession)
            throws IOException {
        List<UnitVersion> versions = readUnits(unitsSource, rows(unitsSource, units, UNIT_COLUMNS));
        Map<String, List<UnitVersion>> byCode = byCode(versions);
        checkParents(unitsSource, versions, byCode);
        List<UnitSuccession> successions = readSuccessions(successionSource, rows(successionSource, succession, SUCCESSION_COLUMNS), byCode);
        checkShares(successionSource, successions, byCode);
        checkSuccessionCycles(successionSource, successions, byCode);
        return new UnitRegistry(versions, successions);
    }

    /**
     * Parses with {@link CsvTable} and recovers each row's line number, which CsvTable does not keep: it drops blank
     * lines and the BOM, and parses one line per row, so counting the non-blank lines the same way gives the line.
     */
    private static List<Row> rows(String source, InputStream in, List<String> columns) throws IOException {
        byte[] bytes = in.readAllBytes();
        CsvTable table = CsvTable.read(source, new ByteArrayInputStream(bytes));
        List<Integer> lines = new ArrayList<>();
        String[] physical = new String(bytes, StandardCharsets.UTF_8).split("\r?\n|\r", -1);
        for (int i = 0; i < physical.length; i++) {
            String text = i == 0 && physical[i].startsWith("\uFEFF") ? physical[i].substring(1) : physical[i];
            if (!text.isBlank()) {
                lines.add(i + 1);
            }
        }
        if (!table.header().equals(columns)) {
            throw new ReferenceDataError(source, lines.get(0), "header must be '" + String.join(",", columns)
                    + "' but is '" + String.join(",", table.header()) + "'");
        }
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < table.rows().size(); i++) {
            List<String> fields = table.rows().get(i);
            int line = lines.get(i + 1);
            if (fields.size() != columns.size()) {
                throw new ReferenceDataError(source, line, "expected " + columns.size() + " fields, found " + fields.size());
            }
            rows.add(new Row(line, fields));
        }
        return rows;
    }

    private static List<UnitVersion> readUnits(String source, List<Row> rows) throws ReferenceDataError {
        List<UnitVersion> versions = new ArrayList<>();
        Map<String, List<UnitVersion>> earlier = new HashMap<>();
        for (Row r : rows) {
            String code = required(source, r, 0, "code");
            String name = required(source, r, 1, "name");
            UnitVersion.Level level;
            try {
                level = UnitVersion.Level.valueOf(r.fields().get(2));
            } catch (IllegalArgumentException e) {
                throw new ReferenceDataError(source, r.line(), "level must be PROVINCE, DISTRICT or COMMUNE, not '" + r.fields().get(2) + "'");
            }
            String parent = r.fields().get(3).isEmpty() ? null : r.fields().get(3);
            LocalDate from = date(source, r, 4, "valid_from", true);
            LocalDate to = date(source, r, 5, "valid_to", true);
            if (from != null && to != null && to.isBefore(from)) {
                throw new ReferenceDataError(source, r.line(), "valid_to " + to + " is before valid_from " + from);
            }
            UnitVersion v = new UnitVersion(code, name, level, parent, from, to, r.line());
            List<UnitVersion> sameCode = earlier.computeIfAbsent(code, c -> new ArrayList<>());
            for (UnitVersion other : sameCode) {
                // One code names one unit on any day; two versions valid on the same day would make a receipt ambiguous.
                if (other.overlaps(v)) {
                    throw new ReferenceDataError(source, r.line(), "code " + code + " is valid " + v.interval()
                            + ", which overlaps its version on line " + other.line() + " (" + other.interval() + ")");
                }
            }
            sameCode.add(v);
            versions.add(v);
        }
        return versions;
    }

    private static void checkParents(String source, List<UnitVersion> versions, Map<String, List<UnitVersion>> byCode)
            throws ReferenceDataError {
        for (UnitVersion v : versions) {
            if (v.parentCode() == null) {
                continue;
            }
            List<UnitVersion> parents = byCode.get(v.parentCode());
            if (parents == null) {
                throw new ReferenceDataError(source, v.line(), "parent_code " + v.parentCode() + " of " + v.code() + " is not a code in this file");
            }
            String uncovered = uncoveredDays(v, parents);
            if (uncovered != null) {
                throw new ReferenceDataError(source, v.line(), "parent " + v.parentCode() + " is not valid " + uncovered
                        + " while " + v.code() + " is (" + v.interval() + "); a roll-up then would have no parent");
            }
        }
        checkParentCycles(source, versions, byCode);
    }

    /**
     * Where the parent's versions leave a day of the child's interval uncovered ("on 2025-07-01", "before 2020-01-01",
     * "after 2025-06-30"), or null when they cover all of it.
     */
    private static String uncoveredDays(UnitVersion child, List<UnitVersion> parents) {
        LocalDate day = child.validFrom();
        if (day == null) {
            UnitVersion openStart = parents.stream().filter(p -> p.validFrom() == null).findFirst().orElse(null);
            if (openStart == null) {
                return "before " + parents.stream().map(UnitVersion::validFrom).min(LocalDate::compareTo).orElseThrow();
            }
            if (openStart.validTo() == null) {
                return null;
            }
            day = openStart.validTo().plusDays(1);
        }
        // Walk forward through the child's days, jumping to the day after each parent version that covers the current one.
        while (child.validTo() == null || !day.isAfter(child.validTo())) {
            final LocalDate d = day;
            UnitVersion covering = parents.stream().filter(p -> p.validOn(d)).findFirst().orElse(null);
            if (covering == null) {
                return child.validTo() == null && parents.stream().allMatch(p -> p.validTo() != null && p.validTo().isBefore(d))
                        ? "after " + d.minusDays(1) : "on " + d;
            }
            if (covering.validTo() == null) {
                return null;
            }
            day = covering.validTo().plusDays(1);
        }
        return null;
    }

    private static void checkParentCycles(String source, List<UnitVersion> versions, Map<String, List<UnitVersion>> byCode)
            throws ReferenceDataError {
        // A version points to the parent versions valid during its interval; a cycle would make roll-ups endless.
        Map<UnitVersion, List<UnitVersion>> up = new HashMap<>();
        for (UnitVersion v : versions) {
            List<UnitVersion> ps = new ArrayList<>();
            if (v.parentCode() != null) {
                for (UnitVersion p : byCode.get(v.parentCode())) {
                    if (p.overlaps(v)) {
                        ps.add(p);
                    }
                }
            }
            up.put(v, ps);
        }
        UnitVersion onCycle = findCycle(versions, up);
        if (onCycle != null) {
            throw new ReferenceDataError(source, onCycle.line(), "the parents of " + onCycle.code()
                    + " (" + onCycle.interval() + ") lead back to itself: a cycle in parents");
        }
    }

    private static List<UnitSuccession> readSuccessions(String source, List<Row> rows, Map<String, List<UnitVersion>> byCode)
            throws ReferenceDataError {
        List<UnitSuccession> out = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (Row r : rows) {
            String predecessor = required(source, r, 0, "predecessor_code");
            String successor = required(source, r, 1, "successor_code");
            LocalDate effective = date(source, r, 2, "effective_from", false);
            double share;
            try {
                share = Double.parseDouble(required(source, r, 3, "share"));
            } catch (NumberFormatException e) {
                throw new ReferenceDataError(source, r.line(), "share '" + r.fields().get(3) + "' is not a number");
            }
            if (!(share > 0 && share <= 1)) {
                throw new ReferenceDataError(source, r.line(), "share " + r.fields().get(3)
                        + " is out of range: a successor takes more than nothing and at most all (0 < share ≤ 1)");
            }
            for (String code : List.of(predecessor, successor)) {
                if (!byCode.containsKey(code)) {
                    throw new ReferenceDataError(source, r.line(), "unit " + code + " is not in the units file");
                }
            }
            if (versionAt(byCode, predecessor, effective.minusDays(1)) == null) {
                throw new ReferenceDataError(source, r.line(), "predecessor " + predecessor + " is not valid on "
                        + effective.minusDays(1) + ", the day before the succession takes effect");
            }
            if (versionAt(byCode, successor, effective) == null) {
                throw new ReferenceDataError(source, r.line(), "successor " + successor + " is not valid on " + effective
                        + ", the day the succession takes effect");
            }
            String key = predecessor + "→" + successor + "@" + effective;
            Integer earlier = seen.putIfAbsent(key, r.line());
            if (earlier != null) {
                throw new ReferenceDataError(source, r.line(), "the succession " + predecessor + " → " + successor + " from "
                        + effective + " is already on line " + earlier);
            }
            out.add(new UnitSuccession(predecessor, successor, effective, share, r.line()));
        }
        return out;
    }

    private static void checkShares(String source, List<UnitSuccession> successions, Map<String, List<UnitVersion>> byCode)
            throws ReferenceDataError {
        // One reorganisation of one predecessor version: all its history has to go somewhere, and only once.
        Map<String, List<UnitSuccession>> groups = new LinkedHashMap<>();
        for (UnitSuccession s : successions) {
            groups.computeIfAbsent(s.predecessorCode() + "@" + s.effectiveFrom(), k -> new ArrayList<>()).add(s);
        }
        for (List<UnitSuccession> group : groups.values()) {
            double sum = 0;
            for (UnitSuccession s : group) {
                sum += s.share();
            }
            if (Math.abs(sum - 1) > SHARE_TOLERANCE) {
                UnitSuccession first = group.get(0);
                List<Integer> lines = group.stream().map(UnitSuccession::line).toList();
                throw new ReferenceDataError(source, first.line(), "the shares of predecessor " + first.predecessorCode()
                        + " from " + first.effectiveFrom() + " sum to " + sum + ", not 1 (lines " + lines + ")");
            }
        }
    }

    private static void checkSuccessionCycles(String source, List<UnitSuccession> successions, Map<String, List<UnitVersion>> byCode)
            throws ReferenceDataError {
        // A succession points from the predecessor version (valid the day before) to the successor version (valid on
        // the day). Across different days a chain always moves forward in time, so a unit may cede land to a new unit
        // and take it back years later. On one day, though, a cycle — two continuing units handing history to each
        // other — has two readings (does what B gives back to A include what A just gave B?), and a recursive query
        // that follows successions by code would not end. The file has to settle it by starting new versions that day.
        // A continuing unit keeping part of its own history points to itself; that is no cycle and is left out.
        Map<LocalDate, Map<UnitVersion, List<UnitVersion>>> byDay = new TreeMap<>();
        Map<UnitVersion, UnitSuccession> lineOf = new HashMap<>();
        for (UnitSuccession s : successions) {
            UnitVersion from = versionAt(byCode, s.predecessorCode(), s.effectiveFrom().minusDays(1));
            UnitVersion to = versionAt(byCode, s.successorCode(), s.effectiveFrom());
            if (!from.equals(to)) {
                byDay.computeIfAbsent(s.effectiveFrom(), d -> new LinkedHashMap<>())
                        .computeIfAbsent(from, k -> new ArrayList<>()).add(to);
                lineOf.putIfAbsent(from, s);
            }
        }
        for (Map.Entry<LocalDate, Map<UnitVersion, List<UnitVersion>>> day : byDay.entrySet()) {
            UnitVersion onCycle = findCycle(new ArrayList<>(day.getValue().keySet()), day.getValue());
            if (onCycle != null) {
                UnitSuccession s = lineOf.get(onCycle);
                throw new ReferenceDataError(source, s.line(), "the successions from " + onCycle.code() + " on " + day.getKey()
                        + " lead back to it: a cycle in succession; give the units new versions from the day they exchange history");
            }
        }
    }

    /** A version on a cycle of the graph, or null; iterative depth-first search so deep chains do not overflow. */
    private static UnitVersion findCycle(List<UnitVersion> nodes, Map<UnitVersion, List<UnitVersion>> edges) {
        Map<UnitVersion, Integer> state = new HashMap<>(); // absent: unvisited, 1: on the current path, 2: done
        for (UnitVersion start : nodes) {
            if (state.containsKey(start)) {
                continue;
            }
            List<UnitVersion> path = new ArrayList<>();
            List<Integer> nextChild = new ArrayList<>();
            path.add(start);
            nextChild.add(0);
            state.put(start, 1);
            while (!path.isEmpty()) {
                int top = path.size() - 1;
                UnitVersion node = path.get(top);
                List<UnitVersion> children = edges.getOrDefault(node, List.of());
                int i = nextChild.get(top);
                if (i < children.size()) {
                    nextChild.set(top, i + 1);
                    UnitVersion child = children.get(i);
                    Integer s = state.get(child);
                    if (s == null) {
                        state.put(child, 1);
                        path.add(child);
                        nextChild.add(0);
                    } else if (s == 1) {
                        return child;
                    }
                } else {
                    state.put(node, 2);
                    path.remove(top);
                    nextChild.remove(top);
                }
            }
        }
        return null;
    }

    private static Map<String, List<UnitVersion>> byCode(List<UnitVersion> versions) {
        Map<String, List<UnitVersion>> byCode = new HashMap<>();
        for (UnitVersion v : versions) {
            byCode.computeIfAbsent(v.code(), c -> new ArrayList<>()).add(v);
        }
        return byCode;
    }

    private static UnitVersion versionAt(Map<String, List<UnitVersion>> byCode, String code, LocalDate day) {
        for (UnitVersion v : byCode.getOrDefault(code, List.of())) {
            if (v.validOn(day)) {
                return v;
            }
        }
        return null;
    }

    private static String required(String source, Row r, int i, String column) throws ReferenceDataError {
        String v = r.fields().get(i);
        if (v.isEmpty()) {
            throw new ReferenceDataError(source, r.line(), column + " is empty");
        }
        return v;
    }

    private static LocalDate date(String source, Row r, int i, String column, boolean emptyMeansOpen) throws ReferenceDataError {
        String v = r.fields().get(i);
        if (v.isEmpty() && emptyMeansOpen) {
            return null;
        }
        try {
            return LocalDate.parse(required(source, r, i, column));
        } catch (DateTimeParseException e) {
            throw new ReferenceDataError(source, r.line(), column + " '" + v + "' is not a date (YYYY-MM-DD)");
        }
    }
}

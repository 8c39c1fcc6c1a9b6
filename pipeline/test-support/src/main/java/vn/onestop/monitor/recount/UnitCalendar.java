package vn.onestop.monitor.recount;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The recomputation's own reading of units.csv and unit_succession.csv (docs/UNITS.md), sharing no code with the
 * job's registry: which codes may receive on a local day, and how a recorded count is carried into the units of a
 * later day. It assumes the files are valid (the job's loader checks them; this only reads them).
 * <p>
 * Restatement here is a sequence of transfers, not a recursion along chains: a count starts as weight 1 on the
 * version that recorded it and, for each reorganisation day in order after the record's day and up to the target,
 * every weight on a predecessor version of that day is moved to its successors by the shares. What is left on
 * versions valid on the target is the answer; the rest reached units that ended without a successor.
 */
public final class UnitCalendar {
    /** One version: a code's interval, both ends inclusive, null = open. */
    private record Version(String code, LocalDate from, LocalDate to) {
        boolean validOn(LocalDate day) {
            return (from == null || !from.isAfter(day)) && (to == null || !to.isBefore(day));
        }
    }

    private record Succession(String predecessor, String successor, LocalDate effective, double share) {}

    private final Map<String, List<Version>> versions = new HashMap<>();
    private final TreeMap<LocalDate, List<Succession>> byDay = new TreeMap<>();

    public UnitCalendar(Path units, Path succession) throws IOException {
        for (String[] f : rows(units)) {
            versions.computeIfAbsent(f[0], k -> new ArrayList<>())
                    .add(new Version(f[0], f[4].isEmpty() ? null : LocalDate.parse(f[4]), f[5].isEmpty() ? null : LocalDate.parse(f[5])));
        }
        for (String[] f : rows(succession)) {
            LocalDate effective = LocalDate.parse(f[2]);
            byDay.computeIfAbsent(effective, d -> new ArrayList<>()).add(new Succession(f[0], f[1], effective, Double.parseDouble(f[3])));
        }
    }

    private static List<String[]> rows(Path file) throws IOException {
        List<String[]> out = new ArrayList<>();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (String line : lines.subList(1, lines.size())) {
            if (!line.isBlank()) {
                out.add(line.split(",", -1)); // the reference files of the tests hold no quoted fields
            }
        }
        return out;
    }

    /** Whether a version of the code is valid on the local day: a receipt then is counted, else dead-lettered. */
    public boolean validOn(String code, LocalDate day) {
        return version(code, day) != null;
    }

    private Version version(String code, LocalDate day) {
        for (Version v : versions.getOrDefault(code, List.of())) {
            if (v.validOn(day)) {
                return v;
            }
        }
        return null;
    }

    /**
     * Code → weight of a count the code recorded on {@code day}, carried into the units valid on {@code target}. A
     * count recorded after its unit ended (a late event of a dossier it received) is the count of the unit's last
     * version, from that version's last day.
     */
    public Map<String, Double> carry(String code, LocalDate day, LocalDate target) {
        Version start = version(code, day);
        LocalDate at = day;
        if (start == null) {
            for (Version v : versions.getOrDefault(code, List.of())) {
                if (v.to() != null && v.to().isBefore(day) && (start == null || v.to().isAfter(start.to()))) {
                    start = v;
                }
            }
            if (start == null) {
                return Map.of();
            }
            at = start.to();
        }
        Map<Version, Double> weights = new HashMap<>();
        weights.put(start, 1.0);
        for (Map.Entry<LocalDate, List<Succession>> reorganisation : byDay.subMap(at, false, target, true).entrySet()) {
            LocalDate effective = reorganisation.getKey();
            Map<Version, Double> next = new HashMap<>();
            Map<Version, Boolean> moved = new HashMap<>();
            for (Succession s : reorganisation.getValue()) {
                Version from = version(s.predecessor(), effective.minusDays(1));
                Double w = weights.get(from);
                if (w != null) {
                    next.merge(version(s.successor(), effective), w * s.share(), Double::sum);
                    moved.put(from, true);
                }
            }
            weights.forEach((v, w) -> {
                if (!moved.containsKey(v)) {
                    next.merge(v, w, Double::sum); // untouched by this reorganisation
                }
            });
            weights = next;
        }
        Map<String, Double> out = new TreeMap<>();
        weights.forEach((v, w) -> {
            if (v.validOn(target)) {
                out.merge(v.code(), w, Double::sum);
            }
        });
        return out;
    }

    /** Every code of the units file, sorted. */
    public TreeSet<String> codes() {
        return new TreeSet<>(versions.keySet());
    }
}

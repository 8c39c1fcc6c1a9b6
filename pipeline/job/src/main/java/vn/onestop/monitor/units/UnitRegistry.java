package vn.onestop.monitor.units;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The effective-dated unit registry: which unit a statistics code named on a given day, its parent on that day, and
 * how history recorded by units that no longer exist is carried into the units of another day through the
 * succession shares. Built only by {@link #read}, which refuses data that breaks the rules, so every instance is
 * consistent: one version per code and day, parents valid on all their children's days, shares of a predecessor
 * summing to 1, no cycles. Plain Java and serializable so the Flink job can carry it.
 */
public final class UnitRegistry implements Serializable {
    private static final Comparator<UnitVersion> BY_START =
            Comparator.comparing(UnitVersion::validFrom, Comparator.nullsFirst(Comparator.naturalOrder()));

    private final List<UnitVersion> versions;
    private final List<UnitSuccession> successions;
    private final Map<String, List<UnitVersion>> versionsByCode;
    /** For each predecessor version: its successions grouped by the day they take effect. */
    private final Map<UnitVersion, NavigableMap<LocalDate, List<UnitSuccession>>> successionsByPredecessor;

    UnitRegistry(List<UnitVersion> versions, List<UnitSuccession> successions) {
        this.versions = List.copyOf(versions);
        this.successions = List.copyOf(successions);
        Map<String, List<UnitVersion>> byCode = new HashMap<>();
        for (UnitVersion v : versions) {
            byCode.computeIfAbsent(v.code(), c -> new ArrayList<>()).add(v);
        }
        byCode.values().forEach(list -> list.sort(BY_START));
        this.versionsByCode = byCode;
        Map<UnitVersion, NavigableMap<LocalDate, List<UnitSuccession>>> bySource = new HashMap<>();
        for (UnitSuccession s : successions) {
            UnitVersion predecessor = versionAt(s.predecessorCode(), s.effectiveFrom().minusDays(1)).orElseThrow();
            bySource.computeIfAbsent(predecessor, p -> new TreeMap<>())
                    .computeIfAbsent(s.effectiveFrom(), d -> new ArrayList<>()).add(s);
        }
        this.successionsByPredecessor = bySource;
    }

    /** Reads and checks both files; either file that breaks a rule refuses the whole registry. */
    public static UnitRegistry read(String unitsSource, InputStream units, String successionSource, InputStream succession)
            throws IOException {
        return UnitRegistryReader.read(unitsSource, units, successionSource, succession);
    }

    public static UnitRegistry read(Path units, Path succession) throws IOException {
        try (InputStream u = Files.newInputStream(units); InputStream s = Files.newInputStream(succession)) {
            return read(units.toString(), u, succession.toString(), s);
        }
    }

    /** The structure shipped with the build: Hải Dương/Thanh Miện until 2025-06-30, Hải Phòng from 2025-07-01. */
    public static UnitRegistry default2025() throws IOException {
        try (InputStream u = resource("units.csv"); InputStream s = resource("unit_succession.csv")) {
            return read("default units.csv", u, "default unit_succession.csv", s);
        }
    }

    private static InputStream resource(String name) throws IOException {
        InputStream in = UnitRegistry.class.getResourceAsStream("/reference/" + name);
        if (in == null) {
            throw new IOException("default reference file /reference/" + name + " is missing from the build");
        }
        return in;
    }

    /**
     * A registry of the given codes, each one unit valid on every day, without parents or successions: for tests and
     * tools that need a set of known codes and nothing of the reorganisations.
     */
    public static UnitRegistry undated(java.util.Collection<String> codes) {
        List<UnitVersion> versions = new ArrayList<>();
        int line = 1;
        for (String code : new java.util.TreeSet<>(codes)) {
            versions.add(new UnitVersion(code, code, UnitVersion.Level.COMMUNE, null, null, null, ++line));
        }
        return new UnitRegistry(versions, List.of());
    }

    /** Every version, in the order of the file they came from. */
    public List<UnitVersion> allVersions() {
        return versions;
    }

    /** Every succession, in the order of the file they came from. */
    public List<UnitSuccession> allSuccessions() {
        return successions;
    }

    /** Whether any version of the code exists, on whatever day. */
    public boolean knows(String code) {
        return versionsByCode.containsKey(code);
    }

    /** The code's version valid today or, for a code that ended, its last one: what one row per code shows. */
    public Optional<UnitVersion> latestVersion(String code) {
        List<UnitVersion> list = versionsByCode.get(code);
        return list == null ? Optional.empty() : Optional.of(list.get(list.size() - 1));
    }

    /** The unit the code named on that day; empty when no version of the code is valid then (or the code is unknown). */
    public Optional<UnitVersion> versionAt(String code, LocalDate day) {
        for (UnitVersion v : versionsByCode.getOrDefault(code, List.of())) {
            if (v.validOn(day)) {
                return Optional.of(v);
            }
        }
        return Optional.empty();
    }

    /**
     * The version a count recorded for the code on that day belongs to: the one valid that day or, when the code had
     * ended by then, its last version before the day. Counts follow the unit that received the dossier, so a dossier
     * received by a commune abolished on 30 June 2025 and resolved in July is recorded for that commune on a July day.
     * Empty when the code has no version starting on or before the day.
     */
    public Optional<UnitVersion> recordedVersion(String code, LocalDate day) {
        UnitVersion found = null;
        for (UnitVersion v : versionsByCode.getOrDefault(code, List.of())) {
            if (v.validFrom() == null || !v.validFrom().isAfter(day)) {
                found = v;
            }
        }
        return Optional.ofNullable(found);
    }

    /** The parent of the unit the code named on that day; empty for a province, or when the code was not valid then. */
    public Optional<UnitVersion> parentAt(String code, LocalDate day) {
        return versionAt(code, day).flatMap(v -> v.parent().flatMap(p -> versionAt(p, day)));
    }

    /** All versions of a code, earliest first: the code's history, including reuse by another unit. */
    public List<UnitVersion> versions(String code) {
        return List.copyOf(versionsByCode.getOrDefault(code, List.of()));
    }

    /** The units valid on a day, by code. */
    public List<UnitVersion> unitsValidOn(LocalDate day) {
        return unitsValidBetween(day, day);
    }

    /**
     * The unit versions valid on at least one day of [from, to], by code then start. A code reused during the range
     * appears once per version, because a unit picker over the range has to offer both units.
     */
    public List<UnitVersion> unitsValidBetween(LocalDate from, LocalDate to) {
        if (to.isBefore(from)) {
            throw new IllegalArgumentException("range ends (" + to + ") before it starts (" + from + ")");
        }
        List<UnitVersion> out = new ArrayList<>();
        for (List<UnitVersion> list : versionsByCode.values()) {
            for (UnitVersion v : list) {
                if (v.validDuring(from, to)) {
                    out.add(v);
                }
            }
        }
        out.sort(Comparator.comparing(UnitVersion::code).thenComparing(BY_START));
        return out;
    }

    /** The units whose parent on that day is the given code: the peer group of a period's end. */
    public List<UnitVersion> childrenAt(String parentCode, LocalDate day) {
        List<UnitVersion> out = new ArrayList<>();
        for (UnitVersion v : unitsValidOn(day)) {
            if (parentCode.equals(v.parentCode())) {
                out.add(v);
            }
        }
        return out;
    }

    /** The successions whose predecessor is the version of the code valid on the day, by effective day. */
    public List<UnitSuccession> successionsOf(String code, LocalDate day) {
        List<UnitSuccession> out = new ArrayList<>();
        versionAt(code, day).map(successionsByPredecessor::get).ifPresent(m -> m.values().forEach(out::addAll));
        return out;
    }

    /**
     * The weights with which a count the code recorded on {@code day} belongs to the units valid on {@code target}:
     * the record follows every succession that takes effect after its day and no later than the target, and shares
     * multiply along a chain of reorganisations. The weights sum to 1, except where the history reaches a unit that
     * ended without a successor (a district of the abolished tier): that part belongs to no unit valid on the target.
     * A count recorded on a day after its unit ended (the late resolution of a dossier the unit received; counts follow
     * the receiving unit) is carried as of the unit's last day, see {@link #recordedVersion}. Empty when the code had
     * no version on or before the day.
     *
     * @return successor code → weight, by code
     */
    public Map<String, Double> restate(String code, LocalDate day, LocalDate target) {
        if (target.isBefore(day)) {
            throw new IllegalArgumentException("restatement carries history forward: target " + target + " is before " + day);
        }
        Map<String, Double> weights = new TreeMap<>();
        recordedVersion(code, day).ifPresent(v -> carry(v, v.validOn(day) ? day : v.validTo(), 1.0, target, weights));
        return weights;
    }

    private void carry(UnitVersion unit, LocalDate day, double weight, LocalDate target, Map<String, Double> weights) {
        NavigableMap<LocalDate, List<UnitSuccession>> reorganisations = successionsByPredecessor.get(unit);
        // Only a reorganisation after the record's day concerns it: history recorded on or after the effective day
        // already belongs to the unit as it is after the reorganisation.
        Map.Entry<LocalDate, List<UnitSuccession>> next = reorganisations == null ? null : reorganisations.higherEntry(day);
        if (next != null && !next.getKey().isAfter(target)) {
            for (UnitSuccession s : next.getValue()) {
                UnitVersion successor = versionAt(s.successorCode(), next.getKey()).orElseThrow();
                carry(successor, next.getKey(), weight * s.share(), target, weights);
            }
        } else if (unit.validOn(target)) {
            weights.merge(unit.code(), weight, Double::sum);
        }
    }
}

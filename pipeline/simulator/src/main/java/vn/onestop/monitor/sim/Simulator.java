package vn.onestop.monitor.sim;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A seeded simulator of one district's one-stop offices: dossier lifecycle events and QR ratings, delivered the
 * way real office systems deliver them (late batches, re-sends, the odd broken record).
 *
 * <p>The simulator itself is immutable; each {@link #records} call starts a fresh, independent run from
 * {@link SimulationSettings#start()}. The same settings, units and procedures give the same records, byte for
 * byte, and a shorter run is a prefix of a longer one.
 */
public final class Simulator {
    private final SimulationSettings settings;
    private final List<String> unitCodes;
    private final List<String> procedureCodes;
    private final int[] statutoryHours;
    private final double[] procedureWeights;
    private final double[] unitWeights;
    private final int slowUnitIndex;
    /** Code → the intervals [first, last] (null = open) in which it may receive dossiers; a code not here always may. */
    private final Map<String, List<LocalDate[]>> validity;

    /**
     * @param unitCodes      the offices (commune-level units) that receive dossiers
     * @param procedureHours procedure code → statutory processing time in hours
     */
    public Simulator(SimulationSettings settings, List<String> unitCodes, Map<String, Integer> procedureHours) {
        this(settings, unitCodes, Map.of(), procedureHours);
    }

    /**
     * @param validity code → intervals [first, last] (null = open) of the days the unit exists: it receives no dossier
     *                 on other days, though its open dossiers go on (a commune merged on 1 July 2025 still resolves
     *                 what it received in June)
     */
    Simulator(SimulationSettings settings, List<String> unitCodes, Map<String, List<LocalDate[]>> validity, Map<String, Integer> procedureHours) {
        this.validity = Map.copyOf(validity);
        if (unitCodes.isEmpty() || procedureHours.isEmpty()) {
            throw new IllegalArgumentException("need at least one unit and one procedure");
        }
        this.settings = settings;
        this.unitCodes = List.copyOf(unitCodes);
        // Sorted so the run does not depend on the iteration order of whatever map the caller passed.
        TreeMap<String, Integer> sorted = new TreeMap<>(procedureHours);
        this.procedureCodes = List.copyOf(sorted.keySet());
        this.statutoryHours = sorted.values().stream().mapToInt(Integer::intValue).toArray();
        this.procedureWeights = new double[statutoryHours.length];
        for (int i = 0; i < statutoryHours.length; i++) {
            // Quick procedures (certifications, civil status) make up most of a commune's counter traffic.
            procedureWeights[i] = 1 / Math.sqrt(Math.max(1, statutoryHours[i]));
        }
        normalise(procedureWeights);

        SplittableRandom districtShape = new SplittableRandom(settings.seed());
        this.unitWeights = new double[this.unitCodes.size()];
        for (int i = 0; i < unitWeights.length; i++) {
            // Communes differ in population; the town (first unit by convention) is the busiest.
            unitWeights[i] = (i == 0 ? 1.6 : 0.7) + 0.6 * districtShape.nextDouble();
        }
        normalise(unitWeights);
        for (int i = 0; i < unitWeights.length; i++) {
            unitWeights[i] *= unitWeights.length;
        }
        // The district reports 16 of 17 offices settling basic procedures within the hour: one is slow.
        this.slowUnitIndex = this.unitCodes.size() > 1 ? districtShape.nextInt(this.unitCodes.size()) : -1;
    }

    /** Thanh Miện's communes and procedures from the reference CSVs on the classpath, as of the simulated start. */
    public static Simulator forDefaultDistrict(SimulationSettings settings) {
        LocalDate day = settings.start().atZone(OfficeHours.ZONE).toLocalDate();
        DistrictReference ref = DistrictReference.fromClasspath(day);
        return new Simulator(settings, ref.communeCodes(), ref.validity(), ref.procedureHours());
    }

    /** A fresh run of all records sent before {@code until}, in non-decreasing send time; generated lazily. */
    public SimulationRun records(Instant until) {
        return new SimulationRun(this, until.toEpochMilli());
    }

    /** A fresh run without end, for live feeds. */
    public SimulationRun records() {
        return new SimulationRun(this, Long.MAX_VALUE);
    }

    public Stream<SimRecord> stream(Instant until) {
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(records(until),
                Spliterator.ORDERED | Spliterator.NONNULL), false);
    }

    public SimulationSettings settings() {
        return settings;
    }

    /** Whether the unit may receive dossiers on the local day. */
    boolean unitValidOn(int unit, LocalDate day) {
        List<LocalDate[]> intervals = validity.get(unitCodes.get(unit));
        if (intervals == null) {
            return true;
        }
        for (LocalDate[] i : intervals) {
            if ((i[0] == null || !i[0].isAfter(day)) && (i[1] == null || !i[1].isBefore(day))) {
                return true;
            }
        }
        return false;
    }

    public List<String> unitCodes() {
        return unitCodes;
    }

    /** The office that takes hours over basic procedures, or null for a single-unit district. */
    public String slowUnit() {
        return slowUnitIndex < 0 ? null : unitCodes.get(slowUnitIndex);
    }

    boolean isSlow(int unitIndex) {
        return unitIndex == slowUnitIndex;
    }

    double unitWeight(int unitIndex) {
        return unitWeights[unitIndex];
    }

    int pickProcedure(SplittableRandom r) {
        return Lifecycle.pick(procedureWeights, r);
    }

    String procedureCode(int index) {
        return procedureCodes.get(index);
    }

    /**
     * An online dossier is only possible for a procedure its unit offers online (unit_procedures.csv, the national
     * index's catalogue, docs/INDEX766.md): otherwise one of the procedures the unit does offer online is drawn
     * instead, with the usual procedure weights, from a random stream of its own seeded by {@code seed}, so every
     * other draw of the run stays as it was. A unit without catalogue rows (or offering nothing online) keeps the
     * drawn procedure.
     */
    int offeredOnline(String unitCode, int procedure, long seed) {
        java.util.Set<String> offered = OnlineCatalogue.offeredOnline(unitCode);
        if (offered.isEmpty() || offered.contains(procedureCodes.get(procedure))) {
            return procedure;
        }
        double[] weights = new double[procedureCodes.size()];
        int last = -1;
        for (int i = 0; i < weights.length; i++) {
            if (offered.contains(procedureCodes.get(i))) {
                weights[i] = procedureWeights[i];
                last = i;
            }
        }
        if (last < 0) {
            return procedure;
        }
        normalise(weights);
        int drawn = Lifecycle.pick(weights, new SplittableRandom(seed));
        return weights[drawn] > 0 ? drawn : last; // pick's rounding fallback is the last index, which may be excluded
    }

    int statutoryHours(int index) {
        return statutoryHours[index];
    }

    private static void normalise(double[] weights) {
        double sum = 0;
        for (double w : weights) {
            sum += w;
        }
        for (int i = 0; i < weights.length; i++) {
            weights[i] /= sum;
        }
    }
}

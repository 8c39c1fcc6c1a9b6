package vn.onestop.monitor.index;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * All indicators this package can compute for one unit and period, in the order of {@link Indicator766}.
 * Out-of-reach indicators are absent rather than scored 0, so a total is always read with its maximum.
 */
public final class NationalIndex {
    private NationalIndex() {
    }

    /**
     * @param counts   the unit's (or parent's summed) dossier counts
     * @param coverage the distinct-procedure counts, or {@code null} while the procedure catalogue lacks the flags:
     *                 then 3.1, 3.2, 3.5.1, 3.5.2 and 4.5.2 are left out
     */
    public static List<IndicatorScore> score(UnitPeriodCounts counts, ProcedureCoverage coverage) {
        List<IndicatorScore> scores = new ArrayList<>();
        scores.add(PortalSync.score(counts));
        scores.add(Progress.score(counts));
        if (coverage != null) {
            scores.add(OnlineServices.proceduresOnline(coverage));
            scores.add(OnlineServices.servicesUsed(coverage));
        }
        scores.add(OnlineServices.onlineShare(counts));
        if (coverage != null) {
            scores.add(OnlinePayment.feeProceduresPaidOnline(coverage));
            scores.add(OnlinePayment.feeProceduresWithFeeData(coverage));
        }
        scores.add(OnlinePayment.dossiersPaidOnline(counts));
        scores.add(Digitisation.electronicResult(counts));
        scores.add(Digitisation.digitisedDossier(counts));
        scores.add(Digitisation.reusedData(counts));
        scores.add(Digitisation.personalDataStore(counts));
        scores.add(Digitisation.populationDataDossiers(counts));
        if (coverage != null) {
            scores.add(Digitisation.populationDataProcedures(coverage));
        }
        scores.add(Satisfaction.score(counts));
        return scores;
    }

    /** Sum of the rounded points: the portal's group and total scores add the published two-decimal scores. */
    public static BigDecimal points(List<IndicatorScore> scores) {
        return scores.stream().map(IndicatorScore::points).reduce(Points.zero(), BigDecimal::add);
    }

    public static BigDecimal maxPoints(List<IndicatorScore> scores) {
        return scores.stream().map(IndicatorScore::maxPoints).reduce(Points.zero(), BigDecimal::add);
    }
}

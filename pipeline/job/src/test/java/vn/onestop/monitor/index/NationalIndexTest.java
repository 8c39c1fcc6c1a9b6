package vn.onestop.monitor.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class NationalIndexTest {

    /** docs/metrics.m0.json: the METRICS maxima sum to 100 ("provinceDeclaredMaxScore": 100). */
    @Test
    void theIndicatorsAddUpToOneHundredPoints() {
        BigDecimal all = Arrays.stream(Indicator766.values()).map(Indicator766::maxPoints)
                .reduce(BigDecimal.ZERO, BigDecimal::add);
        assertEquals(new BigDecimal("100.00"), all);
    }

    /**
     * 6 (1.4) + 20 (2.1) + 6 (3.3) + 6 (3.6) + 6 + 4 + 2 + 4 + 2 (4.1–4.5.1) + 6 (5.4) = 62 from counts;
     * + 2 (3.1) + 4 (3.2) + 2 + 2 (3.5) + 2 (4.5.2) = 74 with the procedure catalogue — issue 16's "about 74".
     */
    @Test
    void countsAloneReachSixtyTwoPointsAndTheCatalogueSeventyFour() {
        UnitPeriodCounts none = UnitPeriodCounts.NONE;
        assertEquals(new BigDecimal("62.00"), NationalIndex.maxPoints(NationalIndex.score(none, null)));
        ProcedureCoverage noProcedures = new ProcedureCoverage(0, 0, 0, 0, 0, 0, 0, 0, 0);
        List<IndicatorScore> withCatalogue = NationalIndex.score(none, noProcedures);
        assertEquals(new BigDecimal("74.00"), NationalIndex.maxPoints(withCatalogue));
        assertEquals(new BigDecimal("0.00"), NationalIndex.points(withCatalogue));
    }

    /**
     * dossier-digitized/month-all.json, H44: the group's totalScore 8.22 is the sum of its published two-decimal
     * scores, 4.33 + 0.46 + 0.04 + 0 + 0.93 + 0.46 + 2 (4.6, electronic certified copy, which we cannot compute).
     */
    @Test
    void groupFourOfPhuThoAddsToThePortalTotalLessTheCertifiedCopy() {
        UnitPeriodCounts c = new UnitPeriodCounts(184513, 0, 0, 133274, 21233, 3160, 0, 85644, 0, 0, 0, 0, 0);
        ProcedureCoverage p = new ProcedureCoverage(0, 0, 0, 0, 0, 0, 0, 1301, 297);
        BigDecimal groupFour = NationalIndex.score(c, p).stream()
                .filter(s -> s.indicator().id().startsWith("4."))
                .map(IndicatorScore::points).reduce(BigDecimal.ZERO, BigDecimal::add);
        assertEquals(new BigDecimal("6.22"), groupFour);
    }

    /**
     * A parent's ratio comes from summed counts, not from its children's ratios: H44.03 (486 / 588) and H44.07
     * (332 / 482) give 818 / 1070 = 76.45% → 15.29, where averaging their scores 16.53 and 13.78 gives 15.16.
     */
    @Test
    void aParentScoresItsSummedCounts() {
        UnitPeriodCounts parent = Fixtures.handled(588, 486, 0).plus(Fixtures.handled(482, 332, 0));
        IndicatorScore s = Progress.score(parent);
        assertEquals(new BigDecimal("0.7645"), s.value());
        assertEquals(new BigDecimal("15.29"), s.points());
        assertEquals(new BigDecimal("4.71"), s.gap());
    }

    @Test
    void aPartLargerThanItsWholeIsAFeedingBug() {
        assertThrows(IllegalArgumentException.class, () -> Fixtures.handled(10, 11, 0));
        assertThrows(IllegalArgumentException.class, () -> Fixtures.handled(10, 5, 6));
        assertThrows(IllegalArgumentException.class, () -> Fixtures.received(10, 11, 0));
        assertThrows(IllegalArgumentException.class, () -> Fixtures.feeProcedures(3, 4, 0));
    }

    @Test
    void indicatorsAreFoundByTheirNationalId() {
        assertEquals(Indicator766.SATISFACTION, Indicator766.ofId("5.4"));
        assertEquals(Indicator766.POPULATION_DATA_PROCEDURES, Indicator766.ofId("4.5.2"));
        assertThrows(IllegalArgumentException.class, () -> Indicator766.ofId("9.9"));
    }
}

package vn.onestop.monitor.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static vn.onestop.monitor.index.Fixtures.decimal;

import java.math.BigDecimal;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Group 4 against the portal's published numerators, denominators and scores (ChippedTopaz/qd766
 * tests/fixtures/dossier-digitized/month-all.json, Phú Thọ, a month). The 4.2 row for H44.08 is the one that tells
 * the fitted linear curve from the formula document's "full from 80%": 80.06% scores 3.20, not 4.
 */
class DigitisationTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            4.1 ORIGINAL_RESULT_AVAILABLE H44: 133274 of 184513          | 4.1   | 133274 | 184513 | 0.7223 | 4.33
            4.1 ORIGINAL_RESULT_AVAILABLE H44.08: 291 of 326             | 4.1   |    291 |    326 | 0.8926 | 5.36
            4.1 ORIGINAL_RESULT_AVAILABLE H44.102: 858 of 1770           | 4.1   |    858 |   1770 | 0.4847 | 2.91
            4.1 ORIGINAL_RESULT_AVAILABLE H44.01: 0 of 0, score null     | 4.1   |      0 |      0 |        | 0.00
            4.2 SO_HOA_GIAY_TO_GIAI_QUYET H44: 21233 of 184513           | 4.2   |  21233 | 184513 | 0.1151 | 0.46
            4.2 SO_HOA_GIAY_TO_GIAI_QUYET H44.08: 80.06% is not full     | 4.2   |    261 |    326 | 0.8006 | 3.20
            4.2 SO_HOA_GIAY_TO_GIAI_QUYET H44.03: 312 of 588             | 4.2   |    312 |    588 | 0.5306 | 2.12
            4.3 REUSED_DIGITIZED_DATA H44: 3160 of 184513, full at 80%   | 4.3   |   3160 | 184513 | 0.0171 | 0.04
            4.3 REUSED_DIGITIZED_DATA H44.100: 35 of 2971                | 4.3   |     35 |   2971 | 0.0118 | 0.03
            4.3 REUSED_DIGITIZED_DATA H44.102: 44 of 1770                | 4.3   |     44 |   1770 | 0.0249 | 0.06
            4.3 REUSED_DIGITIZED_DATA H44.103: 3 of 2645                 | 4.3   |      3 |   2645 | 0.0011 | 0.00
            4.4 SYNCED_WITH_DVCQG_PERSONAL_STORAGE H44: 0 of 184513      | 4.4   |      0 | 184513 | 0.0000 | 0.00
            4.5 CITIZEN_DATA_CONNECTED_DOSSIER H44: 85644 of 184513      | 4.5.1 |  85644 | 184513 | 0.4642 | 0.93
            4.5 CITIZEN_DATA_CONNECTED_DOSSIER H44.102: 1450 of 1770     | 4.5.1 |   1450 |   1770 | 0.8192 | 1.64
            4.5 CITIZEN_DATA_CONNECTED_DOSSIER H44.100: 1137 of 2971     | 4.5.1 |   1137 |   2971 | 0.3827 | 0.77
            4.5 CITIZEN_DATA_CONNECTED_DOSSIER H44.03: 588 of 588        | 4.5.1 |    588 |    588 | 1.0000 | 2.00
            """)
    void dossierRatiosMatchThePortal(String source, String indicator, long part, long handled, String value,
                                     BigDecimal points) {
        UnitPeriodCounts c = Fixtures.digitisation(indicator, part, handled);
        IndicatorScore s = NationalIndex.score(c, null).stream()
                .filter(x -> x.indicator().id().equals(indicator)).findFirst().orElseThrow();
        assertEquals(decimal(value), s.value(), source);
        assertEquals(points, s.points(), source);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            4.5 CITIZEN_DATA_CONNECTED_FORMALITY H44: 297 of 1301        |  297 | 1301 | 0.2283 | 0.46
            4.5 CITIZEN_DATA_CONNECTED_FORMALITY H44.03: 10 of 42        |   10 |   42 | 0.2381 | 0.48
            4.5 CITIZEN_DATA_CONNECTED_FORMALITY H44.07: 12 of 73        |   12 |   73 | 0.1644 | 0.33
            4.5 CITIZEN_DATA_CONNECTED_FORMALITY H44.100: 46 of 385      |   46 |  385 | 0.1195 | 0.24
            """)
    void populationDataProceduresMatchThePortal(String source, long part, long whole, String value,
                                                BigDecimal points) {
        IndicatorScore s = Digitisation.populationDataProcedures(
                new ProcedureCoverage(0, 0, 0, 0, 0, 0, 0, whole, part));
        assertEquals(decimal(value), s.value(), source);
        assertEquals(points, s.points(), source);
    }
}

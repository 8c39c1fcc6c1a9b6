package vn.onestop.monitor.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static vn.onestop.monitor.index.Fixtures.decimal;
import static vn.onestop.monitor.index.Fixtures.handled;

import java.math.BigDecimal;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * 2.1 and 5.4 against rows the national portal published (ChippedTopaz/qd766 M0 fixtures, Phú Thọ, a month).
 * Expected values are the portal's own ratio and score, checked by hand: e.g. 144 625 / 184 513 = 0.78382 → 78.38%,
 * 20 × 0.78382 = 15.676 → 15.68.
 */
class ProgressAndSatisfactionTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            dvc-progress-tree/month-all.json 2.1 H44 province: 144625 of 184513       | 184513 | 144625 | 0.7838 | 15.68
            dvc-progress-tree/month-all.json 2.1 H44.03 Ban quản lý KCN               |    588 |    486 | 0.8265 | 16.53
            dvc-progress-tree/month-all.json 2.1 H44.07 Sở Công Thương                |    482 |    332 | 0.6888 | 13.78
            dvc-progress-tree/month-all.json 2.1 H44.08 Sở GD&ĐT                      |    326 |    207 | 0.6350 | 12.70
            dvc-progress-tree/month-all.json 2.1 H44.105 Xuân Lũng (no cap at 90%)   |   1038 |    939 | 0.9046 | 18.09
            dvc-progress-tree/month-all.json 2.1 H44.13 Sở Ngoại vụ: 0 of 2           |      2 |      0 | 0.0000 |  0.00
            dvc-progress-tree/month-all.json 2.1 H44.01 Văn phòng UBND: no dossier    |      0 |      0 |        |  0.00
            """)
    void progressMatchesThePortal(String source, long handled, long inTime, String value, BigDecimal points) {
        IndicatorScore s = Progress.score(handled(handled, inTime, 0));
        assertEquals(decimal(value), s.value(), source);
        assertEquals(points, s.points(), source);
        assertEquals(new BigDecimal("20.00"), s.maxPoints());
    }

    /**
     * The portal's 5.4 numerator is 2.1's in-time count less the in-time dossiers with a complaint or dislike:
     * H44 144 574 = 144 625 − 51, H44.08 205 = 207 − 2, H44.103 2 133 = 2 134 − 1 (handling-satisfaction vs
     * dvc-progress-tree fixtures), so the third column is that difference.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            handling-satisfaction/month-all.json 5.4 H44 province: 144574 of 184513   | 184513 | 144625 | 51 | 0.7835 | 5.22
            handling-satisfaction/month-all.json 5.4 H44.03: 486 of 588               |    588 |    486 |  0 | 0.8265 | 5.51
            handling-satisfaction/month-all.json 5.4 H44.07: 332 of 482               |    482 |    332 |  0 | 0.6888 | 4.59
            handling-satisfaction/month-all.json 5.4 H44.08: 205 of 326               |    326 |    207 |  2 | 0.6288 | 4.19
            handling-satisfaction/month-all.json 5.4 H44.103 Vân Phú: 2133 of 2645    |   2645 |   2134 |  1 | 0.8064 | 5.38
            handling-satisfaction/month-all.json 5.4 H44.105 full from 90%: 939/1038  |   1038 |    939 |  0 | 0.9046 | 6.00
            handling-satisfaction/month-all.json 5.4 H44.01 no dossier scores 0       |      0 |      0 |  0 |        | 0.00
            """)
    void satisfactionMatchesThePortal(String source, long handled, long inTime, long dissatisfied, String value,
                                      BigDecimal points) {
        IndicatorScore s = Satisfaction.score(handled(handled, inTime, dissatisfied));
        assertEquals(decimal(value), s.value(), source);
        assertEquals(points, s.points(), source);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            transparency/month-all.json 1.4 DOSSIER_SYNC H44: 138744 of 138744        | 138744 | 138744 | 1.0000 | 6.00
            transparency/month-all.json 1.4 DOSSIER_SYNC H44.03: 380 of 380           |    380 |    380 | 1.0000 | 6.00
            transparency/month-all.json 1.4 DOSSIER_SYNC H44.01: no data, N/A         |      0 |      0 |        | 0.00
            SCORING_ANALYSIS_M0.md transparency rule max × ratio: 90% synced          |    100 |     90 | 0.9000 | 5.40
            """)
    void portalSync(String source, long received, long synced, String value, BigDecimal points) {
        IndicatorScore s = PortalSync.score(Fixtures.received(received, synced, 0));
        assertEquals(decimal(value), s.value(), source);
        assertEquals(points, s.points(), source);
    }
}

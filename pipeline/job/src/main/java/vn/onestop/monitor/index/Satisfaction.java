package vn.onestop.monitor.index;

import java.math.BigDecimal;

/**
 * 5.4 "Tỷ lệ hài lòng trong tiếp nhận, giải quyết TTHC" (6 points, full from 90%).
 *
 * <p>Rule: r = (handled − dossiers late or with a negative rating / complaint) / handled, counted per dossier,
 * points {@code min(6, 6 × r / 0.9)}, 0 without handled dossiers. Sources (ChippedTopaz/qd766):
 * {@code docs/metrics.m0.json} row 23 DOSSIER_RECEIVING_SATISFACTION ("Tổng số hồ sơ … − Số hồ sơ có đánh giá không
 * hài lòng hoặc có phản ánh, kiến nghị … hoặc giải quyết quá hạn"); {@code web/dist/formula-document.js} record 5.4
 * (full at 90%); {@code docs/SCORING_ANALYSIS_M0.md} (min(6, 6 × numerator / denominator / 0.90), 0 when the
 * denominator is 0, 492 rows). The formula document writes r as 100% − (late rate + dislike rate), which counts a
 * dossier that is both late and disliked twice; the METRICS wording ("hoặc") counts it once and so do we, which is
 * why the input is the in-time dossiers with a complaint rather than all disliked dossiers. The portal's denominator
 * is 2.1's (184 513 for Phú Thọ in both {@code tests/fixtures/handling-satisfaction/month-all.json} and
 * {@code dvc-progress-tree/month-all.json}).
 */
public final class Satisfaction {
    static final BigDecimal FULL_AT = new BigDecimal("0.9");

    private Satisfaction() {
    }

    public static IndicatorScore score(UnitPeriodCounts c) {
        long satisfied = c.handledInTime() - c.handledInTimeDissatisfied();
        return Points.fullAt(Indicator766.SATISFACTION, FULL_AT, satisfied, c.handled());
    }
}

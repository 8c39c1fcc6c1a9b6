package vn.onestop.monitor.index;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * The two point curves the index uses, computed from the exact fraction of integer counts and rounded once, so an
 * independent recomputation (SQL view, test) gets the same two decimals and the same ties.
 */
final class Points {
    static final int POINTS_SCALE = 2;
    static final int VALUE_SCALE = 4;

    private Points() {
    }

    /** {@code max × part / whole}: full points only at 100%. Zero whole scores 0 with no value. */
    static IndicatorScore linear(Indicator766 indicator, long part, long whole) {
        return fullAt(indicator, BigDecimal.ONE, part, whole);
    }

    /**
     * {@code min(max, max × (part / whole) / threshold)}: full points from the threshold up ("Đạt từ 80% trở lên sẽ
     * đạt điểm tối đa. Dưới 80% tính theo công thức: tỷ lệ × Điểm tối đa / 80%").
     */
    static IndicatorScore fullAt(Indicator766 indicator, BigDecimal threshold, long part, long whole) {
        return fullAt(indicator, threshold, BigDecimal.valueOf(part), BigDecimal.valueOf(whole));
    }

    static IndicatorScore fullAt(Indicator766 indicator, BigDecimal threshold, BigDecimal part, BigDecimal whole) {
        if (whole.signum() == 0) {
            return new IndicatorScore(indicator, null, zero(), indicator.maxPoints());
        }
        BigDecimal max = indicator.maxPoints();
        BigDecimal value = part.divide(whole, VALUE_SCALE, RoundingMode.HALF_UP);
        BigDecimal points = max.multiply(part).divide(whole.multiply(threshold), POINTS_SCALE, RoundingMode.HALF_UP);
        return new IndicatorScore(indicator, value, points.min(max), max);
    }

    static BigDecimal zero() {
        return BigDecimal.ZERO.setScale(POINTS_SCALE);
    }
}

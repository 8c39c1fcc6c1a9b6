package vn.onestop.monitor.index;

import java.math.BigDecimal;

/**
 * One indicator's result for a unit and period: the row of {@code unit_index_766}.
 *
 * @param indicator the indicator
 * @param value     the ratio as a fraction rounded to 4 decimals (the portal shows percent with 2), or {@code null}
 *                  when its denominator is zero — the portal shows "N/A" there, and null must not read as 0%
 * @param points    points rounded half up to 2 decimals, as the portal publishes them; 0 when {@code value} is null
 * @param maxPoints the indicator's maximum
 */
public record IndicatorScore(Indicator766 indicator, BigDecimal value, BigDecimal points, BigDecimal maxPoints) {

    /** The points still to win: what a dashboard's "gap to full points" shows. */
    public BigDecimal gap() {
        return maxPoints.subtract(points);
    }
}

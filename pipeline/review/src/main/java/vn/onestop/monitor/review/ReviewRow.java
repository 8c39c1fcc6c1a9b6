package vn.onestop.monitor.review;

import java.math.BigDecimal;
import java.util.EnumMap;
import java.util.Map;

/**
 * One unit in one review period: a row of the unit_review view. Ratios are null where their denominator is zero;
 * previous rank and change of rank are null when the unit had no row in the previous period. Rank is null for a
 * unit with nothing to measure in the period (no dossier received, resolved or open at its end, no rating): such a
 * unit is listed, "chưa có số liệu", but not ranked.
 *
 * <p>A review reads the units as they are on the period's last day: counts are restated into them through the
 * successions (docs/UNITS.md), so they are decimals where a unit was split.
 */
public record ReviewRow(
        String unitCode,
        String unitName,
        String unitLevel,
        String parentCode,
        ReviewPeriod period,
        BigDecimal received,
        BigDecimal resolved,
        BigDecimal resolvedInTime,
        BigDecimal resolvedLate,
        BigDecimal openAtEnd,
        BigDecimal openWithinDeadline,
        BigDecimal ratings,
        Double onTimeRate,
        Double onlineShare,
        Double intakeDigitisation,
        Double resultDigitisation,
        Double satisfaction,
        Double progressRatio,
        Double overdueRate,
        Double dissatisfiedRate,
        Double satisfactionIndex,
        Map<Indicator, BigDecimal> points,
        BigDecimal totalPoints,
        Integer rank,
        Integer previousRank,
        Integer rankChange,
        String weakestIndicator) {

    public ReviewRow {
        points = Map.copyOf(new EnumMap<>(points));
    }

    public BigDecimal points(Indicator i) {
        return points.get(i);
    }

    /** The ratio the indicator's points are computed from (for colouring against its target). */
    public Double ratio(Indicator i) {
        return switch (i) {
            case PROGRESS -> progressRatio;
            case ONLINE -> onlineShare;
            case INTAKE_DIGITISATION -> intakeDigitisation;
            case RESULT_DIGITISATION -> resultDigitisation;
            case SATISFACTION -> satisfactionIndex;
        };
    }

    public boolean isRanked() {
        return rank != null;
    }

    /** Units ranked together: same parent, same level. */
    public String rankingGroup() {
        return (parentCode == null ? "" : parentCode) + "|" + unitLevel;
    }
}

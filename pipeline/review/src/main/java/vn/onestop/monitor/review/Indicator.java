package vn.onestop.monitor.review;

import java.math.BigDecimal;

/**
 * The five national-index indicators (Decision 766/QĐ-TTg) a control review scores: their maximum points, their
 * Vietnamese names and the level a report colours as met. The points themselves come from the unit_review view.
 */
public enum Indicator {
    PROGRESS("progress", "2.1", "Tiến độ giải quyết", 20, 0.95),
    ONLINE("online", "3.3", "Tiếp nhận trực tuyến", 6, 0.50),
    INTAKE_DIGITISATION("intake_digitisation", "4.2", "Số hoá hồ sơ tiếp nhận", 4, 0.80),
    RESULT_DIGITISATION("result_digitisation", "4.1", "Số hoá kết quả", 6, 0.90),
    SATISFACTION("satisfaction", "5.4", "Mức độ hài lòng", 6, 0.90);

    /** How far below its target a value is only a warning (ten percentage points). */
    static final double WARNING_BAND = 0.10;

    private final String code;
    private final String number;
    private final String vietnamese;
    private final BigDecimal maxPoints;
    private final double target;

    Indicator(String code, String number, String vietnamese, int maxPoints, double target) {
        this.code = code;
        this.number = number;
        this.vietnamese = vietnamese;
        this.maxPoints = BigDecimal.valueOf(maxPoints);
        this.target = target;
    }

    /** The view's name: weakest_indicator values and the points_&lt;code&gt; columns. */
    public String code() {
        return code;
    }

    public String number() {
        return number;
    }

    public String vietnamese() {
        return vietnamese;
    }

    public BigDecimal maxPoints() {
        return maxPoints;
    }

    public double target() {
        return target;
    }

    /** How a value of this indicator's ratio reads against its target; {@link Standing#NO_DATA} for no volume. */
    public Standing standing(Double ratio) {
        if (ratio == null) {
            return Standing.NO_DATA;
        }
        if (ratio >= target) {
            return Standing.MET;
        }
        return ratio >= target - WARNING_BAND ? Standing.NEAR : Standing.BELOW;
    }

    public static Indicator ofCode(String code) {
        for (Indicator i : values()) {
            if (i.code.equals(code)) {
                return i;
            }
        }
        throw new IllegalArgumentException("unknown indicator " + code);
    }

    public enum Standing {
        MET("met"), NEAR("near"), BELOW("below"), NO_DATA("nodata");

        private final String cssClass;

        Standing(String cssClass) {
            this.cssClass = cssClass;
        }

        public String cssClass() {
            return cssClass;
        }
    }
}

package vn.onestop.monitor.alert;

import java.io.Serializable;
import java.util.Map;

/** Each unit's targets (from {@code sla_target}); units without their own row get the '*' defaults. */
public final class SlaTargets implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Targets of one unit: ratios between 0 and 1, and the volume a ratio needs before it can breach. */
    public record Target(double onTimeRate, double onlineShare, double intakeDigitisation, double satisfaction, long minVolume) implements Serializable {}

    public static final Target SPEC_DEFAULTS = new Target(0.95, 0.50, 0.80, 0.90, 20);

    private final Map<String, Target> byUnit;
    private final Target fallback;

    public SlaTargets(Map<String, Target> byUnit) {
        this.byUnit = Map.copyOf(byUnit);
        this.fallback = byUnit.getOrDefault("*", SPEC_DEFAULTS);
    }

    public Target forUnit(String unitCode) {
        return byUnit.getOrDefault(unitCode, fallback);
    }
}

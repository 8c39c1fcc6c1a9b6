package vn.onestop.monitor.alert;

import java.io.Serializable;

/**
 * Opening and closing of KPI breaches with hysteresis: a breach opens when the rolling value falls below target
 * with enough volume, and closes only once the value is back at target plus a margin. Between the two the state
 * holds, so a value hovering at the target does not flap. With too little volume the state also holds: the
 * monitor cannot tell either way; with none at all (a unit quiet for the whole window) a breach closes.
 */
public final class BreachState implements Serializable {
    private static final long serialVersionUID = 1L;
    private final double recoveryMargin;

    public BreachState(double recoveryMargin) {
        this.recoveryMargin = recoveryMargin;
    }

    /** @return true if a breach is open after this evaluation */
    public boolean next(boolean openBefore, long numerator, long denominator, double target, long minVolume) {
        if (denominator <= 0) {
            // Nothing at all in the window: the unit has been quiet for the whole window, and a breach it had has
            // nothing left to stand on. Without this a unit that stopped receiving dossiers kept its breach for ever.
            return false;
        }
        if (denominator < minVolume) {
            return openBefore;
        }
        double value = (double) numerator / denominator;
        return openBefore ? value < target + recoveryMargin : value < target;
    }
}

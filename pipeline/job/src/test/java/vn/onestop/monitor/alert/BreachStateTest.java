package vn.onestop.monitor.alert;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hysteresis of a KPI breach, one evaluation per row. Target 0.50, recovery margin 0.25 and a minimum volume of
 * 20: values chosen so that every ratio and target + margin (0.75) is exact in binary, and the boundaries are real.
 */
class BreachStateTest {
    private static final double TARGET = 0.50;
    private static final long MIN_VOLUME = 20;
    private final BreachState breach = new BreachState(0.25);

    @ParameterizedTest(name = "{0}: open before {1}, {2}/{3} -> open {4}")
    @CsvSource({
            // case,                                      open before, numerator, denominator, open after
            "'below target opens',                        false,       49,        100,         true",
            "'at target stays closed',                    false,       50,        100,         false",
            "'above target stays closed',                 false,       60,        100,         false",
            "'at the minimum volume a breach can open',   false,       9,         20,          true",
            "'in the margin band an open breach holds',   true,        60,        100,         true",
            "'just under target + margin it holds',       true,        74,        100,         true",
            "'at target + margin it closes',              true,        75,        100,         false",
            "'well above it closes',                      true,        100,       100,         false",
            "'still below target it holds',               true,        10,        100,         true",
            "'too little volume holds a closed breach',   false,       0,         19,          false",
            "'too little volume holds an open breach',    true,        19,        19,          true",
            "'an empty window closes an open breach',     true,        0,         0,           false",
            "'an empty window keeps a closed one closed', false,       0,         0,           false",
    })
    void opensHoldsAndCloses(String name, boolean openBefore, long numerator, long denominator, boolean openAfter) {
        assertThat(breach.next(openBefore, numerator, denominator, TARGET, MIN_VOLUME)).isEqualTo(openAfter);
    }

    @ParameterizedTest(name = "margin {0}: open breach at {1}/100 -> open {2}")
    @CsvSource({
            // Without a margin an open breach closes as soon as the value is back at target: no hold band at all.
            "0.0,  50, false",
            "0.0,  49, true",
            "0.25, 50, true",
    })
    void theMarginIsTheHoldBand(double margin, long numerator, boolean openAfter) {
        assertThat(new BreachState(margin).next(true, numerator, 100, TARGET, MIN_VOLUME)).isEqualTo(openAfter);
    }
}

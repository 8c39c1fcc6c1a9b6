package vn.onestop.monitor.units;

import java.io.Serializable;
import java.time.LocalDate;

/**
 * A row of unit_succession.csv: from {@code effectiveFrom} on, {@code share} of the history the predecessor recorded
 * before that day belongs to the successor. The predecessor is the version of its code valid on the day before
 * {@code effectiveFrom}, the successor the version of its code valid on {@code effectiveFrom}; naming versions by
 * day is what lets a code be reused by a different unit after the reorganisation.
 */
public record UnitSuccession(String predecessorCode, String successorCode, LocalDate effectiveFrom, double share, int line)
        implements Serializable {
}

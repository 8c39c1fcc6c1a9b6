package vn.onestop.monitor.units;

import java.io.Serializable;
import java.time.LocalDate;
import java.util.Optional;

/**
 * One administrative unit as it was during one interval: a row of units.csv. The code is the statistics code
 * (mã đơn vị hành chính); after a reorganisation the same code may name a different unit, which is another version.
 * The parent belongs to the version because a commune's parent changes when districts are abolished.
 *
 * @param validFrom first day the version is valid, or null when the file leaves it open (valid since before any record)
 * @param validTo   last day the version is valid (inclusive), or null when it is still valid
 * @param line      the line of units.csv it came from, so later checks can name it
 */
public record UnitVersion(String code, String name, Level level, String parentCode, LocalDate validFrom, LocalDate validTo,
                          int line) implements Serializable {

    public enum Level { PROVINCE, DISTRICT, COMMUNE }

    public boolean validOn(LocalDate day) {
        return (validFrom == null || !day.isBefore(validFrom)) && (validTo == null || !day.isAfter(validTo));
    }

    /** Whether the version is valid on at least one day of [from, to] (both inclusive). */
    public boolean validDuring(LocalDate from, LocalDate to) {
        return (validFrom == null || !to.isBefore(validFrom)) && (validTo == null || !from.isAfter(validTo));
    }

    public boolean overlaps(UnitVersion other) {
        return (validFrom == null || other.validTo == null || !other.validTo.isBefore(validFrom))
                && (validTo == null || other.validFrom == null || !other.validFrom.isAfter(validTo));
    }

    public Optional<String> parent() {
        return Optional.ofNullable(parentCode);
    }

    /** The interval as people write it, e.g. "2025-07-01 … open", for messages. */
    public String interval() {
        return (validFrom == null ? "open" : validFrom.toString()) + " … " + (validTo == null ? "open" : validTo.toString());
    }
}

package vn.onestop.monitor.review;

import java.math.BigDecimal;
import java.time.LocalDate;

/**
 * A unit whose history a unit of the review took over (a row of unit_succession): from {@code effectiveFrom} on,
 * {@code share} of what the predecessor recorded before that day is read as the successor's.
 */
public record Predecessor(String code, String name, LocalDate effectiveFrom, BigDecimal share) {
    /** "Xã Cao Thắng (11278)", or "Thị trấn Lai Cách (10891, phần 0,5)" when only part of the history was taken over. */
    public String label() {
        return name + " (" + code + (isWhole() ? "" : ", phần " + share.stripTrailingZeros().toPlainString().replace('.', ',')) + ")";
    }

    public boolean isWhole() {
        return share.compareTo(BigDecimal.ONE) == 0;
    }
}

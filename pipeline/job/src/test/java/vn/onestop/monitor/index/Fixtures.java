package vn.onestop.monitor.index;

import java.math.BigDecimal;

/** Builders that set only the counts a test row is about; everything else is zero. */
final class Fixtures {
    /** The Phú Thọ rows below come from ChippedTopaz/qd766 tests/fixtures/&lt;endpoint&gt;/month-all.json (M0). */
    static final String FIXTURES = "ChippedTopaz/qd766 tests/fixtures/";

    private Fixtures() {
    }

    static UnitPeriodCounts handled(long handled, long inTime, long inTimeDissatisfied) {
        return new UnitPeriodCounts(handled, inTime, inTimeDissatisfied, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    /** Handled dossiers with one digitisation count set, chosen by the indicator id. */
    static UnitPeriodCounts digitisation(String indicator, long part, long handled) {
        return switch (indicator) {
            case "4.1" -> new UnitPeriodCounts(handled, 0, 0, part, 0, 0, 0, 0, 0, 0, 0, 0, 0);
            case "4.2" -> new UnitPeriodCounts(handled, 0, 0, 0, part, 0, 0, 0, 0, 0, 0, 0, 0);
            case "4.3" -> new UnitPeriodCounts(handled, 0, 0, 0, 0, part, 0, 0, 0, 0, 0, 0, 0);
            case "4.4" -> new UnitPeriodCounts(handled, 0, 0, 0, 0, 0, part, 0, 0, 0, 0, 0, 0);
            case "4.5.1" -> new UnitPeriodCounts(handled, 0, 0, 0, 0, 0, 0, part, 0, 0, 0, 0, 0);
            default -> throw new IllegalArgumentException(indicator);
        };
    }

    static UnitPeriodCounts received(long received, long synced, long online) {
        return new UnitPeriodCounts(0, 0, 0, 0, 0, 0, 0, 0, received, synced, online, 0, 0);
    }

    static UnitPeriodCounts fees(long feeDossiers, long paidOnline) {
        return new UnitPeriodCounts(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, feeDossiers, paidOnline);
    }

    static ProcedureCoverage feeProcedures(long feeProcedures, long paidOnline, long withFeeData) {
        return new ProcedureCoverage(0, 0, 0, 0, feeProcedures, paidOnline, withFeeData, 0, 0);
    }

    /** A blank CSV cell is a null value (zero denominator). */
    static BigDecimal decimal(String s) {
        return s == null || s.isBlank() ? null : new BigDecimal(s.trim());
    }
}

package vn.onestop.monitor.sim;

import java.time.Instant;
import java.util.Objects;

/**
 * Knobs of the simulated district. Shares are probabilities per dossier (outcomes, supplements, ratings) or per
 * emitted event (duplicates, late batches, malformed records). The defaults follow Thanh Miện's reported 2024
 * figures: ~30,000 dossiers a year over 17 communes, 98.2% online, 99.9% digitised, almost everything on time.
 *
 * @param dossiersPerUnitPerDay average new dossiers per unit per calendar day (weekends get only a trickle of
 *                              online filings, so weekdays carry more than this)
 */
public record SimulationSettings(
        long seed,
        Instant start,
        double dossiersPerUnitPerDay,
        double onlineShare,
        double digitisedShare,
        double resultDigitisedShare,
        double supplementShare,
        double doubleSupplementShare,
        double lateShare,
        double abandonedShare,
        double withdrawnShare,
        double rejectedShare,
        double stoppedShare,
        double ratingShare,
        double duplicateShare,
        double lateBatchShare,
        double malformedShare) {

    /** 30,000 dossiers a year / 17 units / 365 days. */
    public static final double DISTRICT_DOSSIERS_PER_UNIT_PER_DAY = 30_000.0 / 17 / 365;

    public SimulationSettings {
        Objects.requireNonNull(start, "start");
        if (!(dossiersPerUnitPerDay >= 0) || Double.isInfinite(dossiersPerUnitPerDay)) {
            throw new IllegalArgumentException("dossiersPerUnitPerDay must be a finite number >= 0");
        }
        requireShare("onlineShare", onlineShare);
        requireShare("digitisedShare", digitisedShare);
        requireShare("resultDigitisedShare", resultDigitisedShare);
        requireShare("supplementShare", supplementShare);
        requireShare("doubleSupplementShare", doubleSupplementShare);
        requireShare("lateShare", lateShare);
        requireShare("abandonedShare", abandonedShare);
        requireShare("withdrawnShare", withdrawnShare);
        requireShare("rejectedShare", rejectedShare);
        requireShare("stoppedShare", stoppedShare);
        requireShare("ratingShare", ratingShare);
        requireShare("duplicateShare", duplicateShare);
        requireShare("lateBatchShare", lateBatchShare);
        requireShare("malformedShare", malformedShare);
        // Outcomes are drawn from one uniform number, so the non-resolved ones must fit into it together.
        if (abandonedShare + withdrawnShare + rejectedShare + stoppedShare > 1) {
            throw new IllegalArgumentException("abandoned + withdrawn + rejected + stopped shares exceed 1");
        }
        if (supplementShare + doubleSupplementShare > 1) {
            throw new IllegalArgumentException("supplement + doubleSupplement shares exceed 1");
        }
    }

    public static SimulationSettings defaults(long seed, Instant start) {
        return new SimulationSettings(seed, start, DISTRICT_DOSSIERS_PER_UNIT_PER_DAY,
                0.982, 0.999, 0.999,
                0.05, 0.005, 0.01,
                0.005, 0.003, 0.005, 0.001,
                0.3,
                0.01, 0.02, 0.002);
    }

    /** Same district, {@code factor} times the dossier volume (load tests, quick demos). */
    public SimulationSettings withScale(double factor) {
        return withDossiersPerUnitPerDay(dossiersPerUnitPerDay * factor);
    }

    public SimulationSettings withDossiersPerUnitPerDay(double perDay) {
        return new SimulationSettings(seed, start, perDay, onlineShare, digitisedShare, resultDigitisedShare,
                supplementShare, doubleSupplementShare, lateShare, abandonedShare, withdrawnShare, rejectedShare,
                stoppedShare, ratingShare, duplicateShare, lateBatchShare, malformedShare);
    }

    /** Only well-formed, unique, promptly sent events: for tests of the happy path. */
    public SimulationSettings withCleanDelivery() {
        return new SimulationSettings(seed, start, dossiersPerUnitPerDay, onlineShare, digitisedShare,
                resultDigitisedShare, supplementShare, doubleSupplementShare, lateShare, abandonedShare,
                withdrawnShare, rejectedShare, stoppedShare, ratingShare, 0, 0, 0);
    }

    public SimulationSettings withDelivery(double duplicateShare, double lateBatchShare, double malformedShare) {
        return new SimulationSettings(seed, start, dossiersPerUnitPerDay, onlineShare, digitisedShare,
                resultDigitisedShare, supplementShare, doubleSupplementShare, lateShare, abandonedShare,
                withdrawnShare, rejectedShare, stoppedShare, ratingShare, duplicateShare, lateBatchShare,
                malformedShare);
    }

    private static void requireShare(String name, double share) {
        if (!(share >= 0 && share <= 1)) {
            throw new IllegalArgumentException(name + " must lie in [0, 1], got " + share);
        }
    }
}

package vn.onestop.monitor.sim;

import java.time.Instant;

/** A QR rating the citizen will submit; {@code linked} says whether they typed the dossier number in. */
record PlannedFeedback(Instant submittedAt, String rating, boolean linked) {
}

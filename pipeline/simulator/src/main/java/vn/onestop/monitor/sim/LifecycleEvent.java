package vn.onestop.monitor.sim;

import java.time.Instant;

/** One planned step in a dossier's life; {@code newDueAt} only on apologies, {@code resultDigitised} only on RESOLVED. */
record LifecycleEvent(Step step, Instant occurredAt, Instant newDueAt, Boolean resultDigitised) {

    static LifecycleEvent of(Step step, Instant at) {
        return new LifecycleEvent(step, at, null, null);
    }
}

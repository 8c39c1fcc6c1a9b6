package vn.onestop.monitor.sim;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Decides at receipt how an office will handle a dossier. Times are drawn in office time (see {@link OfficeHours})
 * because officers only work while the counter is open; citizens (supplements, withdrawals, ratings) may act at
 * any hour when they do it online.
 */
final class Lifecycle {
    /** Procedures due within one statutory day are the "basic" ones the fast offices settle in under an hour. */
    private static final int BASIC_PROCEDURE_HOURS = 8;
    private static final String[] RATINGS = {"VERY_SATISFIED", "SATISFIED", "NEUTRAL", "DISSATISFIED", "VERY_DISSATISFIED"};
    private static final double[] RATINGS_WHEN_SERVED_WELL = {0.62, 0.31, 0.05, 0.015, 0.005};
    private static final double[] RATINGS_WHEN_KEPT_WAITING = {0.30, 0.38, 0.17, 0.10, 0.05};
    /** Share of QR ratings where the citizen also enters the dossier number. */
    private static final double LINKED_FEEDBACK_SHARE = 0.6;
    /** Share of withdrawals that follow a supplement request the citizen could not meet. */
    private static final double WITHDRAWN_AFTER_SUPPLEMENT_SHARE = 0.3;

    private final SimulationSettings settings;

    Lifecycle(SimulationSettings settings) {
        this.settings = settings;
    }

    DossierStory plan(Dossier d, boolean slowOffice, SplittableRandom r) {
        List<LifecycleEvent> events = new ArrayList<>();
        events.add(LifecycleEvent.of(Step.RECEIVED, d.receivedAt()));
        double u = r.nextDouble();
        double abandoned = settings.abandonedShare();
        double withdrawn = abandoned + settings.withdrawnShare();
        double rejected = withdrawn + settings.rejectedShare();
        double stopped = rejected + settings.stoppedShare();
        PlannedFeedback feedback = null;
        if (u < abandoned) {
            // Never touched again: the dossier stays open and eventually shows up as overdue.
        } else if (u < withdrawn) {
            planWithdrawal(d, events, r);
        } else if (u < rejected) {
            events.add(LifecycleEvent.of(Step.REJECTED, work(d.receivedAt(), 5, 60, r)));
        } else if (u < stopped) {
            events.add(LifecycleEvent.of(Step.STOPPED, work(d.receivedAt(), 60, 24 * 60, r)));
        } else {
            feedback = planResolution(d, slowOffice, events, r);
        }
        events.sort(Comparator.comparing(LifecycleEvent::occurredAt));
        return new DossierStory(d, List.copyOf(events), feedback);
    }

    private void planWithdrawal(Dossier d, List<LifecycleEvent> events, SplittableRandom r) {
        if (r.nextDouble() < WITHDRAWN_AFTER_SUPPLEMENT_SHARE) {
            Instant requested = work(d.receivedAt(), 10, 120, r);
            events.add(LifecycleEvent.of(Step.SUPPLEMENT_REQUESTED, requested));
            events.add(LifecycleEvent.of(Step.WITHDRAWN, requested.plusSeconds(seconds(r, 1, 5 * 24 * 3600))));
        } else {
            events.add(LifecycleEvent.of(Step.WITHDRAWN, work(d.receivedAt(), 10, 8 * 60, r)));
        }
    }

    private PlannedFeedback planResolution(Dossier d, boolean slowOffice, List<LifecycleEvent> events, SplittableRandom r) {
        Duration window = OfficeHours.workingTimeBetween(d.receivedAt(), d.dueAt());
        Duration left = processingTime(d, slowOffice, window, r);
        double s = r.nextDouble();
        int supplements = s < settings.doubleSupplementShare() ? 2
                : s < settings.doubleSupplementShare() + settings.supplementShare() ? 1 : 0;

        Instant resumed = d.receivedAt();
        Duration paused = Duration.ZERO;
        for (int i = 0; i < supplements; i++) {
            Duration before = scale(left, 0.2 + 0.5 * r.nextDouble());
            Instant requested = OfficeHours.plusWorkingTime(resumed, before);
            left = left.minus(before);
            // The due time moves by calendar time while work counts office time: a pause spanning a weekend
            // uses up the office's slack. Keep requests before the running due time so the dossier only ends
            // up late when it was planned to be.
            Instant dueSoFar = d.dueAt().plus(paused);
            if (!requested.isBefore(dueSoFar)) {
                requested = between(resumed, dueSoFar, r);
            }
            // The citizen needs one to three days to bring the missing paper; counters only take it when open.
            Instant supplied = requested.plusSeconds(seconds(r, 24 * 3600, 3 * 24 * 3600));
            if (d.channel() != Channel.ONLINE) {
                supplied = OfficeHours.nextOpen(supplied);
            }
            events.add(LifecycleEvent.of(Step.SUPPLEMENT_REQUESTED, requested));
            events.add(LifecycleEvent.of(Step.SUPPLEMENT_RECEIVED, supplied));
            paused = paused.plus(Duration.between(requested, supplied));
            resumed = supplied;
        }
        Instant effectiveDue = d.dueAt().plus(paused);
        Instant resolved = OfficeHours.plusWorkingTime(resumed, left);
        boolean late = r.nextDouble() < settings.lateShare();
        if (late) {
            Instant base = resolved.isAfter(effectiveDue) ? resolved : effectiveDue;
            resolved = work(base, 30, 16 * 60, r);
            // Offices must send the apology before the appointment passes; clamp so it still sits in the timeline.
            Instant apology = effectiveDue.minusSeconds(seconds(r, 10 * 60, 4 * 3600));
            if (!apology.isAfter(resumed)) {
                apology = resumed.plusSeconds(60);
            }
            if (!apology.isBefore(resolved)) {
                apology = resolved.minusSeconds(60);
            }
            Instant newDue = OfficeHours.closeOf(OfficeHours.plusWorkingDays(
                    resolved.atZone(OfficeHours.ZONE).toLocalDate(), 1 + r.nextInt(3)));
            events.add(new LifecycleEvent(Step.APOLOGY_ISSUED, apology, newDue, null));
        } else if (resolved.isAfter(effectiveDue)) {
            // The pause shifted the due time by calendar time while the work is counted in office time;
            // an on-time dossier is finished just before its effective due time.
            Instant justBefore = effectiveDue.minusSeconds(seconds(r, 60, 30 * 60));
            resolved = justBefore.isAfter(resumed) ? justBefore : between(resumed, effectiveDue, r);
        }
        boolean resultDigitised = r.nextDouble() < settings.resultDigitisedShare();
        events.add(new LifecycleEvent(Step.RESOLVED, resolved, null, resultDigitised));
        Instant returned = switch (d.channel()) {
            case ONLINE -> work(resolved, 5, 120, r);
            case DIRECT -> work(resolved, 60, 16 * 60, r);
            case POSTAL -> work(resolved, 8 * 60, 24 * 60, r);
        };
        events.add(LifecycleEvent.of(Step.RETURNED, returned));

        if (r.nextDouble() >= settings.ratingShare()) {
            return null;
        }
        Instant submitted = returned.plusSeconds(seconds(r, 60, 90 * 60));
        double[] weights = slowOffice || late || supplements > 1 ? RATINGS_WHEN_KEPT_WAITING : RATINGS_WHEN_SERVED_WELL;
        String rating = RATINGS[pick(weights, r)];
        return new PlannedFeedback(submitted, rating, r.nextDouble() < LINKED_FEEDBACK_SHARE);
    }

    /**
     * Office time the officers spend on the dossier. Fast offices settle basic procedures in 30–60 minutes (the
     * district's reported figure); the one slow office takes hours, and longer procedures use part of their window.
     */
    private static Duration processingTime(Dossier d, boolean slowOffice, Duration window, SplittableRandom r) {
        Duration t;
        if (d.statutoryHours() <= BASIC_PROCEDURE_HOURS) {
            t = slowOffice ? Duration.ofSeconds(seconds(r, 90 * 60, 6 * 3600)) : Duration.ofSeconds(seconds(r, 30 * 60, 60 * 60));
        } else {
            t = slowOffice ? scale(window, 0.4 + 0.55 * r.nextDouble()) : scale(window, 0.1 + 0.5 * r.nextDouble());
        }
        Duration cap = scale(window, 0.9);
        if (t.compareTo(cap) > 0) {
            t = cap;
        }
        return t.isZero() ? Duration.ofMinutes(1) : t;
    }

    private static Instant work(Instant from, int minMinutes, int maxMinutes, SplittableRandom r) {
        return OfficeHours.plusWorkingTime(from, Duration.ofSeconds(seconds(r, minMinutes * 60L, maxMinutes * 60L)));
    }

    /** A random instant strictly inside (from, to) when there is room, else {@code to}. */
    private static Instant between(Instant from, Instant to, SplittableRandom r) {
        long gap = Duration.between(from, to).toSeconds();
        return gap > 2 ? from.plusSeconds(1 + r.nextLong(gap - 1)) : to;
    }

    private static long seconds(SplittableRandom r, long min, long max) {
        return min + r.nextLong(max - min + 1);
    }

    private static Duration scale(Duration d, double factor) {
        return Duration.ofSeconds(Math.round(d.toSeconds() * factor));
    }

    static int pick(double[] weights, SplittableRandom r) {
        double u = r.nextDouble();
        double acc = 0;
        for (int i = 0; i < weights.length; i++) {
            acc += weights[i];
            if (u < acc) {
                return i;
            }
        }
        return weights.length - 1;
    }
}

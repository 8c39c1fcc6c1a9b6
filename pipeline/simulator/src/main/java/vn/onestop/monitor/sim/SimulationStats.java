package vn.onestop.monitor.sim;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Running counts of a simulation or a live feed. Safe to read from another thread (a progress printer) while
 * the producing thread counts.
 */
public final class SimulationStats {
    private final AtomicLong dossiers = new AtomicLong();
    private final AtomicLong events = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong malformed = new AtomicLong();
    private final AtomicLong dossierTopic = new AtomicLong();
    private final AtomicLong feedbackTopic = new AtomicLong();
    private final AtomicLong lastSendAt = new AtomicLong(Long.MIN_VALUE);

    void dossierGenerated() {
        dossiers.incrementAndGet();
    }

    void recordEmitted(SimRecord r) {
        switch (r.kind()) {
            case EVENT -> events.incrementAndGet();
            case DUPLICATE -> duplicates.incrementAndGet();
            case MALFORMED -> malformed.incrementAndGet();
        }
        (SimRecord.QR_FEEDBACK.equals(r.topic()) ? feedbackTopic : dossierTopic).incrementAndGet();
        lastSendAt.accumulateAndGet(r.sendAt(), Math::max);
    }

    /** Dossiers received so far, including those whose later events are still scheduled. */
    public long dossiers() {
        return dossiers.get();
    }

    public long events() {
        return events.get();
    }

    public long duplicates() {
        return duplicates.get();
    }

    public long malformed() {
        return malformed.get();
    }

    public long dossierTopicRecords() {
        return dossierTopic.get();
    }

    public long feedbackTopicRecords() {
        return feedbackTopic.get();
    }

    public long records() {
        return dossierTopic.get() + feedbackTopic.get();
    }

    /** Send time of the latest record counted, or null before the first. */
    public Instant simulatedTime() {
        long t = lastSendAt.get();
        return t == Long.MIN_VALUE ? null : Instant.ofEpochMilli(t);
    }

    /** One line for a {@code \r}-updated progress display. */
    public String progressLine() {
        Instant t = simulatedTime();
        String when = t == null ? "-" : EventJson.time(t).substring(0, 16);
        return String.format("sim %s | %,d records (%,d dossier-events, %,d qr-feedback) | %,d dossiers | %,d duplicates | %,d malformed",
                when, records(), dossierTopicRecords(), feedbackTopicRecords(), dossiers(), duplicates(), malformed());
    }

    @Override
    public String toString() {
        return progressLine();
    }
}

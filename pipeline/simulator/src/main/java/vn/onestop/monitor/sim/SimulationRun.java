package vn.onestop.monitor.sim;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * One pass through simulated time. Dossiers are generated a local day at a time, just before the first record
 * sent on that day is due, so only dossiers still in progress (and records waiting to be sent) are in memory.
 * Every random choice about a dossier is made when it is received, from a generator seeded by the run's seed and
 * the day, so the output does not depend on how far the run goes.
 */
public final class SimulationRun implements Iterator<SimRecord> {
    private static final DateTimeFormatter ID_DATE = DateTimeFormatter.ofPattern("yyMMdd");
    /** Weekends see only online filings, at this fraction of a weekday's volume (scaled by the online share). */
    private static final double WEEKEND_VOLUME = 0.1;
    /** Online filings on a working day that are made outside office hours. */
    private static final double ONLINE_OFF_HOURS_SHARE = 0.2;
    private static final LocalTime CITIZENS_WAKE = LocalTime.of(6, 0);
    private static final long CITIZENS_AWAKE_SECONDS = 17 * 3600;
    private static final double DIRECT_SHARE_OF_OFFLINE = 0.85;

    private final Simulator sim;
    private final SimulationSettings settings;
    private final Lifecycle lifecycle;
    private final long startMs;
    private final long untilMs;
    private final PriorityQueue<Scheduled> queue = new PriorityQueue<>(
            Comparator.comparingLong(Scheduled::sendAt).thenComparingLong(Scheduled::seq));
    private final SimulationStats stats = new SimulationStats();
    private final double weekdayMean;
    private final double weekdayOnlineShare;
    private LocalDate nextDay;
    private long scheduleSeq;
    private long dossierSeq;
    private long feedbackSeq;
    private long malformedSeq;

    SimulationRun(Simulator sim, long untilMs) {
        this.sim = sim;
        this.settings = sim.settings();
        this.lifecycle = new Lifecycle(settings);
        this.startMs = settings.start().toEpochMilli();
        this.untilMs = untilMs;
        this.nextDay = settings.start().atZone(OfficeHours.ZONE).toLocalDate();
        double p = settings.onlineShare();
        double weekendPerWeekday = WEEKEND_VOLUME * p;
        // Keep the weekly volume at 7 × the daily average, and the overall online share at the setting even
        // though weekend filings are all online.
        this.weekdayMean = 7 * settings.dossiersPerUnitPerDay() / (5 + 2 * weekendPerWeekday);
        double weekendFraction = 2 * weekendPerWeekday / (5 + 2 * weekendPerWeekday);
        this.weekdayOnlineShare = Math.max(0, (p - weekendFraction) / (1 - weekendFraction));
    }

    /** Counts of what this run has produced so far. */
    public SimulationStats stats() {
        return stats;
    }

    @Override
    public boolean hasNext() {
        fill();
        Scheduled head = queue.peek();
        return head != null && head.sendAt() < untilMs;
    }

    @Override
    public SimRecord next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        SimRecord r = queue.poll().record();
        stats.recordEmitted(r);
        return r;
    }

    /** Generates days until the earliest queued record is known to be the earliest of the whole run. */
    private void fill() {
        if (settings.dossiersPerUnitPerDay() <= 0) {
            return;
        }
        while (dayStartMs(nextDay) < untilMs && (queue.isEmpty() || queue.peek().sendAt() >= dayStartMs(nextDay))) {
            generateDay(nextDay);
            nextDay = nextDay.plusDays(1);
        }
    }

    private long dayStartMs(LocalDate day) {
        return Math.max(startMs, day.atStartOfDay(OfficeHours.ZONE).toInstant().toEpochMilli());
    }

    private void generateDay(LocalDate day) {
        SplittableRandom r = new SplittableRandom(settings.seed() * 0x9E3779B97F4A7C15L + day.toEpochDay());
        boolean workingDay = OfficeHours.isWorkingDay(day);
        for (int unit = 0; unit < sim.unitCodes().size(); unit++) {
            if (!sim.unitValidOn(unit, day)) {
                continue; // not yet created or already merged: no receipts, its earlier dossiers go on
            }
            double mean = weekdayMean * sim.unitWeight(unit) * (workingDay ? 1 : WEEKEND_VOLUME * settings.onlineShare());
            int count = poisson(mean, r);
            List<Dossier> arrivals = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                Dossier d = arrive(day, workingDay, unit, r);
                if (d.receivedAt().toEpochMilli() >= startMs) {
                    arrivals.add(d);
                }
            }
            // Receipt numbers count up through the day, as the office's register does.
            arrivals.sort(Comparator.comparing(Dossier::receivedAt));
            int counter = 0;
            for (Dossier a : arrivals) {
                counter++;
                dossierSeq++;
                String id = "000.00." + a.unitCode() + ".H23-" + day.format(ID_DATE) + "-" + String.format("%04d", counter);
                Dossier d = new Dossier(dossierSeq, id, a.unitCode(), a.procedureCode(), a.statutoryHours(),
                        a.channel(), a.receivedAt(), a.dueAt(), a.digitised());
                stats.dossierGenerated();
                schedule(lifecycle.plan(d, sim.isSlow(unit), r), r);
            }
        }
    }

    /** A dossier without its number yet (numbers follow receipt order). */
    private Dossier arrive(LocalDate day, boolean workingDay, int unit, SplittableRandom r) {
        Channel channel;
        if (!workingDay || r.nextDouble() < weekdayOnlineShare) {
            channel = Channel.ONLINE;
        } else {
            channel = r.nextDouble() < DIRECT_SHARE_OF_OFFLINE ? Channel.DIRECT : Channel.POSTAL;
        }
        Instant at;
        if (workingDay && (channel != Channel.ONLINE || r.nextDouble() >= ONLINE_OFF_HOURS_SHARE)) {
            at = OfficeHours.atWorkingSecond(day, r.nextLong(OfficeHours.WORKING_SECONDS_PER_DAY));
        } else {
            at = day.atTime(CITIZENS_WAKE).plusSeconds(r.nextLong(CITIZENS_AWAKE_SECONDS)).atZone(OfficeHours.ZONE).toInstant();
        }
        int procedure = sim.pickProcedure(r);
        if (channel == Channel.ONLINE) {
            procedure = sim.offeredOnline(sim.unitCodes().get(unit), procedure, 0x766L * 31 + at.toEpochMilli() * 131 + unit);
        }
        int hours = sim.statutoryHours(procedure);
        boolean digitised = r.nextDouble() < settings.digitisedShare();
        return new Dossier(0, null, sim.unitCodes().get(unit), sim.procedureCode(procedure), hours, channel, at,
                OfficeHours.appointment(at, hours), digitised);
    }

    private void schedule(DossierStory story, SplittableRandom r) {
        Dossier d = story.dossier();
        int n = 0;
        for (LifecycleEvent e : story.events()) {
            n++;
            ObjectNode json = EventJson.dossierEvent("e-" + d.seq() + "-" + n, d, e);
            deliver(SimRecord.DOSSIER_EVENTS, d.id(), e.occurredAt(), json, r);
        }
        if (story.feedback() != null) {
            feedbackSeq++;
            String feedbackId = "f-" + feedbackSeq;
            ObjectNode json = EventJson.feedback(feedbackId, d, story.feedback());
            deliver(SimRecord.QR_FEEDBACK, feedbackId, story.feedback().submittedAt(), json, r);
        }
    }

    /** Schedules an event the way an office system sends it: usually within a minute, sometimes in a late batch. */
    private void deliver(String topic, String key, Instant occurredAt, ObjectNode json, SplittableRandom r) {
        long occurred = occurredAt.toEpochMilli();
        long sendAt = r.nextDouble() < settings.lateBatchShare()
                ? occurred + 3_600_000L + r.nextLong(47 * 3_600_000L + 1)
                : occurred + r.nextLong(60_000);
        byte[] payload = EventJson.bytes(json);
        push(new SimRecord(topic, key, sendAt, payload, SimRecord.Kind.EVENT));
        if (r.nextDouble() < settings.duplicateShare()) {
            // A retry after a lost acknowledgement: the very same bytes, seconds to half an hour later.
            push(new SimRecord(topic, key, sendAt + 1_000 + r.nextLong(1_800_000), payload.clone(), SimRecord.Kind.DUPLICATE));
        }
        if (r.nextDouble() < settings.malformedShare()) {
            malformedSeq++;
            byte[] broken = MalformedPayloads.corrupt(json, topic, "m-" + malformedSeq, r);
            push(new SimRecord(topic, key, sendAt + r.nextLong(5_000), broken, SimRecord.Kind.MALFORMED));
        }
    }

    private void push(SimRecord record) {
        queue.add(new Scheduled(record.sendAt(), scheduleSeq++, record));
    }

    private static int poisson(double mean, SplittableRandom r) {
        if (mean <= 0) {
            return 0;
        }
        if (mean > 50) {
            // Knuth's method underflows for large means; the normal approximation is fine at that volume.
            return (int) Math.max(0, Math.round(mean + Math.sqrt(mean) * r.nextGaussian()));
        }
        double limit = Math.exp(-mean);
        double product = r.nextDouble();
        int k = 0;
        while (product > limit) {
            product *= r.nextDouble();
            k++;
        }
        return k;
    }

    private record Scheduled(long sendAt, long seq, SimRecord record) {
    }
}

package vn.onestop.monitor.bench;

import vn.onestop.monitor.MonitorConfig;
import vn.onestop.monitor.ingest.DossierEvent;
import vn.onestop.monitor.ingest.EventParser;
import vn.onestop.monitor.ingest.ParseResult;
import vn.onestop.monitor.ingest.RawRecord;
import vn.onestop.monitor.sim.SimRecord;
import vn.onestop.monitor.sim.SimulationRun;
import vn.onestop.monitor.sim.SimulationSettings;
import vn.onestop.monitor.sim.Simulator;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Input for the JMH benchmarks, taken from the project's own simulator (the payloads {@code make bench} preloads
 * into Kafka), never hand-typed: the same seed gives the same records in every fork.
 */
public final class SimulatedInput {
    static final Instant START = Instant.parse("2024-01-01T00:00:00+07:00");

    private SimulatedInput() {}

    /** A parser configured as the job's defaults configure it, knowing the simulated district's units. */
    static EventParser parser(Simulator sim) {
        MonitorConfig defaults = MonitorConfig.defaults();
        return new EventParser(new HashSet<>(sim.unitCodes()), defaults.maxFutureSkew(), defaults.maxRecordBytes());
    }

    /** A record as the Kafka source hands it to the parser (the producer stamps it with its send time). */
    static RawRecord raw(SimRecord r, long offset) {
        return new RawRecord(r.topic(), 0, offset, r.sendAt(), r.payload());
    }

    /** The parse benchmark's pools of records, in send order, and a parser that knows their units. */
    static final class ParseInput {
        final EventParser parser;
        final RawRecord[] dossierEvents;
        final RawRecord[] feedback;
        final RawRecord[] malformedDossierEvents;

        ParseInput(EventParser parser, RawRecord[] dossierEvents, RawRecord[] feedback, RawRecord[] malformedDossierEvents) {
            this.parser = parser;
            this.dossierEvents = dossierEvents;
            this.feedback = feedback;
            this.malformedDossierEvents = malformedDossierEvents;
        }
    }

    /**
     * {@code wellFormed} dossier events and feedback records (first deliveries and re-sends) and {@code malformed}
     * broken dossier events of a backfill run ({@code make bench}'s 400 dossiers per unit and day), taken in send order from the second simulated day on, when receipts,
     * supplements and resolutions are all flowing (the first hours would be almost only receipts). Broken records are
     * made 25 times as common as by default (5% of events) so that enough of them come up quickly; each is still one
     * of the simulator's defects. Checks that the parser accepts the former and dead-letters the latter, so a
     * benchmark never silently measures the wrong path.
     */
    static ParseInput parseInput(int wellFormed, int malformed) {
        Simulator sim = Simulator.forDefaultDistrict(SimulationSettings.defaults(42, START).withDossiersPerUnitPerDay(400)
                .withDelivery(0.01, 0.02, 0.05));
        EventParser parser = parser(sim);
        List<RawRecord> events = new ArrayList<>(wellFormed);
        List<RawRecord> feedback = new ArrayList<>(wellFormed);
        List<RawRecord> broken = new ArrayList<>(malformed);
        long from = START.plus(1, ChronoUnit.DAYS).toEpochMilli();
        SimulationRun run = sim.records();
        long offset = 0;
        while (events.size() < wellFormed || feedback.size() < wellFormed || broken.size() < malformed) {
            SimRecord r = run.next();
            if (r.sendAt() < from) {
                continue;
            }
            RawRecord raw = raw(r, offset++);
            boolean dossier = r.topic().equals(SimRecord.DOSSIER_EVENTS);
            if (r.kind() == SimRecord.Kind.MALFORMED) {
                if (dossier && broken.size() < malformed) {
                    require(!parser.parseDossierEvent(raw).isOk(), "malformed record parsed", r);
                    broken.add(raw);
                }
            } else if (dossier) {
                if (events.size() < wellFormed) {
                    require(parser.parseDossierEvent(raw).isOk(), "dossier event dead-lettered", r);
                    events.add(raw);
                }
            } else if (feedback.size() < wellFormed) {
                require(parser.parseFeedback(raw).isOk(), "feedback dead-lettered", r);
                feedback.add(raw);
            }
        }
        return new ParseInput(parser, events.toArray(RawRecord[]::new), feedback.toArray(RawRecord[]::new), broken.toArray(RawRecord[]::new));
    }

    /**
     * Whole lifecycles of the first {@code count} dossiers received in a run at {@code perUnitPerDay}: each dossier's
     * parsed events in the order the job receives them (send order, so late batches arrive out of order and re-sends
     * are included). The run goes on for 75 days after the receipts, longer than the slowest procedure (240 working
     * hours) plus late batches, so lifecycles are complete; dossiers the simulator leaves abandoned stay open.
     */
    static List<DossierEvent[]> lifecycles(int count, double perUnitPerDay) {
        Simulator sim = Simulator.forDefaultDistrict(SimulationSettings.defaults(42, START).withDossiersPerUnitPerDay(perUnitPerDay));
        EventParser parser = parser(sim);
        Map<String, List<DossierEvent>> byDossier = new LinkedHashMap<>();
        SimulationRun run = sim.records(START.plus(75, ChronoUnit.DAYS));
        long offset = 0;
        while (run.hasNext()) {
            SimRecord r = run.next();
            if (!r.topic().equals(SimRecord.DOSSIER_EVENTS) || r.kind() == SimRecord.Kind.MALFORMED) {
                continue;
            }
            // The record key is the dossier id.
            List<DossierEvent> events = byDossier.get(r.key());
            if (events == null) {
                if (byDossier.size() >= count) {
                    continue;
                }
                events = new ArrayList<>(4);
                byDossier.put(r.key(), events);
            }
            ParseResult<DossierEvent> p = parser.parseDossierEvent(raw(r, offset++));
            require(p.isOk() && p.value().dossierId.equals(r.key()), "dossier event dead-lettered or keyed wrongly", r);
            events.add(p.value());
        }
        if (byDossier.size() < count) {
            throw new IllegalStateException("the simulation produced only " + byDossier.size() + " dossiers, wanted " + count);
        }
        List<DossierEvent[]> out = new ArrayList<>(count);
        byDossier.values().forEach(events -> out.add(events.toArray(DossierEvent[]::new)));
        return out;
    }

    /**
     * The first {@code count} well-formed dossier events of a backfill run ({@code make bench}'s 400 dossiers per unit
     * and day) in send order, as the classifying task receives them: re-sends and late batches included.
     */
    public static DossierEvent[] stream(int count) {
        Simulator sim = Simulator.forDefaultDistrict(SimulationSettings.defaults(42, START).withDossiersPerUnitPerDay(400));
        EventParser parser = parser(sim);
        List<DossierEvent> events = new ArrayList<>(count);
        SimulationRun run = sim.records();
        long offset = 0;
        while (events.size() < count) {
            SimRecord r = run.next();
            if (!r.topic().equals(SimRecord.DOSSIER_EVENTS) || r.kind() == SimRecord.Kind.MALFORMED) {
                continue;
            }
            ParseResult<DossierEvent> p = parser.parseDossierEvent(raw(r, offset++));
            require(p.isOk(), "dossier event dead-lettered", r);
            events.add(p.value());
        }
        return events.toArray(DossierEvent[]::new);
    }

    private static void require(boolean ok, String what, SimRecord r) {
        if (!ok) {
            throw new IllegalStateException(what + ": " + r.payloadText());
        }
    }
}

package vn.onestop.monitor.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import vn.onestop.monitor.ingest.DeadLetter;
import vn.onestop.monitor.ingest.DossierEvent;
import vn.onestop.monitor.ingest.EventParser;
import vn.onestop.monitor.ingest.Feedback;
import vn.onestop.monitor.ingest.ParseResult;
import vn.onestop.monitor.ingest.RawRecord;

import java.util.concurrent.TimeUnit;

/**
 * {@link EventParser} on simulator records, cycling through fixed pools so that the JIT sees the real mix of event
 * types, units and procedures rather than one record: well-formed dossier events, well-formed QR feedback, and
 * broken dossier events (each of the simulator's defects: truncated JSON, not an object, missing id, unknown type,
 * unknown unit, local timestamp without offset), which must end as dead letters.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class ParseBenchmark {
    /** Pool sizes are powers of two: the next record is {@code pool[i++ & mask]}. */
    private static final int WELL_FORMED = 4096;
    private static final int MALFORMED = 256;

    private EventParser parser;
    private RawRecord[] dossierEvents;
    private RawRecord[] feedback;
    private RawRecord[] malformed;
    private int nextEvent;
    private int nextFeedback;
    private int nextMalformed;

    @Setup
    public void setUp() {
        SimulatedInput.ParseInput input = SimulatedInput.parseInput(WELL_FORMED, MALFORMED);
        parser = input.parser;
        dossierEvents = input.dossierEvents;
        feedback = input.feedback;
        malformed = input.malformedDossierEvents;
    }

    @Benchmark
    public DossierEvent parseDossierEvent() {
        return parser.parseDossierEvent(dossierEvents[nextEvent++ & (WELL_FORMED - 1)]).value();
    }

    @Benchmark
    public Feedback parseFeedback() {
        return parser.parseFeedback(feedback[nextFeedback++ & (WELL_FORMED - 1)]).value();
    }

    @Benchmark
    public DeadLetter parseMalformedDossierEvent() {
        ParseResult<DossierEvent> r = parser.parseDossierEvent(malformed[nextMalformed++ & (MALFORMED - 1)]);
        return r.deadLetter();
    }
}

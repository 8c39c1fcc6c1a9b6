package vn.onestop.monitor.ingest;

import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Turns raw Kafka records into contract events. Records that break the contract leave through
 * {@link #DEAD_LETTERS}; the job never fails on input.
 */
public abstract class ParseFunction<T> extends ProcessFunction<RawRecord, T> {
    public static final OutputTag<DeadLetter> DEAD_LETTERS = new OutputTag<>("dead-letters") {};

    protected final EventParser parser;
    private transient LongCounter read;
    private transient LongCounter dead;
    private transient Counter readMetric;
    private transient Counter deadMetric;
    private transient java.util.Map<DeadLetterReason, Counter> deadByReason;

    protected ParseFunction(EventParser parser) {
        this.parser = parser;
    }

    protected abstract ParseResult<T> parse(RawRecord record);

    protected abstract String topicLabel();

    @Override
    public void open(OpenContext ctx) {
        read = getRuntimeContext().getLongCounter(topicLabel() + ".read");
        dead = getRuntimeContext().getLongCounter(topicLabel() + ".dead-letters");
        readMetric = getRuntimeContext().getMetricGroup().addGroup("topic", topicLabel()).counter("recordsRead");
        deadMetric = getRuntimeContext().getMetricGroup().addGroup("topic", topicLabel()).counter("deadLetters");
        deadByReason = new java.util.EnumMap<>(DeadLetterReason.class);
    }

    @Override
    public void processElement(RawRecord record, Context ctx, Collector<T> out) {
        read.add(1);
        readMetric.inc();
        ctx.output(Tally.TAG, new Tally(record.topic, record.timestamp, Tally.Outcome.READ));
        ParseResult<T> result = parse(record);
        if (result.isOk()) {
            out.collect(result.value());
        } else {
            dead.add(1);
            deadMetric.inc();
            deadByReason.computeIfAbsent(result.deadLetter().reason,
                    r -> getRuntimeContext().getMetricGroup().addGroup("topic", topicLabel()).addGroup("reason", r.name()).counter("deadLetters")).inc();
            ctx.output(DEAD_LETTERS, result.deadLetter());
            ctx.output(Tally.TAG, new Tally(record.topic, record.timestamp, Tally.Outcome.DEAD_LETTER));
        }
    }

    /** Parses {@code dossier-events}. */
    public static final class DossierEvents extends ParseFunction<DossierEvent> {
        public DossierEvents(EventParser parser) {
            super(parser);
        }

        @Override
        protected ParseResult<DossierEvent> parse(RawRecord record) {
            return parser.parseDossierEvent(record);
        }

        @Override
        protected String topicLabel() {
            return "dossier-events";
        }
    }

    /** Parses {@code qr-feedback}. */
    public static final class FeedbackRecords extends ParseFunction<Feedback> {
        public FeedbackRecords(EventParser parser) {
            super(parser);
        }

        @Override
        protected ParseResult<Feedback> parse(RawRecord record) {
            return parser.parseFeedback(record);
        }

        @Override
        protected String topicLabel() {
            return "qr-feedback";
        }
    }
}

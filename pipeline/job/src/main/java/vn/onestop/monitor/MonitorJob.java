package vn.onestop.monitor;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.LocalStreamEnvironment;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import vn.onestop.monitor.alert.SlaAlert;
import vn.onestop.monitor.ingest.DeadLetter;
import vn.onestop.monitor.ingest.DossierEvent;
import vn.onestop.monitor.ingest.EventParser;
import vn.onestop.monitor.ingest.EventTimeWatermarks;
import vn.onestop.monitor.ingest.Feedback;
import vn.onestop.monitor.ingest.ParseFunction;
import vn.onestop.monitor.ingest.Tally;
import vn.onestop.monitor.ingest.TallyCounts;
import vn.onestop.monitor.ingest.TallyPreAggregator;
import vn.onestop.monitor.ingest.TallySum;
import vn.onestop.monitor.kpi.DossierAlertRules;
import vn.onestop.monitor.kpi.DossierProcessor;
import vn.onestop.monitor.kpi.DossierRow;
import vn.onestop.monitor.kpi.FeedbackProcessor;
import vn.onestop.monitor.kpi.KpiAggregator;
import vn.onestop.monitor.kpi.KpiBreachDetector;
import vn.onestop.monitor.kpi.Lateness;
import vn.onestop.monitor.kpi.OnTimeRules;
import vn.onestop.monitor.kpi.ParentRollup;
import vn.onestop.monitor.kpi.UnitHourCounts;
import vn.onestop.monitor.kpi.UnitHourDelta;
import vn.onestop.monitor.kpi.UnitHourPreAggregator;
import vn.onestop.monitor.reference.JobReference;
import vn.onestop.monitor.sink.Database;


/**
 * The monitor's Flink job: Kafka records → parse (bad ones to the dead-letter store) → key by dossier / feedback →
 * classify and deduplicate → key by unit → running counts → PostgreSQL. Usable with {@code flink run};
 * the local runner, replay and tests build the same graph with their own sources and sinks.
 */
public final class MonitorJob {
    private MonitorJob() {}

    public static void main(String[] args) throws Exception {
        MonitorConfig cfg = MonitorConfig.fromEnvironment(args);
        if (cfg.bootstrapServers() == null || cfg.jdbcUrl() == null) {
            throw new IllegalArgumentException("Set BOOTSTRAP_SERVERS and JDBC_URL (and JDBC_USER / JDBC_PASSWORD) to run the job on a cluster; "
                    + "for everything embedded use 'make run'.");
        }
        Database db = new Database(cfg.jdbcUrl(), cfg.jdbcUser(), cfg.jdbcPassword());
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        configure(env, cfg);
        build(env, cfg, new KafkaSources(cfg, cfg.bounded()), new PostgresSinks(db, cfg), JobReference.load(db));
        env.execute("onestop-monitor");
    }

    public static void configure(StreamExecutionEnvironment env, MonitorConfig cfg) {
        env.setParallelism(cfg.parallelism());
        // Watermarks every 50 ms instead of Flink's 200: time-driven alerts follow event time this closely.
        env.getConfig().setAutoWatermarkInterval(cfg.watermarkInterval().toMillis());
        env.setBufferTimeout(cfg.bufferTimeout().toMillis());
        // No defensive copy between chained operators: every function emits fresh objects and never changes what it
        // has emitted or buffers its input for later change (the sinks keep rows, but rows are never reused upstream).
        env.getConfig().enableObjectReuse();
        if (!cfg.checkpointInterval().isZero()) {
            env.enableCheckpointing(cfg.checkpointInterval().toMillis());
        }
        // Only when STATE_BACKEND is set: a job-level state.backend.type overrides the cluster's (RocksDB in Compose).
        if (cfg.stateBackend() != null) {
            Configuration state = new Configuration();
            state.set(StateBackendOptions.STATE_BACKEND, cfg.stateBackend());
            if (cfg.stateBackend().equals("rocksdb")) {
                // Most lookups are for a dossier seen for the first time, whose state is in no file: without bloom
                // filters RocksDB reads every level to learn that, and lookups slowed as the files grew (soak).
                state.set(ROCKSDB_BLOOM_FILTER, true);
            }
            if (cfg.stateBackend().equals("rocksdb") && env instanceof LocalStreamEnvironment) {
                // The MiniCluster's RocksDB files under the data directory, not in the JVM's temporary directory.
                state.set(ROCKSDB_LOCAL_DIR, cfg.dataDir().resolve("rocksdb").toString());
            }
            env.configure(state);
        }
    }

    /** RocksDB options by name (RocksDBConfigurableOptions, RocksDBOptions): the backend is on the classpath at run time only. */
    private static final ConfigOption<Boolean> ROCKSDB_BLOOM_FILTER =
            ConfigOptions.key("state.backend.rocksdb.use-bloom-filter").booleanType().defaultValue(false);
    private static final ConfigOption<String> ROCKSDB_LOCAL_DIR =
            ConfigOptions.key("state.backend.rocksdb.localdir").stringType().noDefaultValue();

    /**
     * The whole graph, stage by stage: parse → classify → count → alert → reconcile, each stage a method that takes
     * the streams it needs and returns the ones it makes. Every operator keeps its {@code uid}: savepoints map state
     * to operators by uid, so renaming one would drop its state on restore.
     */
    public static void build(StreamExecutionEnvironment env, MonitorConfig cfg, MonitorSources sources, MonitorSinks sinks, JobReference reference) {
        Lateness lateness = new Lateness(cfg.latenessHorizon());
        sinks.inputBounded(sources.bounded());

        Parsed parsed = parse(env, cfg, sources, reference);
        Classified classified = classify(parsed, cfg, reference, lateness, sources.bounded());
        Counted counted = count(classified, reference, lateness);
        DataStream<SlaAlert> alerts = alert(classified, counted, cfg, reference, sources.bounded());
        DataStream<DeadLetter> deadLetters = deadLetters(parsed, classified);
        DataStream<TallyCounts.Row> tallies = reconcile(parsed, classified);

        sinks.hourlyCounts(counted.hourly());
        sinks.dossiers(classified.dossierRows());
        sinks.dossierRatings(classified.ratingChanges().getSideOutput(FeedbackProcessor.DOSSIER_RATINGS));
        // Keyed by alert id so that every state of one alert goes through the same sink instance, in order: a
        // round-robin hand-off could let an older state overwrite a newer one.
        sinks.alerts(alerts.keyBy(a -> a.id));
        sinks.deadLetters(deadLetters);
        sinks.tallies(tallies);
    }

    /** Parsed records with event time, and per topic the parser's dead letters and READ tallies. */
    record Parsed(SingleOutputStreamOperator<DossierEvent> dossierEvents, DataStream<DossierEvent> timedDossierEvents,
                  SingleOutputStreamOperator<Feedback> feedback, DataStream<Feedback> timedFeedback) {
        DataStream<DeadLetter> deadLetters() {
            return dossierEvents.getSideOutput(ParseFunction.DEAD_LETTERS).union(feedback.getSideOutput(ParseFunction.DEAD_LETTERS));
        }
    }

    /** Per dossier and per rating: the changes to hourly counts, and on the side rows, alerts, refusals and tallies. */
    record Classified(SingleOutputStreamOperator<UnitHourDelta> dossierChanges, SingleOutputStreamOperator<UnitHourDelta> ratingChanges) {
        DataStream<DossierRow> dossierRows() {
            return dossierChanges.getSideOutput(DossierProcessor.DOSSIER_ROWS);
        }

        DataStream<SlaAlert> dossierAlerts() {
            return dossierChanges.getSideOutput(DossierProcessor.ALERTS);
        }

        DataStream<DeadLetter> refused() {
            return dossierChanges.getSideOutput(DossierProcessor.REFUSED).union(ratingChanges.getSideOutput(FeedbackProcessor.REFUSED));
        }
    }

    /** Running counts per unit and hour: the units' own ({@code hourly}, stored) and all, with the rolled-up ones. */
    record Counted(DataStream<UnitHourCounts> hourly, DataStream<UnitHourCounts> all) {}

    /** Kafka records → events and ratings with event-time watermarks; bad records go to the dead letters. */
    static Parsed parse(StreamExecutionEnvironment env, MonitorConfig cfg, MonitorSources sources, JobReference reference) {
        EventParser parser = new EventParser(reference.units(), cfg.maxFutureSkew(), cfg.maxRecordBytes());
        long outOfOrderness = cfg.watermarkOutOfOrderness().toMillis();
        long idleAfter = sources.bounded() ? 0 : cfg.sourceIdleness().toMillis();
        long idleLag = cfg.idleWatermarkLag().toMillis();
        long caughtUpLag = cfg.caughtUpLag().toMillis();
        // Asked once, here: whether each topic holds records this job has yet to read (then event time waits for them).
        boolean dossierBacklog = !sources.bounded() && sources.backlogAtStart(sources.dossierTopic());
        boolean feedbackBacklog = !sources.bounded() && sources.backlogAtStart(sources.feedbackTopic());

        SingleOutputStreamOperator<DossierEvent> parsedEvents = sources.dossierRecords(env)
                .process(new ParseFunction.DossierEvents(parser)).name("parse dossier events").uid("parse-dossier-events");
        DataStream<DossierEvent> dossierEvents = parsedEvents.assignTimestampsAndWatermarks(
                WatermarkStrategy.<DossierEvent>forGenerator(c -> new EventTimeWatermarks<>(outOfOrderness, idleAfter, idleLag, caughtUpLag, dossierBacklog))
                        .withTimestampAssigner((e, ts) -> e.occurredAt))
                .name("event time: occurredAt").uid("watermarks-dossier-events");

        SingleOutputStreamOperator<Feedback> parsedFeedback = sources.feedbackRecords(env)
                .process(new ParseFunction.FeedbackRecords(parser)).name("parse feedback").uid("parse-feedback");
        DataStream<Feedback> feedback = parsedFeedback.assignTimestampsAndWatermarks(
                WatermarkStrategy.<Feedback>forGenerator(c -> new EventTimeWatermarks<>(outOfOrderness, idleAfter, idleLag, caughtUpLag, feedbackBacklog))
                        .withTimestampAssigner((f, ts) -> f.submittedAt))
                .name("event time: submittedAt").uid("watermarks-feedback");
        return new Parsed(parsedEvents, dossierEvents, parsedFeedback, feedback);
    }

    /** Keyed by dossier and by rating: deduplicates, classifies early / on time / late, follows SLA deadlines. */
    static Classified classify(Parsed parsed, MonitorConfig cfg, JobReference reference, Lateness lateness, boolean boundedInput) {
        OnTimeRules rules = new OnTimeRules(cfg.maxSupplementRequests());
        DossierAlertRules alertRules = new DossierAlertRules(reference.calendar(), cfg.atRiskLead());
        SingleOutputStreamOperator<UnitHourDelta> dossierChanges = parsed.timedDossierEvents()
                .keyBy(e -> e.dossierId)
                // DossierProcessor in the operator that also moves a previous-format savepoint's state (LegacyDossierState)
                // and, in a live run restored after a failure, retracts alerts the failed attempt may have left behind.
                .transform("classify dossiers", TypeInformation.of(UnitHourDelta.class), DossierProcessor.operator(rules, lateness, alertRules, boundedInput))
                .uid("dossier-state");
        SingleOutputStreamOperator<UnitHourDelta> ratingChanges = parsed.timedFeedback()
                .keyBy(f -> f.feedbackId)
                .process(new FeedbackProcessor(lateness)).name("count ratings once").uid("feedback-state");
        return new Classified(dossierChanges, ratingChanges);
    }

    /**
     * Keyed by unit: running counts per hour, of the unit's own dossiers and ratings and, summed from the units under
     * it, of a parent unit (those only feed its KPI breaches). The changes are summed per unit and hour in the tasks
     * that produce them, with their parent copies, so one record per unit-hour and flush crosses the exchange.
     */
    static Counted count(Classified classified, JobReference reference, Lateness lateness) {
        ParentRollup rollup = new ParentRollup(reference.units());
        DataStream<UnitHourCounts> counts = UnitHourPreAggregator.sums(classified.dossierChanges(), rollup, "dossier-state")
                .union(UnitHourPreAggregator.sums(classified.ratingChanges(), rollup, "feedback-state"))
                .keyBy(d -> d.unitCode)
                .process(new KpiAggregator(lateness)).name("unit-hour counts").uid("unit-counts");
        DataStream<UnitHourCounts> hourly = counts.filter(c -> !c.rolledUp).name("own unit-hour counts").uid("own-unit-counts");
        return new Counted(hourly, counts);
    }

    /**
     * The dossiers' SLA alerts and the KPI breaches of units and parent units, judged right behind the counts: the
     * counts are keyed by unit already, so the breach detector is chained to them without another exchange.
     */
    static DataStream<SlaAlert> alert(Classified classified, Counted counted, MonitorConfig cfg, JobReference reference, boolean boundedInput) {
        // The detector in the operator that, in a live run restored after a failure, retracts breaches the failed attempt may have left behind.
        DataStream<SlaAlert> kpiBreaches = DataStreamUtils.reinterpretAsKeyedStream(counted.all(), c -> c.unitCode)
                .transform("KPI below target", TypeInformation.of(SlaAlert.class),
                        KpiBreachDetector.operator(reference.targets(), cfg.kpiRecoveryMargin(), cfg.kpiWindow(), boundedInput))
                .uid("kpi-breaches");
        return classified.dossierAlerts().union(kpiBreaches);
    }

    /** Records refused by the parser or, later, by the dossier and rating state: kept aside, never dropped. */
    static DataStream<DeadLetter> deadLetters(Parsed parsed, Classified classified) {
        return parsed.deadLetters().union(classified.refused());
    }

    /**
     * Per topic and local day: read = accepted + duplicates + dead letters ({@code ingest_reconciliation}). Summed in
     * each producing task first: the key (topic|day) is hot in a backfill, one record per tally was not.
     */
    static DataStream<TallyCounts.Row> reconcile(Parsed parsed, Classified classified) {
        return TallyPreAggregator.sums(parsed.dossierEvents().getSideOutput(Tally.TAG), "parse-dossier-events")
                .union(TallyPreAggregator.sums(parsed.feedback().getSideOutput(Tally.TAG), "parse-feedback"),
                        TallyPreAggregator.sums(classified.dossierChanges().getSideOutput(Tally.TAG), "dossier-state"),
                        TallyPreAggregator.sums(classified.ratingChanges().getSideOutput(Tally.TAG), "feedback-state"))
                .keyBy(TallySum::key)
                .process(new TallyCounts()).name("reconciliation tallies").uid("ingest-tallies");
    }
}

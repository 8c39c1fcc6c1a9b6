package vn.onestop.monitor;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.LocalStreamEnvironment;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import vn.onestop.monitor.ingest.DeadLetter;
import vn.onestop.monitor.ingest.DossierEvent;
import vn.onestop.monitor.ingest.EventParser;
import vn.onestop.monitor.ingest.Feedback;
import vn.onestop.monitor.ingest.KafkaSources;
import vn.onestop.monitor.ingest.ParseFunction;
import vn.onestop.monitor.ingest.Tally;
import vn.onestop.monitor.ingest.TallyCounts;
import vn.onestop.monitor.kpi.DossierProcessor;
import vn.onestop.monitor.kpi.FeedbackProcessor;
import vn.onestop.monitor.kpi.KpiAggregator;
import vn.onestop.monitor.kpi.Lateness;
import vn.onestop.monitor.kpi.OnTimeRules;
import vn.onestop.monitor.kpi.ParentRollup;
import vn.onestop.monitor.kpi.UnitHourCounts;
import vn.onestop.monitor.kpi.UnitHourDelta;
import vn.onestop.monitor.reference.JobReference;
import vn.onestop.monitor.alert.DossierAlertRules;
import vn.onestop.monitor.alert.KpiBreachDetector;
import vn.onestop.monitor.alert.SlaAlert;
import vn.onestop.monitor.ingest.EventTimeWatermarks;
import vn.onestop.monitor.sink.Database;
import vn.onestop.monitor.sink.PostgresSinks;


/**
 * The monitor's Flink job: Kafka records → parse (bad ones to the dead-letter store) → key by dossier / feedback →
 * classify and deduplicate → key by unit and hour → running counts → PostgreSQL. Usable with {@code flink run};
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

    public static void build(StreamExecutionEnvironment env, MonitorConfig cfg, MonitorSources sources, MonitorSinks sinks, JobReference reference) {
        EventParser parser = new EventParser(reference.units(), cfg.maxFutureSkew(), cfg.maxRecordBytes());
        OnTimeRules rules = new OnTimeRules(cfg.maxSupplementRequests());
        Lateness lateness = new Lateness(cfg.latenessHorizon());
        DossierAlertRules alertRules = new DossierAlertRules(reference.calendar(), cfg.atRiskLead());
        long outOfOrderness = cfg.watermarkOutOfOrderness().toMillis();
        long idleAfter = sources.bounded() ? 0 : cfg.sourceIdleness().toMillis();
        long idleLag = cfg.idleWatermarkLag().toMillis();
        long caughtUpLag = cfg.caughtUpLag().toMillis();
        sinks.inputBounded(sources.bounded());

        SingleOutputStreamOperator<DossierEvent> parsedEvents = sources.dossierRecords(env)
                .process(new ParseFunction.DossierEvents(parser)).name("parse dossier events").uid("parse-dossier-events");
        DataStream<DossierEvent> dossierEvents = parsedEvents.assignTimestampsAndWatermarks(
                WatermarkStrategy.<DossierEvent>forGenerator(c -> new EventTimeWatermarks<>(outOfOrderness, idleAfter, idleLag, caughtUpLag))
                        .withTimestampAssigner((e, ts) -> e.occurredAt))
                .name("event time: occurredAt").uid("watermarks-dossier-events");

        SingleOutputStreamOperator<Feedback> parsedFeedback = sources.feedbackRecords(env)
                .process(new ParseFunction.FeedbackRecords(parser)).name("parse feedback").uid("parse-feedback");
        DataStream<Feedback> feedback = parsedFeedback.assignTimestampsAndWatermarks(
                WatermarkStrategy.<Feedback>forGenerator(c -> new EventTimeWatermarks<>(outOfOrderness, idleAfter, idleLag, caughtUpLag))
                        .withTimestampAssigner((f, ts) -> f.submittedAt))
                .name("event time: submittedAt").uid("watermarks-feedback");

        SingleOutputStreamOperator<UnitHourDelta> dossierChanges = dossierEvents
                .keyBy(e -> e.dossierId)
                .process(new DossierProcessor(rules, lateness, alertRules)).name("classify dossiers").uid("dossier-state");

        SingleOutputStreamOperator<UnitHourDelta> ratingChanges = feedback
                .keyBy(f -> f.feedbackId)
                .process(new FeedbackProcessor(lateness)).name("count ratings once").uid("feedback-state");

        DataStream<UnitHourDelta> countChanges = dossierChanges.union(ratingChanges);
        DataStream<UnitHourCounts> hourly = countChanges
                .keyBy(UnitHourDelta::bucketKey)
                .process(new KpiAggregator(lateness)).name("unit-hour counts").uid("unit-hour-counts");

        sinks.hourlyCounts(hourly);

        // Parent units' hourly counts, summed from their children's changes, for their KPI breaches only.
        DataStream<UnitHourCounts> parentHourly = countChanges
                .flatMap(new ParentRollup(reference.units())).name("roll up to parent units").uid("parent-rollup")
                .keyBy(UnitHourDelta::bucketKey)
                .process(new KpiAggregator(lateness)).name("parent unit-hour counts").uid("parent-unit-hour-counts");

        DataStream<SlaAlert> kpiAlerts = hourly.union(parentHourly)
                .keyBy(c -> c.unitCode)
                .process(new KpiBreachDetector(reference.targets(), cfg.kpiRecoveryMargin(), cfg.kpiWindow()))
                .name("KPI below target").uid("kpi-breaches");
        // Keyed by alert id so that every state of one alert goes through the same sink instance, in order: a
        // round-robin hand-off could let an older state overwrite a newer one.
        sinks.alerts(dossierChanges.getSideOutput(DossierProcessor.ALERTS).union(kpiAlerts).keyBy(a -> a.id));
        sinks.dossiers(dossierChanges.getSideOutput(DossierProcessor.DOSSIER_ROWS));
        DataStream<DeadLetter> deadLetters = parsedEvents.getSideOutput(ParseFunction.DEAD_LETTERS)
                .union(parsedFeedback.getSideOutput(ParseFunction.DEAD_LETTERS),
                        dossierChanges.getSideOutput(DossierProcessor.REFUSED),
                        ratingChanges.getSideOutput(FeedbackProcessor.REFUSED));
        sinks.deadLetters(deadLetters);

        DataStream<TallyCounts.Row> tallies = parsedEvents.getSideOutput(Tally.TAG)
                .union(parsedFeedback.getSideOutput(Tally.TAG), dossierChanges.getSideOutput(Tally.TAG), ratingChanges.getSideOutput(Tally.TAG))
                .keyBy(Tally::key)
                .process(new TallyCounts()).name("reconciliation tallies").uid("ingest-tallies");
        sinks.tallies(tallies);
    }
}

package vn.onestop.monitor;

import java.io.Serializable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The one typed configuration of every entry point. Each setting is read from {@code --name=value} arguments, then
 * from the environment variable of the same name in upper case with underscores, then its default. The README's
 * configuration table is this class, with the local stack's own settings (local.LocalConfig, sim.FeedSettings).
 */
public final class MonitorConfig implements Serializable {
    private static final long serialVersionUID = 1L;

    /** name → default; names are the argument form, e.g. bootstrap-servers ↔ BOOTSTRAP_SERVERS. */
    private static final Map<String, String> DEFAULTS = new LinkedHashMap<>();

    static {
        DEFAULTS.put("bootstrap-servers", "");            // empty: start the embedded Kafka broker
        DEFAULTS.put("dossier-topic", "dossier-events");
        DEFAULTS.put("feedback-topic", "qr-feedback");
        DEFAULTS.put("group-id", "onestop-monitor");
        // Kafka security, passed to every Kafka client of the job (empty: PLAINTEXT). Secrets only via the environment.
        DEFAULTS.put("kafka-security-protocol", "");      // PLAINTEXT | SSL | SASL_PLAINTEXT | SASL_SSL
        DEFAULTS.put("kafka-sasl-mechanism", "");         // e.g. SCRAM-SHA-512, PLAIN
        DEFAULTS.put("kafka-sasl-jaas-config", "");
        DEFAULTS.put("kafka-ssl-truststore-location", "");
        DEFAULTS.put("kafka-ssl-truststore-password", "");
        DEFAULTS.put("alert-topic", "sla-alerts");        // empty: alerts go to PostgreSQL only
        DEFAULTS.put("at-risk-lead", "PT4H");             // counted in working hours of the office calendar
        DEFAULTS.put("kpi-window", "P30D");
        DEFAULTS.put("kpi-recovery-margin", "0.005");
        DEFAULTS.put("idle-watermark-lag", "PT1S");
        DEFAULTS.put("jdbc-url", "");                     // empty: start the embedded PostgreSQL
        DEFAULTS.put("jdbc-user", "");
        DEFAULTS.put("jdbc-password", "");
        DEFAULTS.put("job-db-user", "onestop_job");
        DEFAULTS.put("job-db-password", "");
        DEFAULTS.put("reader-db-user", "onestop_grafana");
        DEFAULTS.put("reader-db-password", "");
        DEFAULTS.put("parallelism", "2");
        DEFAULTS.put("lateness-horizon", "P30D");
        DEFAULTS.put("max-future-skew", "P1D");
        DEFAULTS.put("max-supplement-requests", "1");
        DEFAULTS.put("max-record-bytes", "1048576");
        // Watermarks decide only when time-driven alerts fire: late data is always applied (an alert it disproves is
        // retracted), so they can follow the stream closely and alerts stay live within about a second.
        DEFAULTS.put("watermark-out-of-orderness", "PT0.2S");
        DEFAULTS.put("watermark-interval", "PT0.05S");
        DEFAULTS.put("source-idleness", "PT2S");
        // A source follows the wall clock when quiet only once the last record it read was appended to Kafka at most
        // this long before (it has caught up); while it reads a backlog a quiet spell only marks it idle.
        DEFAULTS.put("caught-up-lag", "PT1M");
        DEFAULTS.put("checkpoint-interval", "PT10S");
        // How long a network buffer between operators may wait to fill (Flink's default is 100 ms): records and
        // watermarks cross three exchanges on the way to an alert, so this adds up in live operation; a full buffer
        // is sent at once whatever the setting, so backfills are not slowed.
        DEFAULTS.put("buffer-timeout", "PT0.01S");
        // hashmap | rocksdb. Empty: Flink's own state.backend.type applies: hashmap on the embedded MiniCluster, the
        // cluster's configuration under flink run (rocksdb in docker/compose.yaml), which a job-level value would override.
        DEFAULTS.put("state-backend", "");
        DEFAULTS.put("sink-flush-interval", "PT0.2S");
        DEFAULTS.put("sink-max-buffered", "50000");
        DEFAULTS.put("backfill-flush-interval", "PT2S");  // bounded runs (replay, bench): coalesce more, nobody watches live
        DEFAULTS.put("sink-retry-for", "PT2M");
        DEFAULTS.put("data-dir", ".local-data");
        DEFAULTS.put("units", "");                        // replacement units.csv (the whole registry)
        DEFAULTS.put("unit-succession", "");              // replacement unit_succession.csv
        DEFAULTS.put("procedures", "");
        DEFAULTS.put("unit-procedures", "");              // replacement unit_procedures.csv (the whole catalogue)
        DEFAULTS.put("sla-targets", "");
        DEFAULTS.put("office-hours", "");
        DEFAULTS.put("calendar", "");
        // The embedded services' ports, make run's refresh and its simulator are the local stack's settings
        // (local.LocalConfig, sim.FeedSettings): a deployed job has no use for them.
        DEFAULTS.put("bounded", "false");                 // true: MonitorJob stops once it has read what the topics held at start
    }

    /** The state backends a job may choose: Flink's heap backend and RocksDB (the Compose deployment's). */
    public static final java.util.List<String> STATE_BACKENDS = java.util.List.of("hashmap", "rocksdb");

    private final Map<String, String> values;

    private MonitorConfig(Map<String, String> values) {
        this.values = values;
    }

    public static MonitorConfig defaults() {
        return from(new String[0], Map.of());
    }

    public static MonitorConfig fromEnvironment(String[] args) {
        return from(args, System.getenv());
    }

    public static MonitorConfig from(String[] args, Map<String, String> env) {
        Map<String, String> v = new HashMap<>();
        for (Map.Entry<String, String> d : DEFAULTS.entrySet()) {
            String envValue = env.get(envName(d.getKey()));
            v.put(d.getKey(), envValue != null && !envValue.isBlank() ? envValue : d.getValue());
        }
        for (String arg : args) {
            if (!arg.startsWith("--") || !arg.contains("=")) {
                throw new IllegalArgumentException("Arguments look like --name=value; got '" + arg + "'. Known names: " + DEFAULTS.keySet());
            }
            String name = arg.substring(2, arg.indexOf('='));
            if (!DEFAULTS.containsKey(name)) {
                throw new IllegalArgumentException("Unknown setting --" + name + ". Known names: " + DEFAULTS.keySet());
            }
            v.put(name, arg.substring(arg.indexOf('=') + 1));
        }
        MonitorConfig c = new MonitorConfig(v);
        c.validate();
        return c;
    }

    /** Returns a copy with some settings replaced, e.g. the address of an embedded service once it runs. */
    public MonitorConfig with(String name, String value) {
        if (!DEFAULTS.containsKey(name)) {
            throw new IllegalArgumentException("Unknown setting " + name);
        }
        Map<String, String> v = new HashMap<>(values);
        v.put(name, value);
        return new MonitorConfig(v);
    }

    static String envName(String name) {
        return name.toUpperCase(Locale.ROOT).replace('-', '_');
    }

    public static Map<String, String> documentedDefaults() {
        return Map.copyOf(DEFAULTS);
    }

    private void validate() {
        parallelism();
        latenessHorizon();
        maxFutureSkew();
        maxSupplementRequests();
        checkpointInterval();
        stateBackend();
        sinkFlushInterval();
        bounded();
    }

    private String get(String name) {
        return values.get(name);
    }

    private Duration duration(String name) {
        try {
            return Duration.parse(get(name));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(envName(name) + " must be an ISO-8601 duration such as PT5S or P30D; got '" + get(name) + "'");
        }
    }

    private int integer(String name) {
        try {
            return Integer.parseInt(get(name).trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(envName(name) + " must be a whole number; got '" + get(name) + "'");
        }
    }

    private boolean bool(String name) {
        String v = get(name).trim().toLowerCase(Locale.ROOT);
        if (!v.equals("true") && !v.equals("false")) {
            throw new IllegalArgumentException(envName(name) + " must be true or false; got '" + get(name) + "'");
        }
        return v.equals("true");
    }

    private static String emptyToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    public String bootstrapServers() { return emptyToNull(get("bootstrap-servers")); }
    public String dossierTopic() { return get("dossier-topic"); }
    public String feedbackTopic() { return get("feedback-topic"); }
    public String groupId() { return get("group-id"); }
    /** The Kafka client settings for security, in Kafka's own property names; only those that are set. */
    public java.util.Properties kafkaClientProperties() {
        java.util.Properties p = new java.util.Properties();
        put(p, "security.protocol", "kafka-security-protocol");
        put(p, "sasl.mechanism", "kafka-sasl-mechanism");
        put(p, "sasl.jaas.config", "kafka-sasl-jaas-config");
        put(p, "ssl.truststore.location", "kafka-ssl-truststore-location");
        put(p, "ssl.truststore.password", "kafka-ssl-truststore-password");
        return p;
    }

    private void put(java.util.Properties p, String kafkaName, String name) {
        String v = emptyToNull(get(name));
        if (v != null) {
            p.setProperty(kafkaName, v);
        }
    }

    public String alertTopic() { return emptyToNull(get("alert-topic")); }
    public Duration atRiskLead() { return duration("at-risk-lead"); }
    public Duration kpiWindow() { return duration("kpi-window"); }
    public double kpiRecoveryMargin() { return Double.parseDouble(get("kpi-recovery-margin")); }
    public Duration idleWatermarkLag() { return duration("idle-watermark-lag"); }
    public String jdbcUrl() { return emptyToNull(get("jdbc-url")); }
    public String jdbcUser() { return emptyToNull(get("jdbc-user")); }
    public String jdbcPassword() { return emptyToNull(get("jdbc-password")); }
    public String jobDbUser() { return get("job-db-user"); }
    public String jobDbPassword() { return emptyToNull(get("job-db-password")); }
    public String readerDbUser() { return get("reader-db-user"); }
    public String readerDbPassword() { return emptyToNull(get("reader-db-password")); }
    public int parallelism() { return integer("parallelism"); }
    public Duration latenessHorizon() { return duration("lateness-horizon"); }
    public Duration maxFutureSkew() { return duration("max-future-skew"); }
    public int maxSupplementRequests() { return integer("max-supplement-requests"); }
    public int maxRecordBytes() { return integer("max-record-bytes"); }
    public Duration watermarkOutOfOrderness() { return duration("watermark-out-of-orderness"); }
    public Duration watermarkInterval() { return duration("watermark-interval"); }
    public Duration sourceIdleness() { return duration("source-idleness"); }
    public Duration caughtUpLag() { return duration("caught-up-lag"); }
    public Duration checkpointInterval() { return duration("checkpoint-interval"); }
    /** Flink's state backend, {@code hashmap} or {@code rocksdb}; null when not set (Flink's or the cluster's own setting). */
    public String stateBackend() {
        String v = emptyToNull(get("state-backend"));
        if (v == null) {
            return null;
        }
        String name = v.trim().toLowerCase(Locale.ROOT);
        if (!STATE_BACKENDS.contains(name)) {
            throw new IllegalArgumentException(envName("state-backend") + " must be one of " + String.join(", ", STATE_BACKENDS) + "; got '" + v + "'");
        }
        return name;
    }

    public Duration bufferTimeout() { return duration("buffer-timeout"); }
    public Duration sinkFlushInterval() { return duration("sink-flush-interval"); }
    public int sinkMaxBuffered() { return integer("sink-max-buffered"); }
    public Duration backfillFlushInterval() { return duration("backfill-flush-interval"); }
    public Duration sinkRetryFor() { return duration("sink-retry-for"); }
    public Path dataDir() { return Path.of(get("data-dir")).toAbsolutePath(); }
    public Path unitsCsv() { return emptyToNull(get("units")) == null ? null : Path.of(get("units")); }
    public Path unitSuccessionCsv() { return emptyToNull(get("unit-succession")) == null ? null : Path.of(get("unit-succession")); }
    public Path proceduresCsv() { return emptyToNull(get("procedures")) == null ? null : Path.of(get("procedures")); }
    public Path unitProceduresCsv() { return emptyToNull(get("unit-procedures")) == null ? null : Path.of(get("unit-procedures")); }
    public Path officeHoursCsv() { return emptyToNull(get("office-hours")) == null ? null : Path.of(get("office-hours")); }
    public Path calendarCsv() { return emptyToNull(get("calendar")) == null ? null : Path.of(get("calendar")); }
    public Path slaTargetsCsv() { return emptyToNull(get("sla-targets")) == null ? null : Path.of(get("sla-targets")); }
    public boolean bounded() { return bool("bounded"); }
}

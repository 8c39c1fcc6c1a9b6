package vn.onestop.monitor.local;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.onestop.monitor.MonitorConfig;
import vn.onestop.monitor.reference.ReferenceData;
import vn.onestop.monitor.sink.Database;
import vn.onestop.monitor.sink.Schema;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Everything the job needs around it: PostgreSQL (embedded unless JDBC_URL is set) migrated and loaded with the
 * reference data, the least-privilege login roles, and Kafka (embedded unless BOOTSTRAP_SERVERS is set) with the
 * topics. Services it started are stopped on close; services it was pointed at are left alone.
 */
public final class LocalStack implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LocalStack.class);

    private final LocalPostgres postgres;
    private final EmbeddedKafka kafka;
    private final Database admin;
    private final Database job;
    private final Database reader;
    private final MonitorConfig config;
    private final Path dataDir;

    private LocalStack(LocalPostgres postgres, EmbeddedKafka kafka, Database admin, Database job, Database reader, MonitorConfig config, Path dataDir) {
        this.postgres = postgres;
        this.kafka = kafka;
        this.admin = admin;
        this.job = job;
        this.reader = reader;
        this.config = config;
        this.dataDir = dataDir;
    }

    /** On free ports: tests, bench and chaos, which must not collide with a running make run. */
    public static LocalStack start(MonitorConfig cfg) throws Exception {
        return start(cfg, 0, 0);
    }

    /** On the configured ports of {@link LocalConfig} (make run, make replay), so other tools can find them. */
    public static LocalStack start(LocalConfig local) throws Exception {
        return start(local.job(), local.kafkaPort(), local.postgresPort());
    }

    /** @param kafkaPort, postgresPort 0 for free ones */
    private static LocalStack start(MonitorConfig cfg, int kafkaPort, int postgresPort) throws Exception {
        Path dataDir = cfg.dataDir();
        LocalPostgres pg = null;
        EmbeddedKafka kafka = null;
        try {
            Database admin;
            if (cfg.jdbcUrl() == null) {
                pg = LocalPostgres.start(dataDir.resolve("postgres"), postgresPort);
                admin = pg.admin();
            } else {
                admin = new Database(cfg.jdbcUrl(), cfg.jdbcUser(), cfg.jdbcPassword());
            }
            Schema.migrate(admin);
            ReferenceData.load(admin, cfg.unitsCsv(), cfg.unitSuccessionCsv(), cfg.proceduresCsv(), cfg.slaTargetsCsv(), cfg.officeHoursCsv(), cfg.calendarCsv(),
                    cfg.unitProceduresCsv());

            Database job = admin;
            Database reader = null;
            if (pg != null || cfg.jobDbPassword() != null) {
                String jobPassword = cfg.jobDbPassword() != null ? cfg.jobDbPassword() : randomSecret();
                String readerPassword = cfg.readerDbPassword() != null ? cfg.readerDbPassword() : randomSecret();
                Schema.ensureLoginRoles(admin, cfg.jobDbUser(), jobPassword, cfg.readerDbUser(), readerPassword);
                job = admin.as(cfg.jobDbUser(), jobPassword);
                reader = admin.as(cfg.readerDbUser(), readerPassword);
            } else {
                LOG.warn("JOB_DB_PASSWORD is not set: the job writes as {} instead of a least-privilege role", cfg.jdbcUser());
            }

            String bootstrap = cfg.bootstrapServers();
            if (bootstrap == null) {
                kafka = EmbeddedKafka.start(dataDir.resolve("kafka"), kafkaPort);
                bootstrap = kafka.bootstrapServers();
            }
            EmbeddedKafka.createTopics(bootstrap, 2, cfg.dossierTopic(), cfg.feedbackTopic());
            if (cfg.alertTopic() != null) {
                EmbeddedKafka.createTopics(bootstrap, 1, cfg.alertTopic());
            }

            MonitorConfig resolved = cfg.with("bootstrap-servers", bootstrap)
                    .with("jdbc-url", job.url())
                    .with("jdbc-user", job.user() == null ? "" : job.user())
                    .with("jdbc-password", job.password() == null ? "" : job.password());
            return new LocalStack(pg, kafka, admin, job, reader, resolved, dataDir);
        } catch (Exception e) {
            if (kafka != null) {
                kafka.close();
            }
            if (pg != null) {
                pg.close();
            }
            throw e;
        }
    }

    private static String randomSecret() {
        byte[] b = new byte[18];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** The configuration with the addresses and the job's credentials of the running services filled in. */
    public MonitorConfig config() {
        return config;
    }

    public Database admin() {
        return admin;
    }

    public Database job() {
        return job;
    }

    /** The read-only role Grafana uses; null when the stack was pointed at a database without role passwords. */
    public Database reader() {
        return reader;
    }

    public String bootstrapServers() {
        return config.bootstrapServers();
    }

    public boolean embeddedPostgres() {
        return postgres != null;
    }

    public boolean embeddedKafka() {
        return kafka != null;
    }

    public Path dataDir() {
        return dataDir;
    }

    @Override
    public void close() throws Exception {
        if (kafka != null) {
            kafka.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }
}

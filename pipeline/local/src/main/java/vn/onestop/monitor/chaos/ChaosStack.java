package vn.onestop.monitor.chaos;

import vn.onestop.monitor.MonitorConfig;
import vn.onestop.monitor.local.EmbeddedKafka;
import vn.onestop.monitor.local.LocalPostgres;
import vn.onestop.monitor.reference.ReferenceData;
import vn.onestop.monitor.sink.Database;
import vn.onestop.monitor.sink.Schema;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Embedded PostgreSQL and Kafka like {@link vn.onestop.monitor.local.LocalStack}, but each can be stopped and
 * started again on the same data directory and the same port while the job runs, which is the fault to inject.
 */
final class ChaosStack implements AutoCloseable {
    private final Path dataDir;
    private final int postgresPort;
    private final int kafkaPort;
    private LocalPostgres postgres;
    private EmbeddedKafka kafka;
    final Database admin;
    final Database job;
    final Database reader;
    final MonitorConfig config;

    ChaosStack(MonitorConfig base, Path dataDir) throws Exception {
        this.dataDir = dataDir;
        this.postgresPort = freePort();
        this.kafkaPort = freePort();
        postgres = LocalPostgres.start(dataDir.resolve("postgres"), postgresPort);
        admin = postgres.admin();
        Schema.migrate(admin);
        ReferenceData.load(admin, null, null, null, null, null);
        String jobPassword = secret();
        String readerPassword = secret();
        Schema.ensureLoginRoles(admin, base.jobDbUser(), jobPassword, base.readerDbUser(), readerPassword);
        job = admin.as(base.jobDbUser(), jobPassword);
        reader = admin.as(base.readerDbUser(), readerPassword);
        kafka = EmbeddedKafka.start(dataDir.resolve("kafka"), kafkaPort);
        EmbeddedKafka.createTopics(kafka.bootstrapServers(), 2, base.dossierTopic(), base.feedbackTopic());
        if (base.alertTopic() != null) {
            EmbeddedKafka.createTopics(kafka.bootstrapServers(), 1, base.alertTopic());
        }
        config = base.with("bootstrap-servers", kafka.bootstrapServers())
                .with("jdbc-url", job.url()).with("jdbc-user", job.user()).with("jdbc-password", job.password())
                .with("data-dir", dataDir.toString());
    }

    void stopPostgres() throws IOException {
        postgres.close();
        postgres = null;
    }

    void startPostgres() throws IOException {
        postgres = LocalPostgres.start(dataDir.resolve("postgres"), postgresPort);
    }

    void stopKafka() {
        kafka.close();
        kafka = null;
    }

    void startKafka() throws Exception {
        kafka = EmbeddedKafka.start(dataDir.resolve("kafka"), kafkaPort);
    }

    private static String secret() {
        byte[] b = new byte[18];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
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

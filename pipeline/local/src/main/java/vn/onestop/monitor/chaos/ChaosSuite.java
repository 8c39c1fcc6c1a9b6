package vn.onestop.monitor.chaos;

import vn.onestop.monitor.local.DataDirs;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import vn.onestop.monitor.MonitorConfig;
import vn.onestop.monitor.MonitorJob;
import vn.onestop.monitor.KafkaSources;
import vn.onestop.monitor.reference.JobReference;
import vn.onestop.monitor.sim.SimRecord;
import vn.onestop.monitor.sim.SimulationRun;
import vn.onestop.monitor.sim.SimulationSettings;
import vn.onestop.monitor.sim.Simulator;
import vn.onestop.monitor.PostgresSinks;
import vn.onestop.monitor.recount.Recount;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;
import java.util.stream.Stream;

/**
 * {@code make chaos}: fault injection on the real local stack (embedded PostgreSQL and Kafka, the job on a Flink
 * MiniCluster at the configured parallelism) under a steady stream of simulated events. Each scenario injects one
 * fault mid-stream, stops the stream, waits for the job to catch up and compares unit_kpi_daily and the dead letters
 * with an independent recomputation ({@link Recount}, the recomputation the tests check against too) of exactly the records sent:
 * <ul>
 *   <li>{@code postgres}: PostgreSQL stopped for CHAOS_PG_OUTAGE (60 s) and started again on the same data and port;
 *       the sinks retry for SINK_RETRY_FOR (2 min);</li>
 *   <li>{@code kafka}: the broker stopped for CHAOS_KAFKA_OUTAGE (20 s) and started again;</li>
 *   <li>{@code job}: the job cancelled mid-stream (its checkpoints retained) and started again from its latest
 *       checkpoint while the stream goes on;</li>
 *   <li>{@code soak}: CHAOS_SOAK_RATE (5,000) events/s for CHAOS_SOAK (PT10M), a history of CHAOS_SOAK_HISTORY (P240D);
 *   every 30 s the heap used after a full GC
 *       and the process's resident set size (native memory included, e.g. RocksDB's with STATE_BACKEND=rocksdb).</li>
 * </ul>
 * Settings from the environment: CHAOS_SCENARIOS (default postgres,kafka,job,soak), CHAOS_RATE (events/s of the
 * fault scenarios, 1000), CHAOS_LEAD / CHAOS_TAIL (stream before / after the fault, PT30S), and the above. Exits 1
 * when a scenario's results differ from the recomputation. Not part of make test (minutes, and it needs the machine).
 */
public final class ChaosSuite {
    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

    record Result(String scenario, String injected, long sent, double rate, int restarts, long deadLetters,
                  long expectedDeadLetters, int differingUnitDays, int unitDays, Duration catchUp, String heapMb, String rssMb,
                  String outsideHeapMb, String note) {
        boolean ok() {
            return differingUnitDays == 0 && deadLetters == expectedDeadLetters && note.isEmpty();
        }
    }

    private final MonitorConfig base;
    /** SIM_SEED of the local stack's settings: the simulated history of every scenario. */
    private final long seed;
    private final Path root;

    private ChaosSuite(MonitorConfig base, long seed) {
        this.base = base;
        this.seed = seed;
        this.root = base.dataDir().resolve("chaos");
    }

    public static void main(String[] args) throws Exception {
        vn.onestop.monitor.local.LocalConfig local = vn.onestop.monitor.local.LocalConfig.fromEnvironment(args);
        MonitorConfig cfg = local.job().with("checkpoint-interval", env("CHAOS_CHECKPOINT_INTERVAL", "PT5S"));
        ChaosSuite suite = new ChaosSuite(cfg, local.sim().seed());
        List<Result> results = new ArrayList<>();
        String started = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        for (String s : env("CHAOS_SCENARIOS", "postgres,kafka,job,soak").split(",")) {
            Result r = suite.run(s.trim());
            results.add(r);
            System.out.println(line(r));
        }
        System.out.println();
        System.out.printf("make chaos, started %s, %d cores, max heap %d MB, parallelism %d, state backend %s%n", started,
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20, cfg.parallelism(),
                cfg.stateBackend() == null ? "hashmap (default)" : cfg.stateBackend());
        System.out.println("| scenario | injected | records sent | rate/s | job restarts | dead letters (expected) | unit-days differing / compared | caught up after | heap after GC, MB (every 30 s) | RSS, MB | RSS outside the heap, MB | result |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|");
        boolean ok = true;
        for (Result r : results) {
            System.out.println(line(r));
            ok &= r.ok();
        }
        System.exit(ok ? 0 : 1);
    }

    private static String line(Result r) {
        return String.format(Locale.ROOT, "| %s | %s | %,d | %,.0f | %d | %,d (%,d) | %d / %d | %s | %s | %s | %s | %s |", r.scenario(), r.injected(), r.sent(),
                r.rate(), r.restarts(), r.deadLetters(), r.expectedDeadLetters(), r.differingUnitDays(), r.unitDays(),
                r.catchUp() == null ? "did not" : r.catchUp().toSeconds() + " s", r.heapMb(), r.rssMb(), r.outsideHeapMb(), r.ok() ? "PASS" : "FAIL " + r.note());
    }

    private Result run(String scenario) throws Exception {
        Duration lead = Duration.parse(env("CHAOS_LEAD", "PT30S"));
        Duration tail = Duration.parse(env("CHAOS_TAIL", "PT30S"));
        double rate = Double.parseDouble(env("CHAOS_RATE", "1000"));
        Duration planned;
        switch (scenario) {
            case "postgres" -> planned = lead.plus(Duration.parse(env("CHAOS_PG_OUTAGE", "PT60S"))).plus(tail);
            case "kafka" -> planned = lead.plus(Duration.parse(env("CHAOS_KAFKA_OUTAGE", "PT20S"))).plus(tail);
            case "job" -> planned = lead.plus(Duration.ofSeconds(20)).plus(tail);
            case "soak" -> {
                planned = Duration.parse(env("CHAOS_SOAK", "PT10M"));
                rate = Double.parseDouble(env("CHAOS_SOAK_RATE", "5000"));
            }
            default -> throw new IllegalArgumentException("unknown scenario '" + scenario + "': postgres, kafka, job or soak");
        }
        Path dir = root.resolve(scenario);
        DataDirs.deleteTree(dir);
        System.out.printf("%n=== %s: %,.0f events/s for about %s ===%n", scenario, rate, planned);

        // Simulated history of the last 25 days up to an hour ago: inside the 30-day lateness horizon even when the
        // idle watermark jumps to the wall clock during an outage, and never in the future. The volume is sized so
        // the stream does not run dry before the scenario ends (~4.5 records per dossier).
        // The soak has no outage, so its history can reach further back: CHAOS_SOAK_HISTORY (P240D) spans more event
        // time than finished dossiers stay in state (twice the 30-day lateness horizon), so the state, and with it
        // the memory, reaches its bound within the soak instead of climbing towards it.
        Instant now = Instant.now();
        Duration history = scenario.equals("soak") ? Duration.parse(env("CHAOS_SOAK_HISTORY", "P240D")) : Duration.ofDays(25);
        Instant simStart = now.truncatedTo(ChronoUnit.DAYS).minus(history);
        Instant simEnd = now.minus(Duration.ofHours(1));
        double days = Duration.between(simStart, simEnd).toHours() / 24.0;
        double perUnitPerDay = Math.max(20, rate * planned.toSeconds() * 1.6 / (days * 17 * 4.5));
        SimulationSettings settings = SimulationSettings.defaults(seed, simStart).withDossiersPerUnitPerDay(perUnitPerDay);

        try (ChaosStack stack = new ChaosStack(base, dir)) {
            MonitorConfig cfg = stack.config;
            RunningJob job = new RunningJob(cfg, stack, dir, null);
            ChaosFeed feed = new ChaosFeed(cfg.bootstrapServers(), Simulator.forDefaultDistrict(settings), simEnd, rate);
            RunningJob[] current = {job}; // the job the sampler asks how far it has read (replaced in the job scenario)
            MemorySampler memory = new MemorySampler(feed::sent, () -> current[0].recordsRead(), cfg.dataDir().resolve("rocksdb"));
            memory.start();
            long t0 = System.nanoTime();
            feed.start();
            String injected;
            switch (scenario) {
                case "postgres" -> {
                    Thread.sleep(lead.toMillis());
                    Duration outage = Duration.parse(env("CHAOS_PG_OUTAGE", "PT60S"));
                    long down = System.nanoTime();
                    stack.stopPostgres();
                    System.out.println("[chaos] PostgreSQL stopped");
                    Thread.sleep(outage.toMillis());
                    stack.startPostgres();
                    injected = String.format(Locale.ROOT, "PostgreSQL down %.0f s", (System.nanoTime() - down) / 1e9);
                    System.out.println("[chaos] PostgreSQL started again");
                    Thread.sleep(tail.toMillis());
                }
                case "kafka" -> {
                    Thread.sleep(lead.toMillis());
                    Duration outage = Duration.parse(env("CHAOS_KAFKA_OUTAGE", "PT20S"));
                    long down = System.nanoTime();
                    stack.stopKafka();
                    System.out.println("[chaos] Kafka broker stopped");
                    Thread.sleep(outage.toMillis());
                    stack.startKafka();
                    injected = String.format(Locale.ROOT, "Kafka broker down %.0f s", (System.nanoTime() - down) / 1e9);
                    System.out.println("[chaos] Kafka broker started again");
                    Thread.sleep(tail.toMillis());
                }
                case "job" -> {
                    Thread.sleep(lead.toMillis());
                    Path checkpoint = job.latestCheckpoint();
                    long down = System.nanoTime();
                    job.cancel();
                    System.out.println("[chaos] job cancelled; retained checkpoint " + checkpoint);
                    Thread.sleep(15_000);
                    checkpoint = job.latestCheckpoint();
                    if (checkpoint == null) {
                        throw new IllegalStateException("no retained checkpoint to restore from");
                    }
                    int restartsBefore = job.restarts;
                    job = new RunningJob(cfg, stack, dir, checkpoint.toString());
                    current[0] = job;
                    job.restarts += restartsBefore;
                    injected = String.format(Locale.ROOT, "job cancelled, restored from %s after %.0f s", checkpoint.getFileName(), (System.nanoTime() - down) / 1e9);
                    System.out.println("[chaos] job restored from " + checkpoint);
                    Thread.sleep(tail.toMillis());
                }
                default -> {
                    injected = "none (soak " + planned + ")";
                    Thread.sleep(planned.toMillis());
                }
            }
            feed.close();
            memory.streamStopped();
            long stopped = System.nanoTime(); // catch-up is timed from here; the reference is computed meanwhile
            double seconds = (System.nanoTime() - t0) / 1e9;
            long sent = feed.sent();
            System.out.printf(Locale.ROOT, "[chaos] stream stopped: %,d records sent in %.0f s (%,.0f/s), %,d acknowledged, %,d failed%n",
                    sent, seconds, sent / seconds, feed.acked(), feed.failed());
            String note = feed.failed() > 0 ? "sends failed: " + feed.failure() : "";

            // The reference: the same simulation again, exactly the records sent.
            Recount reference = new Recount();
            long malformed = 0;
            SimulationRun again = Simulator.forDefaultDistrict(settings).records(simEnd);
            for (long i = 0; i < sent; i++) {
                SimRecord r = again.next();
                if (r.kind() == SimRecord.Kind.MALFORMED) {
                    malformed++;
                } else if (r.topic().equals(SimRecord.DOSSIER_EVENTS)) {
                    reference.dossierLine(r.payload());
                } else {
                    reference.feedbackLine(r.payload());
                }
            }
            Map<String, List<Long>> expected = reference.daily();

            Duration caughtUp = null;
            Map<String, List<Long>> actual = Map.of();
            long dead = -1;
            long waitUntil = stopped + Duration.ofMinutes(scenario.equals("soak") ? 10 : 5).toNanos();
            while (System.nanoTime() < waitUntil) {
                try {
                    try (java.sql.Connection c = stack.admin.connect()) {
                        actual = Recount.fromDatabase(c);
                    }
                    // Every bad record read, at each of its positions (V7: a record sent twice is one row read twice).
                    dead = count(stack, "SELECT coalesce(sum(occurrences), 0) FROM dead_letter");
                } catch (Exception e) {
                    System.out.println("[chaos] reading results failed: " + e.getMessage());
                }
                if (actual.equals(expected) && dead == malformed) {
                    caughtUp = Duration.ofNanos(System.nanoTime() - stopped);
                    break;
                }
                if (job.failed()) {
                    note = (note + " job failed: " + job.failure()).trim();
                    break;
                }
                Thread.sleep(2_000);
            }
            memory.stop();
            if (scenario.equals("job")) {
                // Proof the second job resumed from the checkpoint instead of re-reading the topics from the start
                // (which would give the same absolute counts): it read fewer records than were sent.
                long read = job.recordsRead();
                System.out.printf("[chaos] the restored job read %,d of the %,d records sent%n", read, sent);
                injected += String.format(Locale.ROOT, "; the restored job read %,d of %,d records", read, sent);
                if (read < 0 || read >= sent) {
                    note = (note + " the job did not resume from its checkpoint").trim();
                }
            }
            job.cancel();
            int diff = Recount.differences(expected, actual);
            if (caughtUp == null && diff == 0 && dead != malformed) {
                note = (note + " dead letters differ").trim();
            }
            return new Result(scenario, injected, sent, sent / seconds, job.restarts, dead, malformed, diff, expected.size(),
                    caughtUp, memory.format(memory.heap), memory.format(memory.rss), memory.format(memory.outsideHeap), note);
        }
    }

    private static long count(ChaosStack stack, String sql) throws Exception {
        try (Connection c = stack.admin.connect(); ResultSet rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The job on its own MiniCluster, checkpoints retained on cancellation, with a watcher counting restarts. */
    private static final class RunningJob {
        private final JobClient client;
        private final Path checkpoints;
        private final Thread watcher;
        private volatile boolean watching = true;
        private volatile JobStatus last;
        volatile int restarts;

        RunningJob(MonitorConfig cfg, ChaosStack stack, Path dir, String restoreFrom) throws Exception {
            checkpoints = dir.resolve("checkpoints");
            Configuration conf = new Configuration();
            conf.set(TaskManagerOptions.NUM_TASK_SLOTS, cfg.parallelism());
            // The state backend: Flink's default (hashmap) unless STATE_BACKEND says otherwise (MonitorJob.configure).
            conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpoints.toUri().toString());
            conf.set(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION, ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
            if (restoreFrom != null) {
                conf.set(StateRecoveryOptions.SAVEPOINT_PATH, restoreFrom);
            }
            StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(cfg.parallelism(), conf);
            MonitorJob.configure(env, cfg);
            MonitorJob.build(env, cfg, new KafkaSources(cfg, false), new PostgresSinks(stack.job, cfg), JobReference.load(stack.job));
            client = env.executeAsync("onestop-monitor chaos");
            watcher = new Thread(this::watch, "onestop-chaos-job-watcher");
            watcher.setDaemon(true);
            watcher.start();
        }

        private void watch() {
            while (watching) {
                try {
                    JobStatus s = client.getJobStatus().get();
                    if (s == JobStatus.RESTARTING && last != JobStatus.RESTARTING) {
                        restarts++;
                        System.out.println("[chaos] the job is restarting (restart " + restarts + ")");
                    }
                    last = s;
                    Thread.sleep(250);
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    last = null; // the cluster is gone (cancelled)
                    return;
                }
            }
        }

        long recordsRead() {
            try {
                Map<String, Object> acc = client.getAccumulators().get();
                long n = 0;
                for (String k : List.of("dossier-events.read", "qr-feedback.read")) {
                    n += acc.get(k) instanceof Number v ? v.longValue() : 0;
                }
                return n;
            } catch (Exception e) {
                return -1;
            }
        }

        boolean failed() {
            return last == JobStatus.FAILED;
        }

        String failure() {
            try {
                client.getJobExecutionResult().getNow(null);
                return "";
            } catch (Exception e) {
                return String.valueOf(e.getCause() == null ? e : e.getCause().getMessage());
            }
        }

        /** The newest completed checkpoint of any run in this scenario (chk-N with its _metadata). */
        Path latestCheckpoint() throws IOException {
            if (!Files.isDirectory(checkpoints)) {
                return null;
            }
            try (Stream<Path> files = Files.walk(checkpoints, 3)) {
                return files.filter(p -> p.getFileName().toString().equals("_metadata"))
                        .max(Comparator.comparingLong(p -> p.toFile().lastModified()))
                        .map(Path::getParent).orElse(null);
            }
        }

        void cancel() {
            watching = false;
            watcher.interrupt();
            try {
                client.cancel().get();
            } catch (Exception e) {
                // already finished or failed: nothing to cancel
            }
        }
    }

    /**
     * Every 30 s: heap used after a full GC and the process's resident set size (VmRSS of /proc/self/status: heap,
     * metaspace, thread stacks, direct buffers, RocksDB's native memory, mapped files), in MB, and RSS less the
     * committed heap (what is resident outside the Java heap), with the records sent and read by the job so far (the
     * job's accumulators, updated every few seconds) and the size of the
     * RocksDB files when there are any. RSS is read 2 s after the GC: G1 returns the heap it shrinks in the background.
     */
    private static final class MemorySampler {
        private static final Path STATUS = Path.of("/proc/self/status");
        private final List<Long> heap = new CopyOnWriteArrayList<>();
        private final List<Long> rss = new CopyOnWriteArrayList<>();
        private final List<Long> outsideHeap = new CopyOnWriteArrayList<>();
        private volatile int duringStream = -1;
        private final LongSupplier sent;
        private final LongSupplier read;
        private final Path rocksDbDir;
        private final Thread thread = new Thread(this::sample, "onestop-chaos-memory");
        private final long t0 = System.nanoTime();
        private volatile boolean running = true;

        MemorySampler(LongSupplier sent, LongSupplier read, Path rocksDbDir) {
            this.sent = sent;
            this.read = read;
            this.rocksDbDir = rocksDbDir;
        }

        void start() {
            thread.setDaemon(true);
            thread.start();
        }

        private void sample() {
            while (running) {
                try {
                    Thread.sleep(30_000);
                } catch (InterruptedException e) {
                    return;
                }
                MEMORY.gc();
                long heapMb = MEMORY.getHeapMemoryUsage().getUsed() >> 20;
                try {
                    Thread.sleep(2_000);
                } catch (InterruptedException e) {
                    return;
                }
                long committedMb = MEMORY.getHeapMemoryUsage().getCommitted() >> 20;
                long nonHeapMb = MEMORY.getNonHeapMemoryUsage().getCommitted() >> 20;
                long rssMb = procStatusKb("VmRSS") >> 10;
                long anonMb = procStatusKb("RssAnon") >> 10;
                heap.add(heapMb);
                rss.add(rssMb);
                outsideHeap.add(rssMb - committedMb);
                long disk = directoryBytes(rocksDbDir);
                System.out.printf(Locale.ROOT, "[chaos] %4d s, %,d records sent, %,d read by the job: heap after GC %,d MB (committed %,d MB, non-heap %,d MB), RSS %,d MB (anonymous %,d MB)%s%n",
                        (System.nanoTime() - t0) / 1_000_000_000L, sent.getAsLong(), read.getAsLong(), heapMb, committedMb, nonHeapMb, rssMb, anonMb,
                        disk < 0 ? "" : String.format(Locale.ROOT, ", RocksDB files %,d MB", disk >> 20));
            }
        }

        /** A field of /proc/self/status in kB; -1 where there is no such file (not Linux). */
        private static long procStatusKb(String field) {
            try {
                for (String l : Files.readAllLines(STATUS)) {
                    if (l.startsWith(field + ":")) {
                        return Long.parseLong(l.substring(field.length() + 1).trim().split("\\s+")[0]);
                    }
                }
            } catch (IOException | RuntimeException e) {
                // not Linux: no figure
            }
            return -1;
        }

        private static long directoryBytes(Path dir) {
            if (!Files.isDirectory(dir)) {
                return -1;
            }
            try (Stream<Path> files = Files.walk(dir)) {
                return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
            } catch (IOException | java.io.UncheckedIOException e) {
                return -1; // files come and go while RocksDB compacts
            }
        }

        void stop() {
            running = false;
            thread.interrupt();
        }

        void streamStopped() {
            duringStream = heap.size();
        }

        /** The samples, those taken after the stream stopped (the reference recomputation in the heap) apart. */
        String format(List<Long> samples) {
            List<Long> all = List.copyOf(samples);
            int n = duringStream < 0 ? all.size() : Math.min(duringStream, all.size());
            String during = all.subList(0, n).toString().replaceAll("[\\[\\]]", "");
            return n == all.size() ? during : during + "; after the stream: " + all.subList(n, all.size()).toString().replaceAll("[\\[\\]]", "");
        }
    }

    private static String env(String name, String dflt) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? dflt : v;
    }
}

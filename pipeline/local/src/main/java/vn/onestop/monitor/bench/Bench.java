package vn.onestop.monitor.bench;

import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.core.execution.JobClient;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import vn.onestop.monitor.MonitorConfig;
import vn.onestop.monitor.ingest.EventParser;
import vn.onestop.monitor.ingest.ParseResult;
import vn.onestop.monitor.ingest.RawRecord;
import vn.onestop.monitor.local.DataDirs;
import vn.onestop.monitor.local.LocalJob;
import vn.onestop.monitor.local.LocalStack;
import vn.onestop.monitor.reference.ReferenceData;
import vn.onestop.monitor.units.UnitRegistry;
import vn.onestop.monitor.sim.SimRecord;
import vn.onestop.monitor.sim.SimulationRun;
import vn.onestop.monitor.sim.SimulationSettings;
import vn.onestop.monitor.sim.Simulator;

import com.sun.management.GarbageCollectionNotificationInfo;

import javax.management.ListenerNotFoundException;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * {@code make bench}: preloads N simulated events into Kafka, then in one run measures (1) the ceiling, a plain
 * Kafka consumer that only reads and parses the same records, and (2) the whole job end to end into PostgreSQL,
 * bounded; prints both rates, their ratio, peak heap, and rows written to PostgreSQL per 1,000 events.
 */
public final class Bench {
    private Bench() {}

    public static void main(String[] args) throws Exception {
        long events = 1_000_000;
        int liveRate = 5000;
        int liveSeconds = 60;
        int liveWarmupSeconds = 30;
        int stateDossiers = 1_000_000;
        int busiestThreads = 0;
        boolean flinkFloor = true;
        boolean keepData = false;
        List<String> rest = new ArrayList<>();
        for (String a : args) {
            if (a.startsWith("--events=")) {
                events = Long.parseLong(a.substring("--events=".length()));
            } else if (a.startsWith("--live-rate=")) {
                liveRate = Integer.parseInt(a.substring("--live-rate=".length()));
            } else if (a.startsWith("--live-warmup-seconds=")) {
                liveWarmupSeconds = Integer.parseInt(a.substring("--live-warmup-seconds=".length()));
            } else if (a.startsWith("--live-seconds=")) {
                liveSeconds = Integer.parseInt(a.substring("--live-seconds=".length()));
            } else if (a.startsWith("--cpu-threads=")) {
                // The N busiest threads of each phase with the part they are counted in: to check the split by name.
                busiestThreads = Integer.parseInt(a.substring("--cpu-threads=".length()));
            } else if (a.startsWith("--keep-data=")) {
                // The runs' Kafka logs and PostgreSQL clusters stay for inspection (a 10M-event run leaves about 5 GB).
                keepData = Boolean.parseBoolean(a.substring("--keep-data=".length()));
            } else if (a.startsWith("--flink-floor=")) {
                flinkFloor = Boolean.parseBoolean(a.substring("--flink-floor=".length()));
            } else if (a.startsWith("--state-dossiers=")) {
                stateDossiers = Integer.parseInt(a.substring("--state-dossiers=".length()));
            } else {
                rest.add(a);
            }
        }
        DataDirCleanup cleanup = new DataDirCleanup(keepData);
        Path dir = cleanup.created(Files.createTempDirectory("onestop-bench"));
        MonitorConfig cfg = MonitorConfig.fromEnvironment(rest.toArray(String[]::new))
                .with("data-dir", dir.toString())
                .with("checkpoint-interval", "PT10S")
                .with("units", LiveBench.probeUnits(dir).toString());
        System.out.printf("bench: %,d events, parallelism %d, %d cores, max heap %d MiB, data in %s%n",
                events, cfg.parallelism(), Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20, dir);
        try (LocalStack stack = events > 0 ? LocalStack.start(cfg) : null;
             CpuSampler cpu = stack == null ? null : new CpuSampler(postgresDir(stack))) {
            MonitorConfig running = stack == null ? null : stack.config();
            if (stack == null) {
                System.out.println("backfill skipped (--events=0)");
            } else {
            CpuSampler.Mark m0 = cpu.mark();
            long published = preload(running, events);
            CpuSampler.Mark m1 = cpu.mark();
            cpu.report("preload", m0, m1, published, false, busiestThreads);
            UnitRegistry units = ReferenceData.registry(stack.job());

            CpuSampler.Mark c0 = cpu.mark();
            double ceiling = ceiling(running, units, published);
            CpuSampler.Mark c1 = cpu.mark();
            System.out.printf("ceiling (plain consumer: read + parse): %,.0f events/s%n", ceiling);
            cpu.report("ceiling", c0, c1, published, false, busiestThreads);


            Map<String, Long> statsBefore = rowsWrittenByTable(stack);
            HeapSampler heap = new HeapSampler();
            heap.start();
            CpuSampler.Mark b0 = cpu.mark();
            long t0 = System.nanoTime();
            JobClient client = LocalJob.start(running, true, "onestop-monitor bench");
            CompletableFuture<JobExecutionResult> done = client.getJobExecutionResult();
            long lastRead = 0;
            long lastAt = t0;
            while (!done.isDone()) {
                try {
                    done.get(10, TimeUnit.SECONDS);
                } catch (TimeoutException stillRunning) {
                    Object read;
                    try {
                        read = client.getAccumulators().get().get("dossier-events.read");
                    } catch (IllegalStateException | java.util.concurrent.ExecutionException finishedMeanwhile) {
                        // The job ended between the wait and this question (the MiniCluster no longer answers): the
                        // loop's next check sees it done.
                        continue;
                    }
                    long n = read instanceof Number num ? num.longValue() : 0;
                    long now = System.nanoTime();
                    // The rate of the last interval and the size of the newest checkpoint show whether per-event cost
                    // and state stay flat as the history grows (the whole-run figures hide both).
                    System.out.printf("[backfill] %,d of %,d dossier events read, %.0f s, %,.0f dossier events/s lately, "
                                    + "newest checkpoint %,d MiB, heap after last GC %,d MiB%n",
                            n, published, (now - t0) / 1e9, (n - lastRead) / ((now - lastAt) / 1e9),
                            checkpointBytes(running.dataDir()) >> 20, heap.liveAfterGc() >> 20);
                    lastRead = n;
                    lastAt = now;
                }
            }
            JobExecutionResult result = done.get();
            double secs = (System.nanoTime() - t0) / 1e9;
            CpuSampler.Mark b1 = cpu.mark();
            heap.stop();
            long read = count(result, "dossier-events.read") + count(result, "qr-feedback.read");
            double endToEnd = read / secs;
            Map<String, Long> statsAfter = rowsWrittenByTable(stack);
            long rows = 0;
            StringBuilder byTable = new StringBuilder();
            for (Map.Entry<String, Long> t : statsAfter.entrySet()) {
                long n = t.getValue() - statsBefore.getOrDefault(t.getKey(), 0L);
                rows += n;
                byTable.append(byTable.length() == 0 ? "" : ", ").append(String.format("%s %.1f", t.getKey(), n * 1000.0 / read));
            }
            System.out.printf("end to end (Kafka → job → PostgreSQL): %,d events in %.1f s = %,.0f events/s%n", read, secs, endToEnd);
            System.out.printf("ratio %.2f (end to end / ceiling)%n", endToEnd / ceiling);
            System.out.printf("peak heap %,d MiB; heap in use right after collections: max %,d MiB (upper bound on live data; whole JVM: broker, database client, MiniCluster)%n",
                    heap.peak() >> 20, heap.maxLiveAfterGc() >> 20);
            System.out.printf("per event: %.1f µs of wall time on %d cores%n", secs * 1e6 / read, Runtime.getRuntime().availableProcessors());
            System.out.printf("PostgreSQL rows written: %,d = %.1f per 1,000 events (%s)%n", rows, rows * 1000.0 / read, byTable);
            cpu.report("backfill (end to end)", b0, b1, read, false, busiestThreads);
            if (flinkFloor) {
                // After the job, not before: it warms the JIT for whatever runs next, so the floor is the flattered one.
                CpuSampler.Mark f0 = cpu.mark();
                double floor = FlinkFloor.run(running, units, published);
                CpuSampler.Mark f1 = cpu.mark();
                System.out.printf("Flink floor (same sources, parse, watermarks, one keyed exchange, one state read + write per event, "
                        + "nothing written): %,.0f events/s = %.2f of the ceiling%n", floor, floor / ceiling);
                cpu.report("Flink floor", f0, f1, published, false, busiestThreads);
                System.out.printf("end to end / Flink floor: %.2f%n", endToEnd / floor);
            }
            }
        }
        // Live and state figures on fresh services, so the backfill's topics do not count in them.
        if (liveSeconds > 0) {
            Path live = cleanup.created(Files.createTempDirectory("onestop-bench-live"));
            try (LocalStack stack = LocalStack.start(cfg.with("data-dir", live.toString()).with("units", LiveBench.probeUnits(live).toString()));
                 CpuSampler cpu = new CpuSampler(postgresDir(stack))) {
                LiveBench.freshness(stack, liveRate, liveSeconds, liveWarmupSeconds, cpu, busiestThreads);
            }
            cleanup.done(live);
        }
        if (stateDossiers > 0) {
            Path state = cleanup.created(Files.createTempDirectory("onestop-bench-state"));
            try (LocalStack stack = LocalStack.start(cfg.with("data-dir", state.toString()))) {
                LiveBench.state(stack, stateDossiers, state);
            }
            cleanup.done(state);
        }
        // Last: the state phase reads its units file from here.
        cleanup.done(dir);
    }

    /** The embedded PostgreSQL's data directory (where LocalStack puts it), null when the bench uses another server. */
    static Path postgresDir(LocalStack stack) {
        return stack.embeddedPostgres() ? stack.dataDir().resolve("postgres") : null;
    }

    /** Simulated history, scaled up so that N events span weeks, sent as fast as the broker takes them. */
    static long preload(MonitorConfig cfg, long events) {
        // From 2019 so that even 50M events (about 23,500 a simulated day: 5.8 years) end before today: Kafka refuses
        // records stamped more than an hour ahead of its clock, and the job would refuse events from the future.
        // The office calendar has holidays from 2023 only; earlier years count every weekday as a working day.
        SimulationSettings settings = SimulationSettings.defaults(42, Instant.parse("2019-01-01T00:00:00+07:00"))
                .withDossiersPerUnitPerDay(400);
        SimulationRun run = Simulator.forDefaultDistrict(settings).records();
        long sent = 0;
        AtomicLong failed = new AtomicLong();
        AtomicReference<Exception> firstFailure = new AtomicReference<>();
        long t0 = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cfg.bootstrapServers(),
                ProducerConfig.CLIENT_ID_CONFIG, "bench-load-preload", // its thread's CPU counts as the load generator's
                ProducerConfig.LINGER_MS_CONFIG, "20",
                ProducerConfig.BATCH_SIZE_CONFIG, "524288",
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "none"), new ByteArraySerializer(), new ByteArraySerializer())) {
            while (sent < events && run.hasNext()) {
                SimRecord r = run.next();
                String topic = r.topic().equals(SimRecord.DOSSIER_EVENTS) ? cfg.dossierTopic() : cfg.feedbackTopic();
                producer.send(new ProducerRecord<>(topic, null, r.sendAt(), r.keyBytes(), r.payload()), (meta, e) -> {
                    if (e != null) {
                        failed.incrementAndGet();
                        firstFailure.compareAndSet(null, e);
                    }
                });
                sent++;
                if (sent % 100_000 == 0) {
                    System.out.printf("\r[preload] %,d of %,d events   ", sent, events);
                }
            }
            producer.flush();
        }
        if (failed.get() > 0) {
            // Measuring with records missing would wait forever for them (ceiling) or report a rate over fewer events.
            throw new IllegalStateException(String.format("the broker refused %,d of %,d preloaded records (first: %s); "
                    + "with a simulated history reaching past today, use fewer events", failed.get(), sent, firstFailure.get()));
        }
        System.out.printf("\r[preload] %,d events in %.1f s%n", sent, (System.nanoTime() - t0) / 1e9);
        return sent;
    }

    static double ceiling(MonitorConfig cfg, UnitRegistry units, long expected) {
        EventParser parser = new EventParser(units, cfg.maxFutureSkew(), cfg.maxRecordBytes());
        long n = 0;
        long ok = 0;
        long t0 = System.nanoTime();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(Map.of(
                "bootstrap.servers", cfg.bootstrapServers(), "max.poll.records", "5000",
                "fetch.min.bytes", "1048576", "fetch.max.wait.ms", "100"), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = new ArrayList<>();
            for (String topic : List.of(cfg.dossierTopic(), cfg.feedbackTopic())) {
                c.partitionsFor(topic).forEach(p -> parts.add(new TopicPartition(topic, p.partition())));
            }
            c.assign(parts);
            c.seekToBeginning(parts);
            while (n < expected) {
                ConsumerRecords<byte[], byte[]> batch = c.poll(Duration.ofMillis(500));
                for (ConsumerRecord<byte[], byte[]> r : batch) {
                    RawRecord raw = new RawRecord(r.topic(), r.partition(), r.offset(), r.timestamp(), r.value());
                    ParseResult<?> p = r.topic().equals(cfg.dossierTopic()) ? parser.parseDossierEvent(raw) : parser.parseFeedback(raw);
                    if (p.isOk()) {
                        ok++;
                    }
                    n++;
                }
            }
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        System.out.printf("ceiling read %,d records (%,d valid) in %.1f s%n", n, ok, secs);
        return n / secs;
    }

    /** Size of the newest completed checkpoint under the data directory (0 before the first one). */
    static long checkpointBytes(Path dataDir) {
        Path root = dataDir.resolve("checkpoints");
        try (Stream<Path> dirs = Files.find(root, 2, (p, a) -> a.isDirectory() && p.getFileName().toString().startsWith("chk-"))) {
            Path newest = dirs.filter(p -> Files.exists(p.resolve("_metadata")))
                    .max(Comparator.comparingLong(p -> Long.parseLong(p.getFileName().toString().substring(4)))).orElse(null);
            if (newest == null) {
                return 0;
            }
            try (Stream<Path> files = Files.walk(newest)) {
                return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
            }
        } catch (IOException | UncheckedIOException e) {
            return -1; // the checkpoint was replaced while being measured; the next line will have it
        }
    }

    /** Inserted plus updated rows of the job's tables, from PostgreSQL's own statistics. */
    /** Rows inserted or updated so far in each table the job writes, from PostgreSQL's statistics. */
    static Map<String, Long> rowsWrittenByTable(LocalStack stack) throws Exception {
        Thread.sleep(600); // statistics are flushed to the stats system at most every 500 ms
        Map<String, Long> rows = new java.util.TreeMap<>();
        try (Connection c = stack.admin().connect(); ResultSet rs = c.createStatement().executeQuery(
                "SELECT relname, n_tup_ins + n_tup_upd FROM pg_stat_user_tables WHERE relname IN ('kpi_hourly','dossier','dead_letter','sla_alert')")) {
            while (rs.next()) {
                rows.put(rs.getString(1), rs.getLong(2));
            }
        }
        return rows;
    }

    static long count(JobExecutionResult r, String name) {
        Object v = r.getAllAccumulatorResults().get(name);
        return v instanceof Number n ? n.longValue() : 0;
    }

    /**
     * Samples used heap every 100 ms for the peak, and listens to the collector: the heap in use right after each
     * collection is an upper bound on the live data (state included) that needs no forced collection. G1 frees
     * old-generation garbage only in mixed collections, so the figure includes some garbage; its trend over a long
     * run, not its level, tells whether memory is bounded.
     */
    /**
     * Removes each phase's data directory once its services are stopped, and whatever is left at exit (a failed or
     * interrupted run): a 1M-event run leaves about 0.6 GB of Kafka logs and PostgreSQL files, a 10M one about 5 GB.
     */
    static final class DataDirCleanup {
        private final boolean keep;
        private final java.util.Set<Path> left = java.util.concurrent.ConcurrentHashMap.newKeySet();

        DataDirCleanup(boolean keep) {
            this.keep = keep;
            if (!keep) {
                Runtime.getRuntime().addShutdownHook(new Thread(() -> left.forEach(DataDirCleanup::deleteQuietly), "bench-cleanup"));
            }
        }

        Path created(Path dir) {
            left.add(dir);
            return dir;
        }

        void done(Path dir) {
            if (keep) {
                System.out.println("data kept in " + dir);
                return;
            }
            deleteQuietly(dir);
            left.remove(dir);
        }

        private static void deleteQuietly(Path dir) {
            try {
                DataDirs.deleteTree(dir);
            } catch (IOException | UncheckedIOException e) {
                System.err.println("could not remove " + dir + " (" + e + "); remove it by hand");
            }
        }
    }

    static final class HeapSampler {
        private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        private final List<String> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP).map(MemoryPoolMXBean::getName).toList();
        private final AtomicLong peak = new AtomicLong();
        private final AtomicLong lastAfterGc = new AtomicLong();
        private final AtomicLong maxAfterGc = new AtomicLong();
        private final List<NotificationEmitter> emitters = new ArrayList<>();
        private final NotificationListener listener = (n, handback) -> {
            if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
                GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
                Map<String, MemoryUsage> after = info.getGcInfo().getMemoryUsageAfterGc();
                long used = heapPools.stream().map(after::get).filter(Objects::nonNull).mapToLong(MemoryUsage::getUsed).sum();
                lastAfterGc.set(used);
                maxAfterGc.accumulateAndGet(used, Math::max);
            }
        };
        private volatile boolean running = true;
        private CompletableFuture<Void> task;

        void start() {
            for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                if (gc instanceof NotificationEmitter e) {
                    e.addNotificationListener(listener, null, null);
                    emitters.add(e);
                }
            }
            task = CompletableFuture.runAsync(() -> {
                while (running) {
                    peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                    try {
                        Thread.sleep(100);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
        }

        void stop() {
            running = false;
            task.join();
            for (NotificationEmitter e : emitters) {
                try {
                    e.removeNotificationListener(listener);
                } catch (ListenerNotFoundException ignored) {
                    // never added
                }
            }
        }

        long peak() {
            return peak.get();
        }

        long maxLiveAfterGc() {
            return maxAfterGc.get();
        }

        long liveAfterGc() {
            return lastAfterGc.get();
        }
    }
}

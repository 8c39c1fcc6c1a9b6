package vn.onestop.monitor.bench;

import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import vn.onestop.monitor.MonitorConfig;
import vn.onestop.monitor.ingest.LocalClock;
import vn.onestop.monitor.local.LocalJob;
import vn.onestop.monitor.local.LocalStack;
import vn.onestop.monitor.sink.Database;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * Live figures of {@code make bench}: with a steady producer at a given rate, how long from an event's send until
 * its effect is visible in {@code unit_kpi_hourly}, and from a dossier's due time until its DOSSIER_OVERDUE alert is
 * in {@code sla_alert}; then the state of N open dossiers: bytes per dossier and savepoint duration.
 */
final class LiveBench {
    static final String PROBE_UNIT = "PROBE";
    /** Seconds the steady stream goes on after the last probe is sent (its alert is due one second after sending). */
    private static final int STREAM_AFTER_PROBES_S = 4;

    private LiveBench() {}

    /**
     * The default registry plus a unit only the probes use, so that each probe's effect is a row nobody else writes.
     * A units file replaces the whole registry, hence the default rows; the probe sits under Hải Phòng (31) and has
     * no successions, so the default successions (which name only default units) are not needed by it.
     */
    static Path probeUnits(Path dir) throws IOException {
        Path csv = dir.resolve("probe-units.csv");
        try (var in = LiveBench.class.getResourceAsStream("/reference/units.csv")) {
            String defaults = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).stripTrailing();
            Files.writeString(csv, defaults + "\n" + PROBE_UNIT + ",Benchmark probe,COMMUNE,31,,\n");
        }
        return csv;
    }

    /**
     * @param warmupSeconds the stream runs at {@code rate} this long before probes and the CPU window start: a newly
     *                      started job JIT-compiles (and deoptimises and recompiles) its live paths for about half a
     *                      minute — C2 compilations per 10 s fell 643 → 355 → 202 → 134 → 56 over the first minute of a
     *                      live phase (-XX:+PrintCompilation, 2026-11-30) — and a running deployment has long paid that
     */
    static void freshness(LocalStack stack, int rate, int seconds, int warmupSeconds, CpuSampler cpu, int busiestThreads) throws Exception {
        MonitorConfig cfg = stack.config();
        JobClient job = LocalJob.start(cfg, false, "onestop-monitor live bench");
        Thread.sleep(8000); // job start-up
        long base = Instant.now().minusSeconds(25L * 86400).toEpochMilli() / 3_600_000L * 3_600_000L;
        Map<Long, Long> sentAt = new ConcurrentHashMap<>();
        Map<String, Long> dueAt = new ConcurrentHashMap<>();
        List<Long> kpiLatency = Collections.synchronizedList(new ArrayList<>());
        List<Long> alertLatency = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean running = new AtomicBoolean(true);

        Map<String, Long> alertSeen = new ConcurrentHashMap<>();
        long[] startedAt = new long[1];
        Thread poller = new Thread(() -> poll(stack.admin(), running, sentAt, dueAt, kpiLatency, alertLatency, alertSeen), "freshness-poller");
        poller.start();
        long sent = 0;
        int probes = 0;
        CpuSampler.Mark from;
        CpuSampler.Mark to;
        try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cfg.bootstrapServers(),
                ProducerConfig.CLIENT_ID_CONFIG, "bench-load-live", // its thread's CPU counts as the load generator's
                ProducerConfig.LINGER_MS_CONFIG, "5"), new ByteArraySerializer(), new ByteArraySerializer())) {
            String[] units = {"11239", "11242", "11254", "11257", "11284", "10543", "10891"}; // communes valid since 2025-07-01
            long warmStart = System.currentTimeMillis();
            long warmSent = 0;
            while (System.currentTimeMillis() < warmStart + warmupSeconds * 1000L) {
                long now = System.currentTimeMillis();
                for (long due = (now - warmStart) * rate / 1000; warmSent < due; warmSent++) {
                    p.send(record(cfg.dossierTopic(), "W-" + warmSent, units[(int) (warmSent % units.length)], now, now + 86_400_000L));
                }
                Thread.sleep(2);
            }
            if (warmupSeconds > 0) {
                System.out.printf("live warm-up: %,d events at %,d events/s for %d s before the measured window%n", warmSent, rate, warmupSeconds);
            }
            from = cpu.mark();
            long start = System.currentTimeMillis();
            startedAt[0] = start;
            // The steady stream goes on 3 s past the last probe's due time: a probe due after the stream stopped would
            // measure the idle-source path (event time then moves with the clock only after source-idleness), which
            // is a different figure from freshness under a steady stream.
            long end = start + (seconds + STREAM_AFTER_PROBES_S) * 1000L;
            int probe = 0;
            while (System.currentTimeMillis() < end) {
                long now = System.currentTimeMillis();
                long due = (now - start) * rate / 1000;
                while (sent < due) {
                    String id = "L-" + sent;
                    // Live events happen now: offices send as they work (late batches are the replay's concern).
                    p.send(record(cfg.dossierTopic(), id, units[(int) (sent % units.length)], now, now + 86_400_000L));
                    sent++;
                }
                if (now - start >= probe * 100L && probe < seconds * 10) {
                    // KPI probe: a receipt in its own past hour of the probe unit.
                    long hour = base + probe * 3_600_000L;
                    sentAt.put(hour, System.currentTimeMillis());
                    p.send(record(cfg.dossierTopic(), "P-" + probe, PROBE_UNIT, hour + 60_000, hour + 86_400_000L * 40));
                    // Alert probe: due one second from now, never resolved.
                    if (probe % 5 == 0) {
                        long dueTime = System.currentTimeMillis() + 1000;
                        dueAt.put("A-" + probe, dueTime);
                        p.send(record(cfg.dossierTopic(), "A-" + probe, PROBE_UNIT, System.currentTimeMillis(), dueTime));
                        probes++;
                    }
                    probes++;
                    probe++;
                }
                Thread.sleep(2);
            }
            p.flush();
            to = cpu.mark();
        }
        Thread.sleep(5000);
        running.set(false);
        poller.join();
        job.cancel().get();
        System.out.printf("live: %,d events at %,d events/s for %d s (probes in the first %d s); %d KPI probes, %d alert probes%n",
                sent, rate, seconds + STREAM_AFTER_PROBES_S, seconds, sentAt.size(), dueAt.size());
        System.out.printf("live freshness (send → unit_kpi_hourly): p50 %d ms, p99 %d ms (%d of %d probes seen)%n",
                pct(kpiLatency, 50), pct(kpiLatency, 99), kpiLatency.size(), sentAt.size());
        System.out.printf("overdue alert (due time → sla_alert): p50 %d ms, p99 %d ms (%d of %d seen)%n",
                pct(alertLatency, 50), pct(alertLatency, 99), alertLatency.size(), dueAt.size());
        // Where the tail sits in the run (seconds after the producer started) tells warm-up from steady state.
        System.out.printf("slowest alerts: %s%n", alertSeen.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(5)
                .map(e -> String.format("%d ms (due at %.1f s)", e.getValue(), (dueAt.get(e.getKey()) - startedAt[0]) / 1000.0))
                .toList());
        // The steady stream's span only: start-up before it and the wait for the last probes after it are not per-event cost.
        cpu.report("live (steady stream)", from, to, sent + probes, true, busiestThreads);
    }

    private static void poll(Database db, AtomicBoolean running, Map<Long, Long> sentAt, Map<String, Long> dueAt,
                             List<Long> kpiLatency, List<Long> alertLatency, Map<String, Long> alertSeen) {
        Map<Long, Boolean> seenHours = new HashMap<>();
        Map<String, Boolean> seenAlerts = new HashMap<>();
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            while (running.get()) {
                long now = System.currentTimeMillis();
                try (ResultSet rs = s.executeQuery("SELECT extract(epoch FROM hour)::bigint * 1000 FROM kpi_hourly WHERE unit_code = '" + PROBE_UNIT + "'")) {
                    while (rs.next()) {
                        long hour = rs.getLong(1);
                        Long sent = sentAt.get(hour);
                        if (sent != null && seenHours.putIfAbsent(hour, Boolean.TRUE) == null) {
                            kpiLatency.add(now - sent);
                        }
                    }
                }
                try (ResultSet rs = s.executeQuery("SELECT dossier_id FROM sla_alert WHERE kind = 'DOSSIER_OVERDUE' AND unit_code = '" + PROBE_UNIT + "'")) {
                    while (rs.next()) {
                        String id = rs.getString(1);
                        Long due = dueAt.get(id);
                        if (due != null && seenAlerts.putIfAbsent(id, Boolean.TRUE) == null) {
                            alertLatency.add(now - due);
                            alertSeen.put(id, now - due);
                        }
                    }
                }
                Thread.sleep(10);
            }
        } catch (Exception e) {
            System.err.println("freshness poller stopped: " + e.getMessage());
        }
    }

    static ProducerRecord<byte[], byte[]> record(String topic, String dossier, String unit, long occurredAt, long dueAt) {
        String json = "{\"eventId\":\"" + dossier + "-r\",\"dossierId\":\"" + dossier + "\",\"type\":\"RECEIVED\",\"occurredAt\":\""
                + iso(occurredAt) + "\",\"unitCode\":\"" + unit + "\",\"procedureCode\":\"2.000815\",\"channel\":\"ONLINE\",\"dueAt\":\""
                + iso(dueAt) + "\",\"digitised\":true}";
        return new ProducerRecord<>(topic, dossier.getBytes(StandardCharsets.UTF_8), json.getBytes(StandardCharsets.UTF_8));
    }

    static String iso(long t) {
        return OffsetDateTime.ofInstant(Instant.ofEpochMilli(t), LocalClock.ZONE).toString();
    }

    static long pct(List<Long> values, int p) {
        if (values.isEmpty()) {
            return -1;
        }
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }

    /** N open dossiers in state, then a savepoint: its size per dossier and how long it took. */
    static void state(LocalStack stack, int dossiers, Path dir) throws Exception {
        MonitorConfig cfg = stack.config();
        long now = System.currentTimeMillis();
        try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cfg.bootstrapServers(),
                ProducerConfig.LINGER_MS_CONFIG, "20", ProducerConfig.BATCH_SIZE_CONFIG, "524288"), new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < dossiers; i++) {
                p.send(record(cfg.dossierTopic(), String.format("000.00.11239.H23-S-%07d", i), "11239", now - 3_600_000L + i % 3_000_000, now + 40L * 86_400_000L));
            }
            p.flush();
        }
        JobClient job = LocalJob.start(cfg.with("checkpoint-interval", "PT0S"), false, "onestop-monitor state bench");
        long deadline = System.currentTimeMillis() + 20 * 60_000L;
        while (System.currentTimeMillis() < deadline) {
            Object read = job.getAccumulators().get().get("dossier-events.read");
            if (read instanceof Number n && n.longValue() >= dossiers) {
                break;
            }
            Thread.sleep(1000);
        }
        Path savepoints = dir.resolve("savepoints");
        long t0 = System.nanoTime();
        String location = job.triggerSavepoint(savepoints.toUri().toString(), SavepointFormatType.CANONICAL).get();
        double secs = (System.nanoTime() - t0) / 1e9;
        long bytes;
        try (Stream<Path> files = Files.walk(Path.of(java.net.URI.create(location)))) {
            bytes = files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        }
        job.cancel().get();
        System.out.printf("state: %,d open dossiers → savepoint %,d bytes = %.0f bytes per dossier, taken in %.2f s%n",
                dossiers, bytes, (double) bytes / dossiers, secs);
    }
}

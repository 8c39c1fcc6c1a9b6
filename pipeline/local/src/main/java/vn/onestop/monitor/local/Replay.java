package vn.onestop.monitor.local;

import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.core.execution.JobClient;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import vn.onestop.monitor.MonitorConfig;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * {@code make replay}: publishes NDJSON history to the topics, runs the same job bounded until it has caught up,
 * and prints what it read. Without JDBC_URL / BOOTSTRAP_SERVERS it uses the embedded services and their data
 * directory, so successive replays accumulate (the job re-reads each topic from the start and deduplicates).
 */
public final class Replay {
    private Replay() {}

    public record Summary(long dossierRecords, long feedbackRecords, long deadLetters, long duplicates) {
        public long read() {
            return dossierRecords + feedbackRecords;
        }

        public String line() {
            return String.format("replay done: %,d events read (dossier-events %,d, qr-feedback %,d), %,d dead letters, %,d duplicates",
                    read(), dossierRecords, feedbackRecords, deadLetters, duplicates);
        }
    }

    public static void main(String[] args) throws Exception {
        List<String> rest = new ArrayList<>();
        String dossiers = System.getenv("DOSSIERS");
        String feedback = System.getenv("FEEDBACK");
        for (String a : args) {
            if (a.startsWith("--dossiers=")) {
                dossiers = a.substring("--dossiers=".length());
            } else if (a.startsWith("--feedback=")) {
                feedback = a.substring("--feedback=".length());
            } else {
                rest.add(a);
            }
        }
        if (isBlank(dossiers) && isBlank(feedback)) {
            System.err.println("Nothing to replay: give DOSSIERS=<file.ndjson> and/or FEEDBACK=<file.ndjson>, e.g.\n"
                    + "  make replay DOSSIERS=data/dossiers.ndjson FEEDBACK=data/feedback.ndjson\n"
                    + "('make dataset' writes such files from the simulator.)");
            System.exit(2);
        }
        LocalConfig local = LocalConfig.fromEnvironment(rest.toArray(String[]::new));
        MonitorConfig base = local.job();
        MonitorConfig cfg = base.with("data-dir", base.dataDir().resolve("replay").toString());
        try (LocalStack stack = LocalStack.start(local.withJob(cfg))) {
            Summary s = run(stack.config(), isBlank(dossiers) ? null : Path.of(dossiers), isBlank(feedback) ? null : Path.of(feedback), System.out);
            System.out.println(s.line());
            if (stack.embeddedPostgres()) {
                System.out.println("results: embedded PostgreSQL, data in " + stack.dataDir().resolve("postgres")
                        + " (tables kpi_hourly, dossier, dead_letter; views unit_kpi_daily, unit_kpi_hourly)");
            } else {
                System.out.println("results: " + cfg.jdbcUrl());
            }
        }
    }

    /** Publishes the files (either may be null) and runs the job bounded over everything the topics hold. */
    public static Summary run(MonitorConfig cfg, Path dossiers, Path feedback, PrintStream progress) throws Exception {
        if (dossiers != null) {
            NdjsonPublisher.publish(cfg.bootstrapServers(), cfg.dossierTopic(), dossiers, "dossierId", progress);
        }
        if (feedback != null) {
            NdjsonPublisher.publish(cfg.bootstrapServers(), cfg.feedbackTopic(), feedback, "feedbackId", progress);
        }
        long total = recordsHeld(cfg, cfg.dossierTopic()) + recordsHeld(cfg, cfg.feedbackTopic());
        JobClient client = LocalJob.start(cfg, true, "onestop-monitor replay");
        CompletableFuture<JobExecutionResult> done = client.getJobExecutionResult();
        long started = System.currentTimeMillis();
        while (!done.isDone()) {
            Thread.sleep(500);
            if (progress != null && !done.isDone()) {
                long read = readSoFar(client);
                double secs = Math.max(0.001, (System.currentTimeMillis() - started) / 1000.0);
                progress.printf("\r[job] %,d of %,d records processed (%d%%), %,.0f records/s   ", read, total, total == 0 ? 100 : read * 100 / total, read / secs);
            }
        }
        JobExecutionResult result;
        try {
            result = done.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("The replay job failed: " + e.getCause().getMessage()
                    + ". Nothing was half-counted (rows are absolute); fix the cause and run make replay again.", e.getCause());
        }
        if (progress != null) {
            progress.printf("\r[job] %,d of %,d records processed in %.1f s%n", total, total, (System.currentTimeMillis() - started) / 1000.0);
        }
        Map<String, Object> acc = result.getAllAccumulatorResults();
        return new Summary(
                count(acc, "dossier-events.read"),
                count(acc, "qr-feedback.read"),
                count(acc, "dossier-events.dead-letters") + count(acc, "qr-feedback.dead-letters")
                        + count(acc, "dossier-events.too-late") + count(acc, "qr-feedback.too-late")
                        + count(acc, "dossier-events.id-conflicts"),
                count(acc, "dossier-events.duplicates") + count(acc, "qr-feedback.duplicates"));
    }

    private static long readSoFar(JobClient client) {
        try {
            Map<String, Object> acc = client.getAccumulators().get();
            return count(acc, "dossier-events.read") + count(acc, "qr-feedback.read");
        } catch (Exception e) {
            return 0;
        }
    }

    static long count(Map<String, Object> acc, String name) {
        Object v = acc.get(name);
        return v instanceof Number n ? n.longValue() : 0;
    }

    static long recordsHeld(MonitorConfig cfg, String topic) {
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(Map.of("bootstrap.servers", cfg.bootstrapServers()),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = new ArrayList<>();
            for (PartitionInfo p : c.partitionsFor(topic)) {
                parts.add(new TopicPartition(topic, p.partition()));
            }
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            Map<TopicPartition, Long> begin = c.beginningOffsets(parts);
            long n = 0;
            for (TopicPartition tp : parts) {
                n += end.get(tp) - begin.get(tp);
            }
            return n;
        }
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}

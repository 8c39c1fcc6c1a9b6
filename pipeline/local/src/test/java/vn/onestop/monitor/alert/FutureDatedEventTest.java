package vn.onestop.monitor.alert;

import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import vn.onestop.monitor.MonitorConfig;
import vn.onestop.monitor.MonitorJob;
import vn.onestop.monitor.KafkaSources;
import vn.onestop.monitor.local.LocalStack;
import vn.onestop.monitor.reference.JobReference;
import vn.onestop.monitor.PostgresSinks;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Live operation on real Kafka and PostgreSQL: among current events comes one dated 20 hours ahead (the parser accepts
 * up to a day of clock skew). Event time must not follow it past the wall clock: every other dossier's overdue alert
 * must still appear in sla_alert within a minute of its due time — not before it, and not never. One source subtask
 * reads both partitions (parallelism 1), so the future event reaches the same event-time clock as all the others, as
 * it does whenever a subtask reads several partitions: event time is taken after the source, per subtask.
 */
class FutureDatedEventTest {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    @TempDir
    Path dir;

    private static String receipt(String dossier, Instant at, Instant due) {
        return String.format("{\"eventId\":\"%s-r\",\"dossierId\":\"%s\",\"type\":\"RECEIVED\",\"occurredAt\":\"%s\","
                        + "\"unitCode\":\"11242\",\"procedureCode\":\"2.000815\",\"channel\":\"DIRECT\",\"dueAt\":\"%s\",\"digitised\":true}",
                dossier, dossier, OffsetDateTime.ofInstant(at, ZoneOffset.ofHours(7)), OffsetDateTime.ofInstant(due, ZoneOffset.ofHours(7)));
    }

    @Test
    void anEventDatedTwentyHoursAheadDoesNotMoveOtherDossiersAlerts() throws Exception {
        try (LocalStack stack = LocalStack.start(MonitorConfig.from(new String[] {"--data-dir=" + dir, "--parallelism=1"}, Map.of()))) {
            MonitorConfig cfg = stack.config();
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
            MonitorJob.configure(env, cfg);
            MonitorJob.build(env, cfg, new KafkaSources(cfg, false), new PostgresSinks(stack.job(), cfg), JobReference.load(stack.job()));
            JobClient job = env.executeAsync("live with a future-dated event");
            try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(Map.of("bootstrap.servers", cfg.bootstrapServers()),
                    new ByteArraySerializer(), new ByteArraySerializer())) {
                Instant now = Instant.now();
                Map<String, Instant> due = new LinkedHashMap<>();
                for (int i = 0; i < 6; i++) {
                    due.put("NOW-" + i, now.plusSeconds(12 + 3L * i));
                }
                // Current receipts, the one from the future in the middle of them, more current receipts after it.
                int sent = 0;
                for (Map.Entry<String, Instant> d : due.entrySet()) {
                    if (sent++ == 3) {
                        Instant ahead = now.plus(Duration.ofHours(20));
                        send(p, cfg, "AHEAD-1", receipt("AHEAD-1", ahead, ahead.plus(Duration.ofHours(1))));
                    }
                    send(p, cfg, d.getKey(), receipt(d.getKey(), now.minusSeconds(3600), d.getValue()));
                }

                Map<String, Instant> seenAt = new LinkedHashMap<>();
                Instant bound = due.values().stream().max(Instant::compareTo).orElseThrow().plus(Duration.ofMinutes(1));
                while (seenAt.size() < due.size() && Instant.now().isBefore(bound)) {
                    Instant polled = Instant.now();
                    for (String dossier : overdueAlerts(stack)) {
                        if (due.containsKey(dossier) && !seenAt.containsKey(dossier)) {
                            seenAt.put(dossier, polled);
                        }
                    }
                    Thread.sleep(200);
                }
                due.forEach((dossier, at) -> System.out.printf("%s: overdue alert %s%n", dossier,
                        seenAt.containsKey(dossier) ? String.format("%.1f s after its due time", Duration.between(at, seenAt.get(dossier)).toMillis() / 1000.0) : "never seen"));
                assertThat(seenAt.keySet()).as("dossiers whose overdue alert appeared within a minute of the due time").isEqualTo(due.keySet());
                seenAt.forEach((dossier, at) -> assertThat(at).as(dossier + " alert not before its due time").isAfterOrEqualTo(due.get(dossier)));
                assertThat(overdueAlerts(stack)).doesNotContain("AHEAD-1");
            } finally {
                job.cancel().get();
            }
        }
    }

    private static void send(KafkaProducer<byte[], byte[]> p, MonitorConfig cfg, String key, String json) throws Exception {
        p.send(new ProducerRecord<>(cfg.dossierTopic(), key.getBytes(StandardCharsets.UTF_8), json.getBytes(StandardCharsets.UTF_8))).get();
    }

    private static java.util.List<String> overdueAlerts(LocalStack stack) throws Exception {
        java.util.List<String> out = new java.util.ArrayList<>();
        try (Connection c = stack.reader().connect();
             ResultSet rs = c.createStatement().executeQuery("SELECT dossier_id FROM sla_alert WHERE kind = 'DOSSIER_OVERDUE'")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }
}

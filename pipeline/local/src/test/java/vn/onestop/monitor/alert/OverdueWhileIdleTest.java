package vn.onestop.monitor.alert;

import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
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
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Live operation on real Kafka and PostgreSQL: one dossier is received, then the input goes completely quiet. Its
 * DOSSIER_OVERDUE alert must still reach sla_alert and the sla-alerts topic within one minute of its due time
 * (docs/ALERTS.md), although no event arrives to move event time.
 */
class OverdueWhileIdleTest {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    @TempDir
    Path dir;

    @Test
    void anOverdueAlertArrivesWithinAMinuteOfTheDueTimeWhenNothingElseHappens() throws Exception {
        try (LocalStack stack = LocalStack.start(MonitorConfig.from(new String[] {"--data-dir=" + dir, "--parallelism=2"}, Map.of()))) {
            MonitorConfig cfg = stack.config();
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
            MonitorJob.configure(env, cfg);
            MonitorJob.build(env, cfg, new KafkaSources(cfg, false), new PostgresSinks(stack.job(), cfg), JobReference.load(stack.job()));
            JobClient job = env.executeAsync("live");
            try {
                Instant now = Instant.now();
                Instant due = now.plusSeconds(10);
                String receipt = String.format("{\"eventId\":\"live-1\",\"dossierId\":\"LIVE-1\",\"type\":\"RECEIVED\",\"occurredAt\":\"%s\","
                                + "\"unitCode\":\"11242\",\"procedureCode\":\"2.000815\",\"channel\":\"DIRECT\",\"dueAt\":\"%s\",\"digitised\":true}",
                        OffsetDateTime.ofInstant(now.minusSeconds(3600), ZoneOffset.ofHours(7)), OffsetDateTime.ofInstant(due, ZoneOffset.ofHours(7)));
                try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(Map.of("bootstrap.servers", cfg.bootstrapServers()),
                        new ByteArraySerializer(), new ByteArraySerializer())) {
                    p.send(new ProducerRecord<>(cfg.dossierTopic(), "LIVE-1".getBytes(StandardCharsets.UTF_8), receipt.getBytes(StandardCharsets.UTF_8))).get();
                }

                // Poll until the bound has passed; the alert must be there by then.
                Instant bound = due.plus(Duration.ofMinutes(1));
                Instant seenAt = null;
                while (seenAt == null && Instant.now().isBefore(bound)) {
                    if (overdueAlertOpenedAt(stack) != null) {
                        seenAt = Instant.now();
                    } else {
                        Thread.sleep(250);
                    }
                }
                assertThat(seenAt).as("DOSSIER_OVERDUE in sla_alert within one minute of the due time").isNotNull();
                System.out.printf("overdue alert visible in sla_alert %.1f s after the due time%n", Duration.between(due, seenAt).toMillis() / 1000.0);
                assertThat(overdueAlertOpenedAt(stack)).isEqualTo(due.toEpochMilli());

                try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(Map.of("bootstrap.servers", cfg.bootstrapServers(),
                        "auto.offset.reset", "earliest", "group.id", "test-reader"), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
                    c.subscribe(List.of(cfg.alertTopic()));
                    boolean onTopic = false;
                    Instant deadline = Instant.now().plusSeconds(30);
                    while (!onTopic && Instant.now().isBefore(deadline)) {
                        for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
                            String json = new String(r.value(), StandardCharsets.UTF_8);
                            onTopic |= json.contains("\"kind\":\"DOSSIER_OVERDUE\"") && json.contains("\"dossierId\":\"LIVE-1\"");
                        }
                    }
                    assertThat(onTopic).as("the alert also reaches the sla-alerts topic").isTrue();
                }
            } finally {
                job.cancel().get();
            }
        }
    }

    private static Long overdueAlertOpenedAt(LocalStack stack) throws Exception {
        try (Connection c = stack.reader().connect();
             PreparedStatement ps = c.prepareStatement("SELECT opened_at FROM sla_alert WHERE kind = 'DOSSIER_OVERDUE' AND dossier_id = 'LIVE-1'")) {
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getTimestamp(1).getTime() : null;
            }
        }
    }
}

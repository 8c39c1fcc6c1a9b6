package vn.onestop.monitor.chaos;

import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import vn.onestop.monitor.MonitorConfig;
import vn.onestop.monitor.MonitorJob;
import vn.onestop.monitor.KafkaSources;
import vn.onestop.monitor.local.LocalStack;
import vn.onestop.monitor.reference.JobReference;
import vn.onestop.monitor.sim.SimRecord;
import vn.onestop.monitor.sim.SimulationSettings;
import vn.onestop.monitor.sim.Simulator;
import vn.onestop.monitor.PostgresSinks;
import vn.onestop.monitor.recount.Recount;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole bad-input corpus through the whole job (MiniCluster at parallelism 2, real Kafka, real PostgreSQL),
 * interleaved with a clean simulated week: every bad record must be in dead_letter at its exact topic, partition and
 * offset with the reason written next to it in the corpus, and nothing else may be; the valid events' daily counts
 * must equal the independent recomputation; the job must finish normally (a poisoned record never stops it). A
 * RESOLVED whose RECEIVED never comes must stay visible as a PENDING_RECEIPT dossier and not be counted.
 */
class BadInputPipelineTest {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    static final String PENDING = "{\"eventId\":\"pending-1\",\"dossierId\":\"PENDING-RECEIPT-1\",\"type\":\"RESOLVED\","
            + "\"occurredAt\":\"2024-03-06T10:00:00+07:00\",\"unitCode\":\"11239\",\"resultDigitised\":true}";

    @TempDir
    Path dir;

    @Test
    void everyBadRecordIsDeadLetteredWithItsReasonAndOffsetAndTheValidOnesAreCounted() throws Exception {
        try (LocalStack stack = LocalStack.start(MonitorConfig.from(new String[] {
                "--data-dir=" + dir.resolve("data"), "--parallelism=2", "--checkpoint-interval=PT1S"}, Map.of()))) {
            MonitorConfig cfg = stack.config();
            List<BadInputCorpus.Entry> bad = new ArrayList<>(BadInputCorpus.load(BadInputCorpus.DOSSIER_EVENTS));
            bad.addAll(BadInputCorpus.load(BadInputCorpus.QR_FEEDBACK));
            Simulator sim = Simulator.forDefaultDistrict(SimulationSettings.defaults(5, Instant.parse("2024-03-04T00:00:00Z"))
                    .withDossiersPerUnitPerDay(6).withCleanDelivery());

            Recount reference = new Recount();
            List<SimRecord> valid = new ArrayList<>();
            sim.stream(Instant.parse("2024-03-09T00:00:00Z")).forEach(valid::add);
            for (SimRecord r : valid) {
                if (r.topic().equals(SimRecord.DOSSIER_EVENTS)) {
                    reference.dossierLine(r.payload());
                } else {
                    reference.feedbackLine(r.payload());
                }
            }
            Map<String, List<Long>> expectedCounts = reference.daily();

            // Sent interleaved: a bad record after every few valid ones, so they share partitions and batches.
            Map<String, String> expectedDead = new TreeMap<>();
            Map<String, byte[]> badPayloads = new TreeMap<>();
            long[] sentPerTopic = new long[2];
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cfg.bootstrapServers(),
                    ProducerConfig.ACKS_CONFIG, "all",
                    ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true",
                    ProducerConfig.MAX_REQUEST_SIZE_CONFIG, "4194304"), new ByteArraySerializer(), new ByteArraySerializer())) {
                List<Future<RecordMetadata>> badSent = new ArrayList<>();
                Iterator<BadInputCorpus.Entry> badLeft = bad.iterator();
                int every = Math.max(1, valid.size() / (bad.size() + 1));
                for (int i = 0; i < valid.size(); i++) {
                    SimRecord r = valid.get(i);
                    producer.send(new ProducerRecord<>(r.topic(), r.keyBytes(), r.payload()));
                    sentPerTopic[r.topic().equals(SimRecord.DOSSIER_EVENTS) ? 0 : 1]++;
                    if (i % every == every - 1 && badLeft.hasNext()) {
                        BadInputCorpus.Entry e = badLeft.next();
                        badSent.add(producer.send(new ProducerRecord<>(e.topic(), ("bad-" + e.line()).getBytes(StandardCharsets.UTF_8), e.payload())));
                        sentPerTopic[e.topic().equals(SimRecord.DOSSIER_EVENTS) ? 0 : 1]++;
                    }
                    if (i == valid.size() / 2) {
                        producer.send(new ProducerRecord<>(cfg.dossierTopic(), "PENDING-RECEIPT-1".getBytes(StandardCharsets.UTF_8),
                                PENDING.getBytes(StandardCharsets.UTF_8)));
                        sentPerTopic[0]++;
                    }
                }
                while (badLeft.hasNext()) {
                    BadInputCorpus.Entry e = badLeft.next();
                    badSent.add(producer.send(new ProducerRecord<>(e.topic(), null, e.payload())));
                    sentPerTopic[e.topic().equals(SimRecord.DOSSIER_EVENTS) ? 0 : 1]++;
                }
                producer.flush();
                for (int i = 0; i < bad.size(); i++) {
                    RecordMetadata md = badSent.get(i).get();
                    String where = md.topic() + "/" + md.partition() + "@" + md.offset();
                    assertThat(expectedDead.put(where, bad.get(i).expected().name() + " " + bad.get(i))).isNull();
                    badPayloads.put(where, bad.get(i).payload() == null ? new byte[0] : bad.get(i).payload());
                }
            }

            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
            MonitorJob.configure(env, cfg);
            MonitorJob.build(env, cfg, new KafkaSources(cfg, true), new PostgresSinks(stack.job(), cfg), JobReference.load(stack.job()));
            // execute() returns only when the bounded job has finished; a failed job throws here.
            JobExecutionResult result = env.execute("bad input");
            assertThat((Long) result.getAccumulatorResult("dossier-events.read")).isEqualTo(sentPerTopic[0]);
            assertThat((Long) result.getAccumulatorResult("qr-feedback.read")).isEqualTo(sentPerTopic[1]);

            Map<String, String> actualDead = new TreeMap<>();
            try (Connection c = stack.admin().connect(); ResultSet rs = c.createStatement().executeQuery(
                    "SELECT o.topic, o.kafka_partition, o.kafka_offset, o.reason, d.payload_bytes, d.payload "
                            + "FROM dead_letter_occurrence o JOIN dead_letter d USING (topic, reason, payload_bytes, payload_sha256)")) {
                while (rs.next()) {
                    String where = rs.getString(1) + "/" + rs.getInt(2) + "@" + rs.getLong(3);
                    String expected = expectedDead.get(where);
                    // The stored reason is the corpus's; the label after it only names the entry in a failure message.
                    actualDead.put(where, expected != null && expected.startsWith(rs.getString(4) + " ") ? expected : rs.getString(4) + " (unexpected)");
                    // Kept for replay: the original size, and the bytes as sent (very large payloads are cut to a prefix).
                    byte[] sent = badPayloads.getOrDefault(where, new byte[0]);
                    byte[] stored = rs.getBytes(6);
                    assertThat(rs.getInt(5)).as(where).isEqualTo(sent.length);
                    assertThat(stored).as(where).isEqualTo(Arrays.copyOf(sent, stored.length));
                    assertThat(stored.length).as(where).isEqualTo(Math.min(sent.length, 65536));
                }
            }
            assertThat(actualDead).isEqualTo(expectedDead);

            try (Connection c = stack.reader().connect()) {
                assertThat(Recount.fromDatabase(c)).isEqualTo(expectedCounts);
            }
            assertThat(expectedCounts).as("the valid week must count something").hasSizeGreaterThan(50);

            try (Connection c = stack.reader().connect(); ResultSet rs = c.createStatement().executeQuery(
                    "SELECT status, unit_code, received_at, ended_at FROM dossier WHERE dossier_id = 'PENDING-RECEIPT-1'")) {
                assertThat(rs.next()).as("a RESOLVED without its RECEIVED stays visible").isTrue();
                assertThat(rs.getString(1)).isEqualTo("PENDING_RECEIPT");
                assertThat(rs.getString(3)).isNull();
            }
        }
    }
}

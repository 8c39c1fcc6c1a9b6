package vn.onestop.monitor.security;

import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
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
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No personal data is stored: valid events and ratings carrying names, phone numbers, citizen ID numbers (12-digit
 * CCCD) and free-text comments in fields the contract does not know go through the whole job, then every column of
 * every table and view of the schema is searched for those strings. The one place they may appear is
 * dead_letter.payload, which keeps bad records whole for replay (readable only by the job and operators): a bad
 * record with the same data is sent on purpose, so the scan must find it there — proof the scan can find anything.
 */
class PersonalDataTest {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    static final String PHONE = "0912345678";
    static final String CCCD = "001203004567";
    static final String NAME = "Nguyễn Văn A";
    static final String OTHER_NAME = "Trần Thị Bích";
    static final String COMMENT = "cán bộ nhiệt tình, xử lý nhanh";
    static final String EMAIL = "nguyenvana@example.vn";
    static final List<String> PERSONAL = List.of(PHONE, CCCD, NAME, OTHER_NAME, COMMENT, EMAIL);

    @TempDir
    Path dir;

    @Test
    void personalDataInUnknownFieldsIsStoredNowhereButInDeadLetterPayloads() throws Exception {
        try (LocalStack stack = LocalStack.start(MonitorConfig.from(new String[] {
                "--data-dir=" + dir.resolve("data"), "--parallelism=2", "--checkpoint-interval=PT1S"}, Map.of()))) {
            MonitorConfig cfg = stack.config();
            String pii = "\"comment\":\"" + NAME + " " + PHONE + "\",\"citizenId\":\"" + CCCD + "\",\"citizenName\":\"" + OTHER_NAME
                    + "\",\"applicant\":{\"phone\":\"" + PHONE + "\",\"email\":\"" + EMAIL + "\",\"cccd\":\"" + CCCD + "\"}";
            List<String> dossierEvents = new ArrayList<>();
            List<String> feedback = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                String d = "PII-" + i;
                String unit = i % 2 == 0 ? "11239" : "11242";
                dossierEvents.add("{\"eventId\":\"" + d + "-r\",\"dossierId\":\"" + d + "\",\"type\":\"RECEIVED\",\"occurredAt\":\"2024-03-05T08:"
                        + (10 + i) + ":00+07:00\",\"unitCode\":\"" + unit + "\",\"procedureCode\":\"1.001193\",\"channel\":\"DIRECT\","
                        + "\"dueAt\":\"2024-03-07T17:00:00+07:00\",\"digitised\":true," + pii + "}");
                dossierEvents.add("{\"eventId\":\"" + d + "-s\",\"dossierId\":\"" + d + "\",\"type\":\"SUPPLEMENT_REQUESTED\",\"occurredAt\":\"2024-03-05T10:"
                        + (10 + i) + ":00+07:00\",\"reason\":\"thiếu bản sao CCCD " + CCCD + " của " + NAME + "\"," + pii + "}");
                dossierEvents.add("{\"eventId\":\"" + d + "-x\",\"dossierId\":\"" + d + "\",\"type\":\"RESOLVED\",\"occurredAt\":\"2024-03-06T09:"
                        + (10 + i) + ":00+07:00\",\"resultDigitised\":true,\"unitCode\":\"" + unit + "\",\"note\":\"" + COMMENT + "\"," + pii + "}");
                feedback.add("{\"feedbackId\":\"FB-" + i + "\",\"unitCode\":\"" + unit + "\",\"submittedAt\":\"2024-03-06T10:" + (10 + i)
                        + ":00+07:00\",\"rating\":\"" + (i % 3 == 0 ? "DISSATISFIED" : "SATISFIED") + "\",\"dossierId\":\"" + d + "\","
                        + "\"remark\":\"" + COMMENT + " — " + NAME + " " + PHONE + "\",\"contact\":\"" + EMAIL + "\"," + pii + "}");
            }
            // A bad record holding the same data: kept whole in dead_letter.payload, by design.
            dossierEvents.add("{\"eventId\":\"PII-bad\",\"comment\":\"" + NAME + " " + PHONE + " " + CCCD + " " + OTHER_NAME + " " + COMMENT + " " + EMAIL);
            try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cfg.bootstrapServers()),
                    new ByteArraySerializer(), new ByteArraySerializer())) {
                dossierEvents.forEach(v -> p.send(new ProducerRecord<>(cfg.dossierTopic(), v.getBytes(StandardCharsets.UTF_8))));
                feedback.forEach(v -> p.send(new ProducerRecord<>(cfg.feedbackTopic(), v.getBytes(StandardCharsets.UTF_8))));
            }

            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
            MonitorJob.configure(env, cfg);
            MonitorJob.build(env, cfg, new KafkaSources(cfg, true), new PostgresSinks(stack.job(), cfg), JobReference.load(stack.job()));
            env.execute("personal data");

            try (Connection c = stack.admin().connect(); ResultSet rs = c.createStatement().executeQuery(
                    "SELECT sum(received), sum(resolved), sum(ratings) FROM unit_kpi_daily")) {
                rs.next();
                assertThat(List.of(rs.getLong(1), rs.getLong(2), rs.getLong(3))).as("the planted events are valid and counted").containsExactly(40L, 40L, 40L);
            }
            Set<String> hits = scan(stack);
            Set<String> expected = new TreeSet<>();
            PERSONAL.forEach(s -> expected.add("dead_letter.payload: " + s));
            assertThat(hits).isEqualTo(expected);
        }
    }

    /** table.column: needle, for every column of every table and view of schema public holding a needle. */
    static Set<String> scan(LocalStack stack) throws Exception {
        Set<String> hits = new TreeSet<>();
        List<String[]> columns = new ArrayList<>();
        try (Connection c = stack.admin().connect(); ResultSet rs = c.createStatement().executeQuery(
                "SELECT table_name, column_name, data_type FROM information_schema.columns WHERE table_schema = 'public' ORDER BY 1, 2")) {
            while (rs.next()) {
                columns.add(new String[] {rs.getString(1), rs.getString(2), rs.getString(3)});
            }
        }
        Set<String> relations = new TreeSet<>();
        columns.forEach(col -> relations.add(col[0]));
        assertThat(relations).as("the scan covers tables and views").contains("dossier", "sla_alert", "kpi_hourly", "dead_letter",
                "unit_kpi_daily", "unit_review", "dead_letter_summary", "unknown_procedure");
        try (Connection c = stack.admin().connect()) {
            for (String[] col : columns) {
                // bytea is searched as bytes: not every bytea column is UTF-8 text (V7's payload_sha256 is a hash).
                String found = col[2].equals("bytea")
                        ? "position(convert_to(?, 'UTF8') IN \"" + col[1] + "\") > 0"
                        : "strpos(\"" + col[1] + "\"::text, ?) > 0";
                try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM \"" + col[0] + "\" WHERE " + found)) {
                    for (String needle : PERSONAL) {
                        ps.setString(1, needle);
                        try (ResultSet rs = ps.executeQuery()) {
                            rs.next();
                            if (rs.getLong(1) > 0) {
                                hits.add(col[0] + "." + col[1] + ": " + needle);
                            }
                        }
                    }
                }
            }
        }
        return hits;
    }
}

package vn.onestop.monitor.alert;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.kafka.clients.producer.ProducerRecord;
import vn.onestop.monitor.ingest.LocalClock;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;

/**
 * The {@code sla-alerts} topic for other systems: one JSON object per alert state, keyed by the alert id (so a
 * compacted topic keeps each alert's latest state). Documented in docs/ALERTS.md.
 */
public final class AlertMessages implements KafkaRecordSerializationSchema<SlaAlert> {
    private static final long serialVersionUID = 1L;
    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ISO_OFFSET_DATE_TIME.withZone(LocalClock.ZONE);

    private final String topic;
    private transient ObjectMapper mapper;

    public AlertMessages(String topic) {
        this.topic = topic;
    }

    public static KafkaSink<SlaAlert> sink(String bootstrapServers, String topic, java.util.Properties security) {
        return KafkaSink.<SlaAlert>builder()
                .setBootstrapServers(bootstrapServers)
                .setKafkaProducerConfig(security)
                .setRecordSerializer(new AlertMessages(topic))
                .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                .build();
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(SlaAlert a, KafkaSinkContext context, Long timestamp) {
        return new ProducerRecord<>(topic, a.id.getBytes(StandardCharsets.UTF_8), toJson(a));
    }

    public byte[] toJson(SlaAlert a) {
        if (mapper == null) {
            mapper = new ObjectMapper();
        }
        ObjectNode n = mapper.createObjectNode();
        n.put("id", a.id);
        n.put("kind", a.kind.name());
        n.put("unitCode", a.unitCode);
        n.put("dossierId", a.dossierId);
        n.put("kpi", a.kpi);
        if (Double.isNaN(a.value)) {
            n.putNull("value");
        } else {
            n.put("value", a.value);
        }
        if (Double.isNaN(a.target)) {
            n.putNull("target");
        } else {
            n.put("target", a.target);
        }
        n.put("openedAt", LOCAL.format(Instant.ofEpochMilli(a.openedAt)));
        n.put("closedAt", a.isOpen() ? null : LOCAL.format(Instant.ofEpochMilli(a.closedAt)));
        n.put("retracted", a.retracted);
        try {
            n.set("details", mapper.readTree(a.details == null ? "{}" : a.details));
            return mapper.writeValueAsBytes(n);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package vn.onestop.monitor;

import vn.onestop.monitor.ingest.RawRecord;
import vn.onestop.monitor.ingest.RawRecordDeserializer;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import vn.onestop.monitor.MonitorConfig;
import vn.onestop.monitor.MonitorSources;

/**
 * Both topics from Kafka. A job without restored state always starts from the earliest offset: counts are
 * rebuilt from the whole topic and written as absolute values, so a fresh start never undercounts. Bounded mode
 * (replay, bench) stops at the offsets that were latest when the job started.
 */
public final class KafkaSources implements MonitorSources {
    private static final long serialVersionUID = 1L;
    private final String bootstrapServers;
    private final String dossierTopic;
    private final String feedbackTopic;
    private final String groupId;
    private final boolean bounded;
    private final java.util.Properties security;

    public KafkaSources(MonitorConfig cfg, boolean bounded) {
        this(cfg, bounded, new java.util.Properties());
    }

    /** With consumer settings of its own on top of the configuration's (fetch sizes and waits, for example). */
    public KafkaSources(MonitorConfig cfg, boolean bounded, java.util.Properties consumer) {
        this.bootstrapServers = cfg.bootstrapServers();
        this.dossierTopic = cfg.dossierTopic();
        this.feedbackTopic = cfg.feedbackTopic();
        this.groupId = cfg.groupId();
        this.bounded = bounded;
        this.security = cfg.kafkaClientProperties();
        this.security.putAll(consumer);
    }

    @Override
    public DataStream<RawRecord> dossierRecords(StreamExecutionEnvironment env) {
        return env.fromSource(source(dossierTopic), WatermarkStrategy.noWatermarks(), dossierTopic).uid("source-" + dossierTopic);
    }

    @Override
    public DataStream<RawRecord> feedbackRecords(StreamExecutionEnvironment env) {
        return env.fromSource(source(feedbackTopic), WatermarkStrategy.noWatermarks(), feedbackTopic).uid("source-" + feedbackTopic);
    }

    @Override
    public boolean bounded() {
        return bounded;
    }

    private KafkaSource<RawRecord> source(String topic) {
        var b = KafkaSource.<RawRecord>builder()
                .setBootstrapServers(bootstrapServers)
                .setTopics(topic)
                .setGroupId(groupId)
                .setStartingOffsets(OffsetsInitializer.earliest())
                .setDeserializer(new RawRecordDeserializer())
                .setProperty("client.id.prefix", groupId + "-" + topic)
                .setProperties(security);
        if (bounded) {
            b.setBounded(OffsetsInitializer.latest());
        } else {
            b.setProperty("partition.discovery.interval.ms", "30000");
        }
        return b.build();
    }
}

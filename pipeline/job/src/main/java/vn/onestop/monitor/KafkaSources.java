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
    public String dossierTopic() {
        return dossierTopic;
    }

    @Override
    public String feedbackTopic() {
        return feedbackTopic;
    }

    /**
     * Asked once, when the job is built: does any partition hold records beyond where this job's consumer group
     * stands (its committed offsets, or the start of the partition for a group that has none — a fresh job reads
     * from the earliest offset)? Uncommitted transactional records count too: they are history that has not
     * arrived yet. If the broker cannot be asked, the answer is yes (waiting for records is the safe side).
     */
    @Override
    public boolean backlogAtStart(String topic) {
        java.util.Properties p = new java.util.Properties();
        p.putAll(security);
        p.put("bootstrap.servers", bootstrapServers);
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(p)) {
            var description = admin.describeTopics(java.util.List.of(topic)).allTopicNames().get(30, java.util.concurrent.TimeUnit.SECONDS).get(topic);
            java.util.Map<org.apache.kafka.common.TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> latest = new java.util.HashMap<>();
            java.util.Map<org.apache.kafka.common.TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> earliest = new java.util.HashMap<>();
            for (var partition : description.partitions()) {
                var tp = new org.apache.kafka.common.TopicPartition(topic, partition.partition());
                latest.put(tp, org.apache.kafka.clients.admin.OffsetSpec.latest());
                earliest.put(tp, org.apache.kafka.clients.admin.OffsetSpec.earliest());
            }
            var uncommitted = new org.apache.kafka.clients.admin.ListOffsetsOptions(org.apache.kafka.common.IsolationLevel.READ_UNCOMMITTED);
            var ends = admin.listOffsets(latest, uncommitted).all().get(30, java.util.concurrent.TimeUnit.SECONDS);
            var starts = admin.listOffsets(earliest, uncommitted).all().get(30, java.util.concurrent.TimeUnit.SECONDS);
            var committed = admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata().get(30, java.util.concurrent.TimeUnit.SECONDS);
            for (var tp : latest.keySet()) {
                var c = committed.get(tp);
                long from = c != null ? c.offset() : starts.get(tp).offset();
                if (ends.get(tp).offset() > from) {
                    return true;
                }
            }
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        } catch (Exception e) {
            return true;
        }
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

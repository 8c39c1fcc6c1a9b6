package vn.onestop.monitor;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MonitorConfigTest {

    @Test
    void argumentsWinOverTheEnvironmentWhichWinsOverDefaults() {
        MonitorConfig c = MonitorConfig.from(new String[] {"--parallelism=4"}, Map.of("PARALLELISM", "3", "LATENESS_HORIZON", "P10D"));
        assertThat(c.parallelism()).isEqualTo(4);
        assertThat(c.latenessHorizon()).isEqualTo(Duration.ofDays(10));
        assertThat(c.dossierTopic()).isEqualTo("dossier-events");
        assertThat(c.bootstrapServers()).as("empty means embedded").isNull();
    }

    @Test
    void kafkaSecurityComesFromTheEnvironmentInKafkasOwnNames() {
        MonitorConfig c = MonitorConfig.from(new String[0], Map.of(
                "KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
                "KAFKA_SASL_MECHANISM", "SCRAM-SHA-512",
                "KAFKA_SASL_JAAS_CONFIG", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"job\" password=\"s\";"));
        assertThat(c.kafkaClientProperties())
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsKey("sasl.jaas.config")
                .doesNotContainKey("ssl.truststore.location");
        assertThat(MonitorConfig.defaults().kafkaClientProperties()).isEmpty();
    }

    @Test
    void stateBackendIsHashmapOrRocksdbArgumentsFirstAndUnsetByDefault() {
        assertThat(MonitorConfig.defaults().stateBackend()).as("unset: Flink's or the cluster's own state.backend.type").isNull();
        assertThat(MonitorConfig.from(new String[0], Map.of("STATE_BACKEND", "rocksdb")).stateBackend()).isEqualTo("rocksdb");
        assertThat(MonitorConfig.from(new String[] {"--state-backend=hashmap"}, Map.of("STATE_BACKEND", "rocksdb")).stateBackend())
                .isEqualTo("hashmap");
        assertThat(MonitorConfig.from(new String[] {"--state-backend=RocksDB"}, Map.of()).stateBackend()).isEqualTo("rocksdb");
        assertThatThrownBy(() -> MonitorConfig.from(new String[0], Map.of("STATE_BACKEND", "forst")))
                .hasMessageContaining("STATE_BACKEND").hasMessageContaining("hashmap, rocksdb").hasMessageContaining("'forst'");
        assertThatThrownBy(() -> MonitorConfig.from(new String[] {"--state-backend=memory"}, Map.of()))
                .hasMessageContaining("STATE_BACKEND must be one of hashmap, rocksdb");
    }

    @Test
    void theStateBackendReachesTheJobAndRocksdbKeepsItsFilesUnderTheDataDirectory(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        org.apache.flink.streaming.api.environment.StreamExecutionEnvironment env =
                org.apache.flink.streaming.api.environment.StreamExecutionEnvironment.createLocalEnvironment(1);
        MonitorJob.configure(env, MonitorConfig.from(new String[] {"--state-backend=rocksdb", "--data-dir=" + dir}, Map.of()));
        assertThat(env.getConfiguration().toMap())
                .containsEntry("state.backend.type", "rocksdb")
                .containsEntry("state.backend.rocksdb.localdir", dir.resolve("rocksdb").toString());

        org.apache.flink.streaming.api.environment.StreamExecutionEnvironment untouched =
                org.apache.flink.streaming.api.environment.StreamExecutionEnvironment.createLocalEnvironment(1);
        MonitorJob.configure(untouched, MonitorConfig.defaults());
        assertThat(untouched.getConfiguration().toMap()).as("unset: a cluster's own state backend stays").doesNotContainKey("state.backend.type");
    }

    @Test
    void badValuesSayWhatIsExpected() {
        assertThatThrownBy(() -> MonitorConfig.from(new String[0], Map.of("LATENESS_HORIZON", "30 days")))
                .hasMessageContaining("LATENESS_HORIZON").hasMessageContaining("ISO-8601");
        assertThatThrownBy(() -> MonitorConfig.from(new String[] {"--paralelism=2"}, Map.of()))
                .hasMessageContaining("Unknown setting --paralelism");
        assertThatThrownBy(() -> MonitorConfig.from(new String[] {"parallelism"}, Map.of()))
                .hasMessageContaining("--name=value");
    }
}

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
    void badValuesSayWhatIsExpected() {
        assertThatThrownBy(() -> MonitorConfig.from(new String[0], Map.of("LATENESS_HORIZON", "30 days")))
                .hasMessageContaining("LATENESS_HORIZON").hasMessageContaining("ISO-8601");
        assertThatThrownBy(() -> MonitorConfig.from(new String[] {"--paralelism=2"}, Map.of()))
                .hasMessageContaining("Unknown setting --paralelism");
        assertThatThrownBy(() -> MonitorConfig.from(new String[] {"parallelism"}, Map.of()))
                .hasMessageContaining("--name=value");
    }
}

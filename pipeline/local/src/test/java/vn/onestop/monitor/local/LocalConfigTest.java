package vn.onestop.monitor.local;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LocalConfigTest {

    @Test
    void theLocalStacksSettingsAreReadLikeTheJobsAndTheRestGoesToTheJob() {
        LocalConfig c = LocalConfig.from(new String[] {"--kafka-port=19093", "--sim-scale=2", "--parallelism=3"},
                Map.of("KAFKA_PORT", "1", "POSTGRES_PORT", "55999", "SIM_HISTORY", "P2D", "PARALLELISM", "4"));
        assertThat(c.kafkaPort()).as("argument over environment").isEqualTo(19093);
        assertThat(c.postgresPort()).as("environment over default").isEqualTo(55999);
        assertThat(c.refresh()).as("default").isEqualTo(Duration.ofSeconds(5));
        assertThat(c.sim().scale()).isEqualTo(2.0);
        assertThat(c.sim().history()).isEqualTo(Duration.ofDays(2));
        assertThat(c.sim().speed()).isEqualTo(100_000.0);
        assertThat(c.job().parallelism()).as("the job's own settings reach MonitorConfig").isEqualTo(3);
    }

    @Test
    void unknownSettingsAreStillRefusedAndBadValuesNamed() {
        assertThatThrownBy(() -> LocalConfig.from(new String[] {"--sim-sped=2"}, Map.of()))
                .hasMessageContaining("Unknown setting --sim-sped");
        assertThatThrownBy(() -> LocalConfig.from(new String[0], Map.of("REFRESH", "5s"))).hasMessageContaining("REFRESH");
        assertThatThrownBy(() -> LocalConfig.from(new String[0], Map.of("SIM_SPEED", "fast"))).hasMessageContaining("SIM_SPEED");
    }
}

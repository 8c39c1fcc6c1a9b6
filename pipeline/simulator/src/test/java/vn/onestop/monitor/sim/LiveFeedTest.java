package vn.onestop.monitor.sim;

import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class LiveFeedTest {
    static final Instant START = DatasetWriter.parseStart("2024-01-15");

    static MockProducer<byte[], byte[]> producer() {
        return new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
    }

    @Test
    void sendsEveryRecordToItsTopicStampedWithItsSendTime() throws Exception {
        Simulator sim = Simulator.forDefaultDistrict(SimulationSettings.defaults(9, START));
        Instant until = START.plus(Duration.ofDays(2));
        MockProducer<byte[], byte[]> producer = producer();
        // Two simulated days in about 0.2 s.
        LiveFeed feed = new LiveFeed(producer, sim, until, new LiveFeed.Pace(Instant.now(), 1_000_000, false));
        feed.start();
        assertThat(feed.awaitFinished(Duration.ofSeconds(30))).isTrue();
        feed.close();

        List<SimRecord> expected = sim.stream(until).toList();
        List<ProducerRecord<byte[], byte[]>> sent = producer.history();
        assertThat(feed.failure()).isNull();
        assertThat(sent).hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            SimRecord e = expected.get(i);
            ProducerRecord<byte[], byte[]> s = sent.get(i);
            assertThat(s.topic()).isEqualTo(e.topic());
            assertThat(s.timestamp()).isEqualTo(e.sendAt());
            assertThat(new String(s.key(), StandardCharsets.UTF_8)).isEqualTo(e.key());
            assertThat(s.value()).isEqualTo(e.payload());
        }
        assertThat(feed.sent().records()).isEqualTo(expected.size());
        assertThat(feed.acknowledged()).isEqualTo(expected.size());
        assertThat(feed.generated().dossiers()).isPositive();
        assertThat(producer.closed()).as("a producer the caller passed in is the caller's to close").isFalse();
    }

    @Test
    void closeStopsAFeedThatIsWaitingForItsNextRecord() throws Exception {
        // Simulated time starts a day from now at real speed: the first record is hours away.
        Instant tomorrow = Instant.now().plus(Duration.ofDays(1));
        Simulator sim = Simulator.forDefaultDistrict(SimulationSettings.defaults(9, tomorrow));
        MockProducer<byte[], byte[]> producer = producer();
        LiveFeed feed = new LiveFeed(producer, sim, null, new LiveFeed.Pace(Instant.now(), 1, true));
        feed.start();
        Thread.sleep(300);
        long before = System.nanoTime();
        feed.close();
        assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofSeconds(2));
        assertThat(feed.awaitFinished(Duration.ofSeconds(1))).isTrue();
        assertThat(producer.history()).isEmpty();
    }

    @Test
    void catchingUpNeverDatesARecordInTheFuture() {
        Instant wallStart = Instant.parse("2024-06-01T00:00:00Z");
        long simStart = Instant.parse("2024-05-31T00:00:00Z").toEpochMilli();
        LiveFeed.Pace pace = new LiveFeed.Pace(wallStart, 3600, true);
        // An hour of simulation per second: the day of backlog is replayed in 24 s of wall time...
        long hourIn = simStart + 3_600_000;
        assertThat(pace.wallMillisFor(hourIn, simStart)).isEqualTo(wallStart.toEpochMilli() + 1_000);
        // ...after which records wait for the wall clock to reach their send time.
        long later = wallStart.toEpochMilli() + 60_000;
        assertThat(pace.wallMillisFor(later, simStart)).isEqualTo(later);
        assertThat(pace.simulatedMillisAt(wallStart.toEpochMilli() + 30_000, simStart)).isEqualTo(wallStart.toEpochMilli() + 30_000);
        assertThat(pace.simulatedMillisAt(wallStart.toEpochMilli() + 10_000, simStart)).isEqualTo(simStart + 36_000_000);

        LiveFeed.Pace unbounded = new LiveFeed.Pace(wallStart, 3600, false);
        assertThat(unbounded.wallMillisFor(later, simStart)).isLessThan(later);
    }
}

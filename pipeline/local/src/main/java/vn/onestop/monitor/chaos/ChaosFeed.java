package vn.onestop.monitor.chaos;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import vn.onestop.monitor.sim.SimRecord;
import vn.onestop.monitor.sim.SimulationRun;
import vn.onestop.monitor.sim.Simulator;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A steady stream of simulated records at a fixed rate, on its own thread. It only counts what it sends: the
 * simulation is deterministic, so the first {@code sent()} records can be generated again afterwards for the
 * reference recomputation instead of being held in memory while the heap is measured. The producer is idempotent
 * and waits out broker outages (long delivery and blocking timeouts), so what was sent is exactly a prefix of the
 * simulation in Kafka; a send that fails anyway is counted and fails the scenario.
 */
final class ChaosFeed implements AutoCloseable {
    private final KafkaProducer<byte[], byte[]> producer;
    private final SimulationRun run;
    private final double perSecond;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong acked = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final Thread thread;
    private volatile boolean running = true;

    ChaosFeed(String bootstrapServers, Simulator simulator, java.time.Instant until, double perSecond) {
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true",
                ProducerConfig.LINGER_MS_CONFIG, "10",
                ProducerConfig.BATCH_SIZE_CONFIG, "131072",
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "900000",
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "30000",
                ProducerConfig.MAX_BLOCK_MS_CONFIG, "900000",
                ProducerConfig.CLIENT_ID_CONFIG, "onestop-chaos-feed"), new ByteArraySerializer(), new ByteArraySerializer());
        this.run = simulator.records(until);
        this.perSecond = perSecond;
        this.thread = new Thread(this::play, "onestop-chaos-feed");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    private void play() {
        long start = System.nanoTime();
        try {
            while (running && run.hasNext()) {
                long n = sent.get();
                long due = start + (long) (n * 1e9 / perSecond);
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                SimRecord r = run.next();
                producer.send(new ProducerRecord<>(r.topic(), r.keyBytes(), r.payload()), (md, e) -> {
                    if (e == null) {
                        acked.incrementAndGet();
                    } else {
                        failed.incrementAndGet();
                        failure.compareAndSet(null, e);
                    }
                });
                sent.incrementAndGet();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            failure.compareAndSet(null, e);
        }
    }

    /** Stops sending and waits until everything sent is acknowledged (or has failed). */
    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(Duration.ofMinutes(15).toMillis());
        producer.flush();
        producer.close(Duration.ofSeconds(30));
    }

    long sent() {
        return sent.get();
    }

    long acked() {
        return acked.get();
    }

    long failed() {
        return failed.get();
    }

    Throwable failure() {
        return failure.get();
    }
}

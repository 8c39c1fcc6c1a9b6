package vn.onestop.monitor.sim;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Plays a simulation into Kafka on its own thread, sending each record when its simulated send time comes.
 * The Kafka record timestamp is the simulated send time, because the job reads it as the moment the office
 * system sent the record.
 */
public final class LiveFeed implements AutoCloseable {
    private static final long MAX_WAIT_SLICE_MS = 200;

    /**
     * How simulated time maps onto the wall clock: simulated start ↔ {@code wallStart}, then {@code speed}
     * simulated seconds per real second.
     *
     * @param neverAhead once simulated time would overtake the wall clock, continue at real time, so no record
     *                   is ever dated in the future (brokers reject far-future timestamps, and so does the job)
     */
    public record Pace(Instant wallStart, double speed, boolean neverAhead) {
        public Pace {
            Objects.requireNonNull(wallStart, "wallStart");
            if (!(speed > 0) || Double.isInfinite(speed)) {
                throw new IllegalArgumentException("speed must be a positive finite number, got " + speed);
            }
        }

        /** Starting now, {@code speed} times faster than real time, slowing to real time on reaching the present. */
        public static Pace catchingUp(double speed) {
            return new Pace(Instant.now(), speed, true);
        }

        /** Wall-clock epoch ms at which a record with simulated send time {@code simMs} is due. */
        long wallMillisFor(long simMs, long simStartMs) {
            double offset = (simMs - simStartMs) / speed;
            long wall = wallStart.toEpochMilli() + (long) Math.ceil(offset);
            return neverAhead ? Math.max(wall, simMs) : wall;
        }

        /** The simulated time at wall-clock epoch ms {@code wallMs}. */
        long simulatedMillisAt(long wallMs, long simStartMs) {
            long sim = simStartMs + (long) ((wallMs - wallStart.toEpochMilli()) * speed);
            return neverAhead ? Math.min(sim, wallMs) : sim;
        }
    }

    private final Producer<byte[], byte[]> producer;
    private final boolean ownsProducer;
    private final SimulationRun run;
    private final Pace pace;
    private final long simStartMs;
    private final SimulationStats sent = new SimulationStats();
    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final CountDownLatch finished = new CountDownLatch(1);
    private final Object clock = new Object();
    private final Thread thread;
    private volatile boolean running;

    /**
     * @param until end of the simulation (exclusive send time), or null to run until closed
     */
    public LiveFeed(Producer<byte[], byte[]> producer, Simulator simulator, Instant until, Pace pace) {
        this(producer, false, simulator, until, pace);
    }

    private LiveFeed(Producer<byte[], byte[]> producer, boolean ownsProducer, Simulator simulator, Instant until, Pace pace) {
        this.producer = Objects.requireNonNull(producer, "producer");
        this.ownsProducer = ownsProducer;
        this.run = until == null ? simulator.records() : simulator.records(until);
        this.pace = Objects.requireNonNull(pace, "pace");
        this.simStartMs = simulator.settings().start().toEpochMilli();
        this.thread = new Thread(this::play, "onestop-live-feed");
        this.thread.setDaemon(true);
    }

    /** A feed with its own producer (closed with the feed). */
    public static LiveFeed toKafka(String bootstrapServers, Simulator simulator, Instant until, Pace pace) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "onestop-simulator");
        return new LiveFeed(new KafkaProducer<>(props), true, simulator, until, pace);
    }

    public synchronized void start() {
        if (running || finished.getCount() == 0) {
            throw new IllegalStateException("a live feed runs once");
        }
        running = true;
        thread.start();
    }

    /** Stops sending, flushes what was handed to the producer, and closes the producer if this feed created it. */
    @Override
    public void close() {
        running = false;
        synchronized (clock) {
            clock.notifyAll();
        }
        if (thread.isAlive()) {
            try {
                thread.join(Duration.ofSeconds(30).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (ownsProducer) {
            producer.close(Duration.ofSeconds(10));
        }
    }

    /** Waits for a bounded feed to send everything; true when it has finished (or failed). */
    public boolean awaitFinished(Duration timeout) throws InterruptedException {
        return finished.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Records handed to the producer, by kind and topic. */
    public SimulationStats sent() {
        return sent;
    }

    /** Dossiers generated so far (including ones whose records are still to come). */
    public SimulationStats generated() {
        return run.stats();
    }

    public long acknowledged() {
        return acknowledged.get();
    }

    public long failedSends() {
        return failed.get();
    }

    /** The error that stopped the feed, or the last send error, or null. */
    public Throwable failure() {
        return failure.get();
    }

    public Instant simulatedNow() {
        return Instant.ofEpochMilli(pace.simulatedMillisAt(System.currentTimeMillis(), simStartMs));
    }

    private void play() {
        try {
            while (running && run.hasNext()) {
                SimRecord r = run.next();
                if (!waitUntil(pace.wallMillisFor(r.sendAt(), simStartMs))) {
                    break;
                }
                producer.send(new ProducerRecord<>(r.topic(), null, r.sendAt(), r.keyBytes(), r.payload()),
                        (metadata, error) -> {
                            if (error == null) {
                                acknowledged.incrementAndGet();
                            } else {
                                failed.incrementAndGet();
                                failure.set(error);
                            }
                        });
                sent.recordEmitted(r);
            }
            producer.flush();
        } catch (RuntimeException e) {
            failure.set(e);
        } finally {
            running = false;
            finished.countDown();
        }
    }

    /** Sleeps until the wall clock reaches {@code wallMs}; false when the feed was closed meanwhile. */
    private boolean waitUntil(long wallMs) {
        synchronized (clock) {
            while (running) {
                long left = wallMs - System.currentTimeMillis();
                if (left <= 0) {
                    return true;
                }
                try {
                    clock.wait(Math.min(left, MAX_WAIT_SLICE_MS));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return false;
        }
    }
}

package vn.onestop.monitor.local;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Publishes an NDJSON file to a topic, one record per line, bytes exactly as in the file (a malformed line must
 * reach the job as it is, to be dead-lettered there). Records are keyed by the given id field when one can be
 * found, so one dossier's events share a partition.
 */
public final class NdjsonPublisher {
    private NdjsonPublisher() {}

    public static long publish(String bootstrapServers, String topic, Path file, String keyField, PrintStream progress) throws IOException {
        if (!Files.isReadable(file)) {
            throw new IOException("Cannot read " + file.toAbsolutePath() + ": give an NDJSON file (one JSON object per line)");
        }
        Pattern key = Pattern.compile("\"" + keyField + "\"\\s*:\\s*\"([^\"]{1,200})\"");
        long total = Files.size(file);
        AtomicReference<Exception> failure = new AtomicReference<>();
        long lines = 0;
        long bytesRead = 0;
        long lastPrint = 0;
        try (KafkaProducer<byte[], byte[]> producer = producer(bootstrapServers);
             InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            ByteArrayOutputStream line = new ByteArrayOutputStream(512);
            int b;
            while (true) {
                b = in.read();
                if (b == '\n' || b == -1) {
                    byte[] value = line.toByteArray();
                    if (value.length > 0 && value[value.length - 1] == '\r') {
                        value = java.util.Arrays.copyOf(value, value.length - 1);
                    }
                    bytesRead += line.size() + 1;
                    line.reset();
                    if (value.length > 0) {
                        Matcher m = key.matcher(new String(value, 0, Math.min(value.length, 4096), StandardCharsets.ISO_8859_1));
                        byte[] k = m.find() ? m.group(1).getBytes(StandardCharsets.ISO_8859_1) : null;
                        producer.send(new ProducerRecord<>(topic, k, value), (md, ex) -> {
                            if (ex != null) {
                                failure.compareAndSet(null, ex);
                            }
                        });
                        lines++;
                    }
                    if (b == -1) {
                        break;
                    }
                    long now = System.currentTimeMillis();
                    if (progress != null && now - lastPrint > 500) {
                        lastPrint = now;
                        progress.printf("\r[publish] %s → %s: %,d records (%d%%)   ", file.getFileName(), topic, lines, total == 0 ? 100 : bytesRead * 100 / total);
                    }
                } else {
                    line.write(b);
                }
            }
            producer.flush();
        }
        if (failure.get() != null) {
            throw new IOException("Kafka refused records of " + file + ": " + failure.get().getMessage(), failure.get());
        }
        if (progress != null) {
            progress.printf("\r[publish] %s → %s: %,d records (100%%)   %n", file.getFileName(), topic, lines);
        }
        return lines;
    }

    static KafkaProducer<byte[], byte[]> producer(String bootstrapServers) {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, "20",
                ProducerConfig.BATCH_SIZE_CONFIG, "262144",
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, "4194304",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true"),
                new ByteArraySerializer(), new ByteArraySerializer());
    }
}

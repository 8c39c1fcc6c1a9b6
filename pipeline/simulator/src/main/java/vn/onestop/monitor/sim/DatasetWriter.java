package vn.onestop.monitor.sim;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;

/**
 * Writes a simulated period to two NDJSON files (dossier events, QR feedback), one record payload per line in
 * send order. The files carry payloads only, like a topic dump: send times are not in them.
 *
 * <pre>
 * DatasetWriter --dossiers=out/dossiers.ndjson --feedback=out/feedback.ndjson --days=30 \
 *               [--start=2024-01-01] [--seed=42] [--scale=1.0] [--events=N]
 * </pre>
 * {@code --events} (alias {@code --max-events}) stops after that many well-formed first deliveries; it may be
 * given instead of {@code --days}.
 * <pre>
 * </pre>
 */
public final class DatasetWriter {
    private static final long PROGRESS_EVERY_MS = 250;

    /** What was written. */
    public record Summary(long dossierLines, long feedbackLines, long dossiers, long events, long duplicates,
                          long malformed, Instant lastSendAt) {
        public long lines() {
            return dossierLines + feedbackLines;
        }
    }

    private DatasetWriter() {
    }

    /** All records sent before {@code until}. */
    public static Summary write(Simulator sim, Instant until, Path dossiers, Path feedback) throws IOException {
        return write(sim, until, Long.MAX_VALUE, dossiers, feedback, null);
    }

    /**
     * Records sent before {@code until}, stopping after {@code maxEvents} well-formed first deliveries;
     * {@code progress} (nullable) receives a {@code \r}-updated progress line.
     */
    public static Summary write(Simulator sim, Instant until, long maxEvents, Path dossiers, Path feedback,
                                PrintStream progress) throws IOException {
        createParent(dossiers);
        createParent(feedback);
        SimulationRun run = sim.records(until);
        long dossierLines = 0;
        long feedbackLines = 0;
        long lastPrint = System.currentTimeMillis();
        try (OutputStream d = new BufferedOutputStream(Files.newOutputStream(dossiers), 1 << 16);
             OutputStream f = new BufferedOutputStream(Files.newOutputStream(feedback), 1 << 16)) {
            while (run.stats().events() < maxEvents && run.hasNext()) {
                SimRecord r = run.next();
                boolean isFeedback = SimRecord.QR_FEEDBACK.equals(r.topic());
                OutputStream out = isFeedback ? f : d;
                out.write(r.payload());
                out.write('\n');
                if (isFeedback) {
                    feedbackLines++;
                } else {
                    dossierLines++;
                }
                if (progress != null && ((dossierLines + feedbackLines) & 1023) == 0) {
                    long now = System.currentTimeMillis();
                    if (now - lastPrint >= PROGRESS_EVERY_MS) {
                        progress.print("\r" + run.stats().progressLine());
                        lastPrint = now;
                    }
                }
            }
        }
        if (progress != null) {
            progress.println("\r" + run.stats().progressLine());
        }
        SimulationStats s = run.stats();
        return new Summary(dossierLines, feedbackLines, s.dossiers(), s.events(), s.duplicates(), s.malformed(),
                s.simulatedTime());
    }

    public static void main(String[] args) throws IOException {
        Map<String, String> opts = options(args);
        if (!opts.containsKey("dossiers") || !opts.containsKey("feedback")
                || !(opts.containsKey("days") || opts.containsKey("max-events") || opts.containsKey("events"))) {
            System.err.println("usage: DatasetWriter --dossiers=FILE --feedback=FILE (--days=N | --events=N)"
                    + " [--start=2024-01-01 | --start=2024-01-01T00:00:00+07:00] [--seed=42] [--scale=1.0]");
            System.exit(2);
            return;
        }
        Instant start = parseStart(opts.getOrDefault("start", "2024-01-01"));
        long seed = Long.parseLong(opts.getOrDefault("seed", "42"));
        double scale = Double.parseDouble(opts.getOrDefault("scale", "1.0"));
        long maxEvents = Long.parseLong(opts.getOrDefault("max-events", opts.getOrDefault("events", String.valueOf(Long.MAX_VALUE))));
        // Without --days the target event count decides; a century bounds the run in case the volume is zero.
        Instant until = opts.containsKey("days")
                ? start.plus(Duration.ofDays(Long.parseLong(opts.get("days"))))
                : start.plus(Duration.ofDays(36_500));

        Simulator sim = Simulator.forDefaultDistrict(SimulationSettings.defaults(seed, start).withScale(scale));
        long began = System.nanoTime();
        Summary s = write(sim, until, maxEvents, Path.of(opts.get("dossiers")), Path.of(opts.get("feedback")), System.err);
        double seconds = (System.nanoTime() - began) / 1e9;
        System.err.printf("wrote %,d dossier-event lines to %s and %,d feedback lines to %s in %.1f s%n",
                s.dossierLines(), opts.get("dossiers"), s.feedbackLines(), opts.get("feedback"), seconds);
        System.err.printf("%,d dossiers, %,d events, %,d duplicates, %,d malformed, %d units (slow office %s), last send %s%n",
                s.dossiers(), s.events(), s.duplicates(), s.malformed(), sim.unitCodes().size(), sim.slowUnit(),
                s.lastSendAt() == null ? "-" : EventJson.time(s.lastSendAt()));
    }

    /** A date means local midnight in Vietnam; a full timestamp must carry its offset. */
    static Instant parseStart(String text) {
        try {
            return LocalDate.parse(text).atStartOfDay(OfficeHours.ZONE).toInstant();
        } catch (DateTimeParseException notADate) {
            return OffsetDateTime.parse(text).toInstant();
        }
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> opts = new HashMap<>();
        for (String a : args) {
            if (!a.startsWith("--") || !a.contains("=")) {
                throw new IllegalArgumentException("expected --name=value, got " + a);
            }
            int eq = a.indexOf('=');
            opts.put(a.substring(2, eq), a.substring(eq + 1));
        }
        return opts;
    }

    private static void createParent(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
    }
}

package vn.onestop.monitor.sim;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How the simulated district feeds Kafka live ({@code make run}, the Compose simulator service): {@code SIM_HISTORY}
 * of history sent {@code SIM_SPEED} times faster than real time (never ahead of the wall clock, since event time must
 * not run ahead of it), then the present; {@code SIM_SCALE} times the district's volume; {@code SIM_SEED}. These are
 * the simulator's own settings, so the job's configuration does not carry them.
 */
public record FeedSettings(double speed, Duration history, long seed, double scale) {
    /** environment name → default: make run's week of history as fast as the job takes it, 20 times the volume. */
    public static final Map<String, String> DEFAULTS = new LinkedHashMap<>();

    static {
        DEFAULTS.put("SIM_SPEED", "100000");
        DEFAULTS.put("SIM_HISTORY", "P7D");
        DEFAULTS.put("SIM_SEED", "2024");
        DEFAULTS.put("SIM_SCALE", "20");
    }

    /** Reads the settings by their environment names; missing or blank ones take the default. */
    public static FeedSettings from(Map<String, String> settings) {
        try {
            return new FeedSettings(Double.parseDouble(value(settings, "SIM_SPEED")), Duration.parse(value(settings, "SIM_HISTORY")),
                    Long.parseLong(value(settings, "SIM_SEED")), Double.parseDouble(value(settings, "SIM_SCALE")));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("SIM_SPEED, SIM_SCALE are numbers, SIM_HISTORY an ISO-8601 duration (P7D), SIM_SEED a whole number: "
                    + e.getMessage(), e);
        }
    }

    private static String value(Map<String, String> settings, String name) {
        String v = settings.get(name);
        return v == null || v.isBlank() ? DEFAULTS.get(name) : v.trim();
    }

    /** The default district's simulator, its history starting {@link #history()} before {@code now}, and its feed. */
    public LiveFeed toKafka(String bootstrapServers, Instant now) {
        Instant start = now.minus(history);
        Simulator simulator = Simulator.forDefaultDistrict(SimulationSettings.defaults(seed ^ start.toEpochMilli(), start).withScale(scale));
        return LiveFeed.toKafka(bootstrapServers, simulator, null, new LiveFeed.Pace(now, speed, true));
    }
}

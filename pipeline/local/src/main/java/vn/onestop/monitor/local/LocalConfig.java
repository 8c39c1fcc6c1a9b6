package vn.onestop.monitor.local;

import vn.onestop.monitor.MonitorConfig;
import vn.onestop.monitor.sim.FeedSettings;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The settings of the local stack and its demo, which a deployed job has no use for: the embedded services' ports,
 * make run's refresh period and its simulator's {@link FeedSettings}. Read like {@link MonitorConfig} (arguments
 * {@code --name=value}, then the environment variable NAME, then the default); every other argument is the job's and
 * goes to {@link MonitorConfig}, which rejects what it does not know.
 */
public record LocalConfig(MonitorConfig job, int kafkaPort, int postgresPort, Duration refresh, FeedSettings sim) {
    private static final Map<String, String> DEFAULTS = Map.of("kafka-port", "9092", "postgres-port", "55432", "refresh", "PT5S");
    private static final Set<String> SIM = Set.of("sim-speed", "sim-history", "sim-seed", "sim-scale");

    public static LocalConfig fromEnvironment(String[] args) {
        return from(args, System.getenv());
    }

    public static LocalConfig from(String[] args, Map<String, String> env) {
        Map<String, String> local = new HashMap<>();
        List<String> rest = new ArrayList<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            String name = arg.startsWith("--") && eq > 2 ? arg.substring(2, eq) : "";
            if (DEFAULTS.containsKey(name) || SIM.contains(name)) {
                local.put(envName(name), arg.substring(eq + 1));
            } else {
                rest.add(arg);
            }
        }
        Map<String, String> merged = new HashMap<>(env);
        merged.putAll(local);
        try {
            return new LocalConfig(MonitorConfig.from(rest.toArray(String[]::new), env),
                    Integer.parseInt(value(merged, "kafka-port")), Integer.parseInt(value(merged, "postgres-port")),
                    Duration.parse(value(merged, "refresh")), FeedSettings.from(merged));
        } catch (NumberFormatException | java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException("KAFKA_PORT and POSTGRES_PORT are port numbers, REFRESH an ISO-8601 duration (PT5S): " + e.getMessage(), e);
        }
    }

    /** A copy with the job's settings replaced (e.g. another data directory). */
    public LocalConfig withJob(MonitorConfig job) {
        return new LocalConfig(job, kafkaPort, postgresPort, refresh, sim);
    }

    private static String value(Map<String, String> merged, String name) {
        String v = merged.get(envName(name));
        return v == null || v.isBlank() ? DEFAULTS.get(name) : v.trim();
    }

    private static String envName(String name) {
        return name.toUpperCase(Locale.ROOT).replace('-', '_');
    }
}

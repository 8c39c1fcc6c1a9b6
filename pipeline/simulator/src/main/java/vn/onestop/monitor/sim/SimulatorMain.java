package vn.onestop.monitor.sim;

import java.time.Instant;

/**
 * The simulator on its own ({@code java -jar onestop-monitor-simulator.jar}, the Compose stack's optional
 * {@code simulator} service): the Thanh Miện district of {@code make run} feeding {@code BOOTSTRAP_SERVERS},
 * {@link FeedSettings} from the environment. Runs until stopped; reports every 30 s.
 */
public final class SimulatorMain {
    private SimulatorMain() {}

    public static void main(String[] args) throws Exception {
        if (args.length > 0) {
            // like every entry point, settings come from the environment (secrets never on a command line)
            throw new IllegalArgumentException("The simulator takes no arguments; set BOOTSTRAP_SERVERS and " + FeedSettings.DEFAULTS.keySet() + " in the environment.");
        }
        String bootstrapServers = System.getenv("BOOTSTRAP_SERVERS");
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("Set BOOTSTRAP_SERVERS to the Kafka the simulator should feed.");
        }
        FeedSettings settings = FeedSettings.from(System.getenv());
        LiveFeed feed = settings.toKafka(bootstrapServers, Instant.now());
        Runtime.getRuntime().addShutdownHook(new Thread(feed::close, "simulator-stop"));
        feed.start();
        System.out.println("simulator: feeding " + bootstrapServers + " (" + settings.history() + " of history at " + settings.speed() + "x, then live)");
        while (true) {
            Thread.sleep(30_000);
            if (feed.failure() != null) {
                throw new IllegalStateException("simulator stopped: " + feed.failure().getMessage(), feed.failure());
            }
            System.out.println("simulator: " + feed.sent().records() + " records sent, simulated time " + feed.simulatedNow());
        }
    }
}

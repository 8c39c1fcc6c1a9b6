package vn.onestop.monitor.local;

import org.apache.flink.core.execution.JobClient;
import vn.onestop.monitor.MonitorConfig;
import vn.onestop.monitor.sim.LiveFeed;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.stream.Stream;
import java.net.BindException;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;

/**
 * {@code make run}: embedded PostgreSQL and Kafka, the monitor job on a Flink MiniCluster, the simulator feeding
 * the Thanh Miện offices valid today (the 5 communes of Hải Phòng since 1 July 2025; a week of history fast-forwarded,
 * then live), and a live per-unit table read from
 * PostgreSQL every few seconds. Ctrl-C stops everything in order.
 */
public final class LocalRun {
    private LocalRun() {}

    public static void main(String[] args) throws Exception {
        LocalConfig local = LocalConfig.fromEnvironment(args);
        MonitorConfig base = local.job();
        // Every demo starts fresh: the simulator's identifiers repeat from run to run, and stale broker or database
        // data would mix two runs. make replay keeps its data apart, in <data-dir>/replay.
        Path demo = base.dataDir().resolve("demo");
        DataDirs.deleteTree(demo);
        MonitorConfig cfg = base.with("data-dir", demo.toString());
        PrintStream out = System.out;
        out.println("onestop-monitor: starting PostgreSQL and Kafka (data in " + cfg.dataDir() + ") ...");
        LocalStack stack;
        try {
            stack = LocalStack.start(local.withJob(cfg));
        } catch (Exception e) {
            if (rootCause(e) instanceof BindException) {
                System.err.println("A port is already taken (Kafka " + local.kafkaPort() + ", PostgreSQL " + local.postgresPort()
                        + "). Stop the other onestop-monitor, or set KAFKA_PORT / POSTGRES_PORT.");
                System.exit(1);
            }
            throw e;
        }
        MonitorConfig running = stack.config();
        out.println("Kafka at " + running.bootstrapServers() + ", PostgreSQL at " + stack.admin().url().replaceAll("\\?.*", ""));
        out.println("starting the Flink job (parallelism " + running.parallelism() + ") ...");
        JobClient job = LocalJob.start(running, false, "onestop-monitor");

        LiveFeed feed = local.sim().toKafka(running.bootstrapServers(), Instant.now());
        feed.start();

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            out.println("\nstopping: simulator, job, Kafka, PostgreSQL ...");
            feed.close();
            try {
                job.cancel().get();
            } catch (Exception ignored) {
                // the MiniCluster may already be down
            }
            try {
                stack.close();
            } catch (Exception e) {
                System.err.println("while stopping: " + e.getMessage());
            }
            out.println("stopped. This demo's data stays in " + cfg.dataDir() + " until the next make run.");
            stopped.countDown();
        }, "onestop-shutdown"));

        Redraw screen = Redraw.forThisProcess();
        while (stopped.getCount() > 0) {
            Instant simNow = feed.simulatedNow();
            String header = String.format("onestop-monitor · Thanh Miện · simulated time %s (+07) · %,d records sent · %,d dead letters · job %s%s",
                    LiveTable.localTime(simNow), feed.sent().records(), safeDeadLetters(stack),
                    job.getJobStatus().get(), feed.failure() == null ? "" : " · simulator error: " + feed.failure().getMessage());
            try {
                String table = LiveTable.render(stack.admin(), simNow, header) + LiveTable.openAlerts(stack.admin()) + "\n"
                        + "Last 30 local days per commune; ratios from summed counts. Ctrl-C stops.\n";
                out.print(screen.frame(table));
                out.flush();
            } catch (Exception e) {
                if (stopped.getCount() > 0) {
                    System.err.println("live table unavailable: " + e.getMessage());
                }
            }
            stopped.await(local.refresh().toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        }
    }


    private static long safeDeadLetters(LocalStack stack) {
        try {
            return LiveTable.deadLetters(stack.admin());
        } catch (Exception e) {
            return -1;
        }
    }

    private static Throwable rootCause(Throwable t) {
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }
}

package vn.onestop.monitor.bench;

import javax.management.ObjectName;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * CPU time per part of the bench, from /proc: this JVM (split by thread into the Flink job, the Kafka broker, the
 * load generator and the JVM's own GC and compiler threads) and the PostgreSQL server, a separate process tree.
 * <p>
 * A thread's CPU disappears from /proc/self/task when it ends (Flink's task threads end with a bounded job), so a
 * background thread reads every thread's time each second and keeps the last value seen; the process's own total
 * (/proc/self/stat, which keeps ended threads' time) is exact, and what no live thread accounts for is reported as
 * "ended threads".
 */
final class CpuSampler implements AutoCloseable {
    private static final Path TASKS = Path.of("/proc/self/task");
    private final long ticksPerSecond = clockTicks();
    private final Path postmasterPid;
    private final Map<Integer, Long> lastSeen = new ConcurrentHashMap<>();
    private final Map<Integer, String> names = new ConcurrentHashMap<>();
    private final Thread sampler;
    private volatile boolean running = true;

    /** @param postgresDataDir the embedded server's data directory (its postmaster.pid names the server); null if none */
    CpuSampler(Path postgresDataDir) {
        this.postmasterPid = postgresDataDir == null ? null : postgresDataDir.resolve("postmaster.pid");
        sampleThreads();
        sampler = new Thread(() -> {
            while (running) {
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    return;
                }
                sampleThreads();
            }
        }, "cpu-sampler");
        sampler.setDaemon(true);
        sampler.start();
    }

    /** CPU of every part and of the cores at one moment. */
    record Mark(long nanos, long jvm, long postgres, Map<Integer, Long> threads, ProcCpu.CoreTicks cores) {}

    Mark mark() {
        sampleThreads();
        return new Mark(System.nanoTime(), ProcCpu.parseStat(read(Path.of("/proc/self/stat"))).own(), postgresTicks(),
                Map.copyOf(lastSeen), ProcCpu.parseCores(read(Path.of("/proc/stat"))));
    }

    /**
     * Prints "N µs CPU per event" per process between two marks, and with {@code cores} the share of the machine's
     * cores that were busy (all processes on the machine, not only the bench's: vmstat's view).
     */
    void report(String phase, Mark from, Mark to, long events, boolean cores, int busiestThreads) {
        double secs = (to.nanos - from.nanos) / 1e9;
        Map<ProcCpu.Part, Long> parts = new EnumMap<>(ProcCpu.Part.class);
        for (ProcCpu.Part p : ProcCpu.Part.values()) {
            parts.put(p, 0L);
        }
        List<Map.Entry<String, Long>> perThread = new ArrayList<>();
        long attributed = 0;
        for (Map.Entry<Integer, Long> t : to.threads.entrySet()) {
            long d = t.getValue() - from.threads.getOrDefault(t.getKey(), 0L);
            if (d <= 0) {
                continue;
            }
            String name = names.getOrDefault(t.getKey(), "?" + t.getKey());
            parts.merge(ProcCpu.part(name), d, Long::sum);
            perThread.add(Map.entry(name, d));
            attributed += d;
        }
        long jvm = to.jvm - from.jvm;
        long ended = Math.max(0, jvm - attributed);
        long pg = to.postgres - from.postgres;
        long all = jvm + pg;
        System.out.printf("cpu %s: %,d events in %.1f s; CPU time from /proc (the broker, the Flink MiniCluster and the load "
                + "generator share one JVM, split by thread name; PostgreSQL is its own processes)%n", phase, events, secs);
        for (ProcCpu.Part p : ProcCpu.Part.values()) {
            line(p.label, parts.get(p), events, secs);
        }
        line("JVM threads ended between samples", ended, events, secs);
        line("whole JVM", jvm, events, secs);
        line(postmasterPid == null ? "PostgreSQL (not embedded: not measured)" : "PostgreSQL", pg, events, secs);
        line("total (all processes)", all, events, secs);
        if (cores) {
            int n = Runtime.getRuntime().availableProcessors();
            System.out.printf("  CPU use of the %d cores: %.0f %% busy on the whole machine (/proc/stat, as vmstat; other users included), "
                    + "of which the bench's processes %.0f %%%n", n, 100 * to.cores.busyShareSince(from.cores),
                    100.0 * all / ticksPerSecond / secs / n);
        }
        if (busiestThreads > 0) {
            perThread.sort(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()));
            for (Map.Entry<String, Long> t : perThread.subList(0, Math.min(busiestThreads, perThread.size()))) {
                System.out.printf("    %-70s %-22s %8.1f s%n", t.getKey(), ProcCpu.part(t.getKey()).label, (double) t.getValue() / ticksPerSecond);
            }
        }
    }

    private void line(String what, long ticks, long events, double secs) {
        double cpuSecs = (double) ticks / ticksPerSecond;
        System.out.printf("  %-36s %7.1f s CPU = %6.1f µs CPU per event (%.2f cores)%n", what, cpuSecs,
                events == 0 ? 0 : cpuSecs * 1e6 / events, cpuSecs / secs);
    }

    private void sampleThreads() {
        boolean unnamed = false;
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(TASKS)) {
            for (Path task : tasks) {
                int tid = Integer.parseInt(task.getFileName().toString());
                try {
                    lastSeen.put(tid, ProcCpu.parseStat(Files.readString(task.resolve("stat"))).own());
                } catch (IOException ended) {
                    continue; // the thread ended while being read: its last sample stands
                }
                unnamed |= !names.containsKey(tid);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + TASKS, e);
        }
        if (unnamed) {
            // A thread dump is a safepoint pause: taken only when threads have started since the last one.
            names.putAll(ProcCpu.threadNames(threadDump()));
        }
    }

    private long postgresTicks() {
        if (postmasterPid == null || !Files.exists(postmasterPid)) {
            return 0;
        }
        int pid = Integer.parseInt(read(postmasterPid).lines().findFirst().orElseThrow().trim());
        // The postmaster's own time plus the backends it has reaped, plus the live children's (backends, walwriter, ...).
        long ticks = ProcCpu.parseStat(read(Path.of("/proc/" + pid + "/stat"))).withReapedChildren();
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), p -> p.getFileName().toString().matches("\\d+"))) {
            for (Path proc : procs) {
                try {
                    ProcCpu.Stat s = ProcCpu.parseStat(Files.readString(proc.resolve("stat")));
                    if (s.ppid() == pid) {
                        ticks += s.withReapedChildren();
                    }
                } catch (IOException ended) {
                    // gone; if it was a backend its time is now in the postmaster's reaped children
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list /proc", e);
        }
        return ticks;
    }

    private static String threadDump() {
        try {
            return (String) ManagementFactory.getPlatformMBeanServer().invoke(new ObjectName("com.sun.management:type=DiagnosticCommand"),
                    "threadPrint", new Object[] {new String[0]}, new String[] {String[].class.getName()});
        } catch (Exception e) {
            throw new IllegalStateException("no thread dump from the JVM", e);
        }
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + p, e);
        }
    }

    /** USER_HZ, the unit of /proc's times: 100 on practically every Linux, asked of getconf when it can answer. */
    private static long clockTicks() {
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            return p.waitFor() == 0 ? Long.parseLong(out) : 100;
        } catch (Exception e) {
            return 100;
        }
    }

    @Override
    public void close() {
        running = false;
        sampler.interrupt();
    }
}

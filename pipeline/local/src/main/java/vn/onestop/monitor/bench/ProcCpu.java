package vn.onestop.monitor.bench;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parsing of the Linux /proc files the bench reads its CPU figures from (proc(5)), kept apart from the sampling so
 * that it can be tested on fixed strings. Times are in clock ticks (USER_HZ).
 */
final class ProcCpu {
    private ProcCpu() {}

    /** The fields of a {@code /proc/<pid>/stat} or {@code /proc/<pid>/task/<tid>/stat} line the bench uses. */
    record Stat(String comm, int ppid, long utime, long stime, long cutime, long cstime) {
        /** CPU of this process or thread itself. */
        long own() {
            return utime + stime;
        }

        /** Its own CPU and that of the children it has waited for (exited backends of PostgreSQL's postmaster). */
        long withReapedChildren() {
            return utime + stime + cutime + cstime;
        }
    }

    static Stat parseStat(String line) {
        // The command name is in parentheses and may itself hold spaces and parentheses (a thread named
        // "Source: x (1/2)#0"): the fields start after the last ')'.
        int open = line.indexOf('(');
        int close = line.lastIndexOf(')');
        if (open < 0 || close < open) {
            throw new IllegalArgumentException("not a /proc stat line: " + line);
        }
        String comm = line.substring(open + 1, close);
        String[] f = line.substring(close + 2).trim().split(" +");
        // f[0] is field 3 (state) of proc(5): ppid is field 4, utime..cstime fields 14..17.
        return new Stat(comm, Integer.parseInt(f[1]), Long.parseLong(f[11]), Long.parseLong(f[12]),
                Long.parseLong(f[13]), Long.parseLong(f[14]));
    }

    /** Busy and total ticks of all cores together, from the first ("cpu ") line of {@code /proc/stat}. */
    record CoreTicks(long busy, long total) {
        /** Share of the cores' time that was busy between {@code before} and this, as vmstat's 100 - idle - wait. */
        double busyShareSince(CoreTicks before) {
            long t = total - before.total;
            return t <= 0 ? 0 : (double) (busy - before.busy) / t;
        }
    }

    static CoreTicks parseCores(String procStat) {
        for (String line : procStat.split("\n")) {
            if (line.startsWith("cpu ")) {
                String[] f = line.substring(4).trim().split(" +");
                // user nice system idle iowait irq softirq steal [guest guest_nice]: guest time is already inside
                // user and nice, so it is not added again.
                long total = 0;
                for (int i = 0; i < Math.min(8, f.length); i++) {
                    total += Long.parseLong(f[i]);
                }
                long idle = Long.parseLong(f[3]) + (f.length > 4 ? Long.parseLong(f[4]) : 0);
                return new CoreTicks(total - idle, total);
            }
        }
        throw new IllegalArgumentException("no 'cpu ' line in /proc/stat");
    }

    private static final Pattern DUMP_THREAD = Pattern.compile("^\"(.*)\" .*\\bnid=(0x[0-9a-fA-F]+|[0-9]+)\\b", Pattern.MULTILINE);

    /**
     * Full thread names by Linux thread id, from a JVM thread dump (jstack's format, whose {@code nid} is the
     * thread id of /proc/self/task). /proc's own thread names are cut to 15 characters, too few to tell Kafka's
     * request handlers from its client threads.
     */
    static Map<Integer, String> threadNames(String threadDump) {
        Map<Integer, String> names = new HashMap<>();
        Matcher m = DUMP_THREAD.matcher(threadDump);
        while (m.find()) {
            String nid = m.group(2);
            int tid = nid.startsWith("0x") ? Integer.parseInt(nid.substring(2), 16) : Integer.parseInt(nid);
            names.put(tid, m.group(1));
        }
        return names;
    }

    /** Which part of the bench a thread of its JVM works for. */
    enum Part {
        JOB("job (Flink)"), BROKER("broker (Kafka)"), LOAD("load generator, bench main"), JVM("JVM (GC, JIT; shared)");

        final String label;

        Part(String label) {
            this.label = label;
        }
    }

    /**
     * The bench runs the Kafka broker, the Flink MiniCluster and the load generator in one JVM: its CPU is split by
     * thread name. Kafka client threads (producers, consumers, admin) belong to whoever owns the client: the bench
     * names its own producers "bench-load…"; the job's Kafka source and alert sink are the job's. The bench's main
     * thread, which produces the ceiling's load, also submits the job (graph, reference data) and counts as load.
     */
    static Part part(String thread) {
        if (thread.equals("main") || thread.startsWith("cpu-sampler") || thread.startsWith("freshness-poller")
                || thread.startsWith("ForkJoinPool.commonPool") || thread.contains("| bench-load")) {
            return Part.LOAD;
        }
        if (thread.startsWith("GC Thread") || thread.startsWith("G1 ") || thread.startsWith("VM ")
                || thread.startsWith("C1 CompilerThread") || thread.startsWith("C2 CompilerThread")
                || thread.equals("Service Thread") || thread.equals("Monitor Deflation Thread")
                || thread.equals("Signal Dispatcher") || thread.equals("Finalizer") || thread.equals("Reference Handler")
                || thread.equals("Common-Cleaner") || thread.equals("Notification Thread") || thread.equals("Sweeper thread")
                || thread.equals("Attach Listener")) {
            return Part.JVM;
        }
        if (thread.startsWith("kafka-producer-network-thread") || thread.startsWith("kafka-admin-client-thread")
                || thread.startsWith("kafka-coordinator-heartbeat-thread") || thread.startsWith("consumer_background_thread")) {
            return Part.JOB;
        }
        for (String broker : BROKER_PREFIXES) {
            if (thread.startsWith(broker)) {
                return Part.BROKER;
            }
        }
        return Part.JOB;
    }

    /** Name prefixes of the threads a KRaft broker-and-controller starts (Kafka 4). */
    private static final String[] BROKER_PREFIXES = {
            "data-plane-kafka", "kafka-", "raft-", "quorum-controller", "broker-", "controller-", "ExpirationReaper",
            "group-coordinator", "share-", "LogDirFailureHandler", "ThrottledChannelReaper", "TxnMarkerSenderThread",
            "AddPartitionsToTxnSenderThread", "ReplicaFetcherThread", "ReplicaAlterLogDirsThread", "transaction-",
            "log-cleaner", "executor-", "metrics-meter-tick-thread", "SnapshotGenerator", "event-process-thread",
            "remote-log", "RLMM", "persister", "client-metrics-reaper", "AssignmentsManager", "ClientQuotaManager",
            "fetch-session-cache", "ReplicaManager", "GroupCoordinator", "KafkaScheduler", "socket-acceptor",
    };
}

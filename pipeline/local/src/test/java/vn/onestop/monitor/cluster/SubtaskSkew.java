package vn.onestop.monitor.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Records received per subtask of one keyed operator, and how far the busiest subtask is above the mean: the
 * figure that says whether a keyed exchange spreads its load when the job scales out (issue 17). Flink-free, so the
 * arithmetic is tested on its own (SubtaskSkewTest); the cluster test fills it from Flink's REST API.
 *
 * @param operator the job vertex's name (the keyed operator at its head, and what is chained to it)
 * @param key      what the exchange into it is keyed by, in domain words
 * @param recordsIn records received by each subtask, in subtask order
 */
record SubtaskSkew(String operator, String key, List<Long> recordsIn) {
    SubtaskSkew {
        recordsIn = List.copyOf(recordsIn);
        if (recordsIn.isEmpty()) {
            throw new IllegalArgumentException(operator + ": no subtasks");
        }
    }

    long total() {
        return recordsIn.stream().mapToLong(Long::longValue).sum();
    }

    double mean() {
        return (double) total() / recordsIn.size();
    }

    long max() {
        return recordsIn.stream().mapToLong(Long::longValue).max().orElse(0);
    }

    /** Busiest subtask over the mean: 1.0 is perfectly even, {@code parallelism} is everything on one subtask. */
    double maxOverMean() {
        return total() == 0 ? 0 : max() / mean();
    }

    /** Subtasks that received nothing at all (a key set smaller than the parallelism leaves some idle). */
    int idleSubtasks() {
        return (int) recordsIn.stream().filter(n -> n == 0).count();
    }

    /** One line per subtask: operator, key, subtask, records in, mean, max/mean (the last two on the operator's first line). */
    static String table(List<SubtaskSkew> operators) {
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "| %-40s | %-16s | %7s | %10s | %10s | %8s |", "operator", "keyed by", "subtask", "records in", "mean", "max/mean"));
        lines.add("|" + "-".repeat(42) + "|" + "-".repeat(18) + "|" + "-".repeat(8) + ":|" + "-".repeat(11) + ":|" + "-".repeat(11) + ":|" + "-".repeat(9) + ":|");
        for (SubtaskSkew s : operators) {
            for (int i = 0; i < s.recordsIn.size(); i++) {
                boolean first = i == 0;
                lines.add(String.format(Locale.ROOT, "| %-40s | %-16s | %7d | %,10d | %10s | %8s |",
                        first ? abbreviate(s.operator, 40) : "", first ? s.key : "", i, s.recordsIn.get(i),
                        first ? String.format(Locale.ROOT, "%,.1f", s.mean()) : "",
                        first ? String.format(Locale.ROOT, "%.2f", s.maxOverMean()) : ""));
            }
        }
        return String.join("\n", lines);
    }

    private static String abbreviate(String s, int width) {
        return s.length() <= width ? s : s.substring(0, width - 1) + "…";
    }
}

package vn.onestop.monitor.ingest;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Tallies summed per topic and day until drained: the Flink-free core of {@link TallyPreAggregator}. Every record
 * read gives two tallies and a backfill's records mostly share one day, so without it one subtask of
 * {@link TallyCounts} received two records per event; with it, one per key and flush.
 */
public final class TallyBuffer {
    private record Key(String topic, int day) {}

    private static final int OUTCOMES = Tally.Outcome.values().length;
    private final Map<Key, long[]> counts = new HashMap<>();
    /** The key and counts of the last tally added: a task's tallies almost all share one topic and day. */
    private String lastTopic;
    private int lastDay;
    private long[] last;

    public void add(Tally t) {
        if (last == null || t.day != lastDay || !java.util.Objects.equals(t.topic, lastTopic)) {
            last = counts.computeIfAbsent(new Key(t.topic, t.day), k -> new long[OUTCOMES]);
            lastTopic = t.topic;
            lastDay = t.day;
        }
        last[t.outcome.ordinal()]++;
    }

    /** Number of keys held: what a flush would emit. */
    public int size() {
        return counts.size();
    }

    public boolean isEmpty() {
        return counts.isEmpty();
    }

    /** The partial sums held, one per key, and an empty buffer. */
    public List<TallySum> drain() {
        List<TallySum> sums = new ArrayList<>(counts.size());
        counts.forEach((k, c) -> sums.add(new TallySum(k.topic(), k.day(), c)));
        counts.clear();
        last = null;
        return sums;
    }
}

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

    public void add(Tally t) {
        counts.computeIfAbsent(new Key(t.topic, t.day), k -> new long[OUTCOMES])[t.outcome.ordinal()]++;
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
        return sums;
    }
}

package vn.onestop.monitor.ingest;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * Sums tallies in the producing task (it is chained to the operator whose side output it reads) and emits the
 * partial sums for {@link TallyCounts} to add; when the sums leave, and why the totals stay exact across restores,
 * is {@link PreAggregator}'s. The parsers' side outputs see no watermarks (their sources have none), so the
 * processing-time flush is what bounds the live reconciliation's lag.
 */
public final class TallyPreAggregator extends PreAggregator<Tally, TallySum> {
    private static final long serialVersionUID = 1L;
    /** A flush per 1,024 keys: the keys are topic × day, so only a replay spanning years reaches it between watermarks. */
    public static final int DEFAULT_MAX_KEYS = 1024;
    /** Bounds how late the live reconciliation lags where no watermark comes. */
    public static final long DEFAULT_FLUSH_INTERVAL_MS = 1000;

    private transient TallyBuffer buffer;

    public TallyPreAggregator(int maxKeys, long flushIntervalMs) {
        super(maxKeys, flushIntervalMs);
    }

    /** The tallies of one operator's side output, summed in its task; {@code from} names the operator in uids. */
    public static DataStream<TallySum> sums(DataStream<Tally> tallies, String from) {
        return tallies.transform("sum tallies: " + from, TypeInformation.of(TallySum.class),
                        new TallyPreAggregator(DEFAULT_MAX_KEYS, DEFAULT_FLUSH_INTERVAL_MS))
                .uid("tally-sums-" + from);
    }

    @Override
    public void open() throws Exception {
        buffer = new TallyBuffer();
        super.open();
    }

    @Override
    protected void add(Tally tally) {
        buffer.add(tally);
    }

    @Override
    protected int size() {
        return buffer.size();
    }

    @Override
    protected void drain() {
        for (TallySum s : buffer.drain()) {
            emit(s);
        }
    }
}

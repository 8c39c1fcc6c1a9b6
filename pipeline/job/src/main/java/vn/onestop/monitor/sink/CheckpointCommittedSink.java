package vn.onestop.monitor.sink;

import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.api.connector.sink2.CommitterInitContext;
import org.apache.flink.api.connector.sink2.CommittingSinkWriter;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.SupportsCommitter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.core.memory.DataOutputView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.Serializable;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Upserts that reach PostgreSQL only once a checkpoint covering them has completed (Flink's committer): rows are
 * coalesced by key until the checkpoint barrier, kept in the checkpoint as that checkpoint's committable, and written
 * (one transaction, retried for {@code retryFor}) when the checkpoint completes, or again after a restore if it had
 * not been confirmed. A failed attempt's rows after its last completed checkpoint are therefore never written.
 *
 * <p>Why {@code sla_alert} needs this in bounded runs: the alerts are sent as changes (an alert, later its update
 * or retraction), and the operator retracts only what its state says it sent. An alert sent after the last
 * checkpoint by an attempt that then failed is not in the restored state; when the replay reads the dossier's events
 * in another order relative to the watermark, it may never raise that alert, so it never retracts it either, and a
 * row written by {@link UpsertSink} would stay (RestartFromCheckpointTest, docs/OPERATIONS.md). The cost is latency
 * (an alert waits for the next checkpoint), which is why live runs keep {@link UpsertSink}.
 */
public final class CheckpointCommittedSink<T> implements Sink<T>, SupportsCommitter<List<T>> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(CheckpointCommittedSink.class);

    /** How a row is kept in a checkpoint while its commit is pending. */
    public interface RowCodec<T> extends Serializable {
        void write(DataOutputView out, T row) throws IOException;

        T read(DataInputView in) throws IOException;
    }

    private final Database database;
    private final UpsertStatement<T> statement;
    private final RowCodec<T> codec;
    private final Duration retryFor;

    public CheckpointCommittedSink(Database database, UpsertStatement<T> statement, RowCodec<T> codec, Duration retryFor) {
        this.database = database;
        this.statement = statement;
        this.codec = codec;
        this.retryFor = retryFor;
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) {
        return new Writer<>(statement);
    }

    @Override
    public Committer<List<T>> createCommitter(CommitterInitContext context) {
        return new Commit<>(database, statement, retryFor);
    }

    @Override
    public SimpleVersionedSerializer<List<T>> getCommittableSerializer() {
        return new RowsSerializer<>(codec);
    }

    /** Coalesces by key; hands the rows over at each barrier and at the end of input. */
    static final class Writer<T> implements CommittingSinkWriter<T, List<T>> {
        private final UpsertStatement<T> statement;
        private Map<String, T> buffer = new LinkedHashMap<>();

        Writer(UpsertStatement<T> statement) {
            this.statement = statement;
        }

        @Override
        public void write(T row, Context context) {
            buffer.put(statement.key(row), row);
        }

        @Override
        public void flush(boolean endOfInput) {
            // The rows leave with prepareCommit, which follows.
        }

        @Override
        public Collection<List<T>> prepareCommit() {
            if (buffer.isEmpty()) {
                return List.of();
            }
            List<T> rows = new ArrayList<>(buffer.values());
            buffer = new LinkedHashMap<>();
            return List.of(rows);
        }

        @Override
        public void close() {
            // Rows not yet handed over belong to no completed checkpoint: a restart derives them again.
        }
    }

    /** Writes the committables of completed checkpoints, oldest first, newest operation per key, in one transaction. */
    static final class Commit<T> implements Committer<List<T>> {
        private final UpsertStatement<T> statement;
        private final Duration retryFor;
        private final SinkSession<T> session;

        Commit(Database database, UpsertStatement<T> statement, Duration retryFor) {
            this.statement = statement;
            this.retryFor = retryFor;
            this.session = new SinkSession<>(database, statement, Integer.MAX_VALUE);
        }

        @Override
        public void commit(Collection<CommitRequest<List<T>>> requests) throws IOException, InterruptedException {
            Map<String, T> rows = new LinkedHashMap<>();
            for (CommitRequest<List<T>> request : requests) {
                for (T row : request.getCommittable()) {
                    String key = statement.key(row);
                    rows.remove(key); // a later checkpoint's operation replaces an earlier one's, in its own place
                    rows.put(key, row);
                }
            }
            if (rows.isEmpty()) {
                return;
            }
            long deadline = System.currentTimeMillis() + retryFor.toMillis();
            long backoff = 200;
            while (true) {
                try {
                    session.write(rows.values());
                    return;
                } catch (SQLException e) {
                    session.close();
                    if (System.currentTimeMillis() > deadline) {
                        // The job fails and restarts from its last checkpoint, whose pending rows are committed again.
                        throw new IOException("PostgreSQL still refuses writes after " + retryFor + ": " + UpsertSink.describe(e));
                    }
                    LOG.warn("Commit of {} rows failed ({}); retrying in {} ms", rows.size(), UpsertSink.describe(e), backoff);
                    Thread.sleep(backoff);
                    backoff = Math.min(backoff * 2, 5_000);
                }
            }
        }

        @Override
        public void close() {
            session.close();
        }
    }

    /** A committable in a checkpoint: version 1, the row count, then each row by the codec. */
    static final class RowsSerializer<T> implements SimpleVersionedSerializer<List<T>> {
        private final RowCodec<T> codec;

        RowsSerializer(RowCodec<T> codec) {
            this.codec = codec;
        }

        @Override
        public int getVersion() {
            return 1;
        }

        @Override
        public byte[] serialize(List<T> rows) throws IOException {
            DataOutputSerializer out = new DataOutputSerializer(64 * rows.size() + 8);
            out.writeInt(rows.size());
            for (T row : rows) {
                codec.write(out, row);
            }
            return out.getCopyOfBuffer();
        }

        @Override
        public List<T> deserialize(int version, byte[] bytes) throws IOException {
            if (version != 1) {
                throw new IOException("unknown version " + version + " of pending " + "rows in a checkpoint");
            }
            DataInputDeserializer in = new DataInputDeserializer(bytes);
            int n = in.readInt();
            List<T> rows = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                rows.add(codec.read(in));
            }
            return rows;
        }
    }
}

package vn.onestop.monitor.sink;

import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.metrics.Counter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Writes rows to PostgreSQL as idempotent upserts of absolute values. Rows are coalesced by identity between
 * flushes (only the newest row per key is written), flushed every {@code flushInterval}, when the buffer is full,
 * before every checkpoint and at the end of input: at-least-once delivery of absolute values means a restart or
 * replay rewrites the same numbers instead of adding them again.
 *
 * <p>The writes run on a thread of their own, one batch at a time and in order, so that the task thread goes on
 * processing while PostgreSQL works; the task waits for them only where it must: before the checkpoint barrier
 * ({@link SinkWriter#flush} is called there, and returns once everything buffered is committed, so a completed
 * checkpoint never covers a row that is not in the database), at the end of input, and when a new batch is ready
 * before the previous one is written (backpressure). A batch of at least {@code copyMinRows} upserts is bulk-loaded
 * ({@link CopyLoad}: COPY into a staging table and one upsert statement); smaller ones, the usual live case, go as
 * a JDBC batch.
 */
public final class UpsertSink<T> implements Sink<T> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(UpsertSink.class);
    /**
     * No sink of the job bulk-loads yet: with bulk loads on (for every sink, or for the bounded runs' dossier sink
     * only), RestartFromCheckpointTest ended three times out of three with other DOSSIER_OVERDUE rows in sla_alert
     * after the injected failure than in the run without one; with them off it passed. BulkLoadTest finds both paths
     * leave equal tables, so the suspicion is on timing (alerts whose raising depends on when the watermark passes a
     * due time relative to the dossier's last event), not on the rows written; not found yet.
     */
    public static final int DEFAULT_COPY_MIN_ROWS = Integer.MAX_VALUE;
    /** From this many rows a flush is bulk-loaded (when a sink is given it): below it the staging table costs more than it saves. */
    public static final int BULK_LOAD_MIN_ROWS = 256;
    /** Bytes per CopyData message. */
    private static final int COPY_CHUNK = 1 << 16;

    private final Database database;
    private final UpsertStatement<T> statement;
    private final long flushIntervalMs;
    private final int maxBuffered;
    private final Duration retryFor;
    private final int copyMinRows;

    public UpsertSink(Database database, UpsertStatement<T> statement, Duration flushInterval, int maxBuffered, Duration retryFor) {
        this(database, statement, flushInterval, maxBuffered, retryFor, DEFAULT_COPY_MIN_ROWS);
    }

    /** {@code copyMinRows}: the smallest flush that is bulk-loaded; {@link Integer#MAX_VALUE} never bulk-loads. */
    public UpsertSink(Database database, UpsertStatement<T> statement, Duration flushInterval, int maxBuffered, Duration retryFor, int copyMinRows) {
        this.database = database;
        this.statement = statement;
        this.flushIntervalMs = flushInterval.toMillis();
        this.maxBuffered = maxBuffered;
        this.retryFor = retryFor;
        this.copyMinRows = copyMinRows;
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) {
        return new Writer<>(this, context.getProcessingTimeService(),
                context.metricGroup().counter("rowsWritten"), context.getTaskInfo().getIndexOfThisSubtask());
    }

    private static final class Writer<T> implements SinkWriter<T> {
        private final UpsertSink<T> cfg;
        private final ProcessingTimeService time;
        private final Counter rowsWritten;
        private final ExecutorService writer;
        private final CopyLoad copy;
        private Map<String, T> buffer = new LinkedHashMap<>();
        /** The batch being written, or null. */
        private Future<?> inFlight;
        private int inFlightRows;
        // Used on the writer thread only.
        private Connection connection;
        private PreparedStatement ps;
        private PreparedStatement delete;
        /** COPY's bytes, reused by every bulk load of this writer (its thread only). */
        private final CopyBuffer copyBuffer = new CopyBuffer();
        /** The column types of this connection's staging table, null before it has one. */
        private String[] stagingTypes;
        private boolean timerSet;
        /** Set by {@link #close}: the writer thread stops retrying. */
        private volatile boolean closing;

        Writer(UpsertSink<T> cfg, ProcessingTimeService time, Counter rowsWritten, int subtask) {
            this.cfg = cfg;
            this.time = time;
            this.rowsWritten = rowsWritten;
            this.copy = cfg.copyMinRows == Integer.MAX_VALUE ? null : CopyLoad.of(cfg.statement.sql());
            String name = "upsert " + (copy != null ? copy.table() : cfg.statement.getClass().getSimpleName()) + " #" + subtask;
            this.writer = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, name);
                t.setDaemon(true);
                return t;
            });
        }

        @Override
        public void write(T row, Context context) throws IOException {
            buffer.put(cfg.statement.key(row), row);
            if (buffer.size() >= cfg.maxBuffered) {
                flushBuffer(false);
            } else if (!timerSet) {
                timerSet = true;
                time.registerTimer(time.getCurrentProcessingTime() + cfg.flushIntervalMs, t -> {
                    timerSet = false;
                    flushBuffer(false);
                });
            }
        }

        /** Before a checkpoint barrier and at the end of input: returns once every row received is committed. */
        @Override
        public void flush(boolean endOfInput) throws IOException {
            flushBuffer(true);
        }

        /** Hands the buffer to the writer thread, after the batch before it is written; {@code wait}: until it is too. */
        private void flushBuffer(boolean wait) throws IOException {
            if (inFlight != null && (wait || !buffer.isEmpty() || inFlight.isDone())) {
                awaitInFlight();
            }
            if (!buffer.isEmpty()) {
                Map<String, T> batch = buffer;
                buffer = new LinkedHashMap<>();
                inFlightRows = batch.size();
                inFlight = writer.submit(() -> {
                    writeWithRetries(batch);
                    return null;
                });
                if (wait) {
                    awaitInFlight();
                }
            }
        }

        private void awaitInFlight() throws IOException {
            try {
                inFlight.get();
                rowsWritten.inc(inFlightRows);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for a write to " + cfg.database, e);
            } catch (ExecutionException e) {
                throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
            } finally {
                inFlight = null;
            }
        }

        private void writeWithRetries(Map<String, T> batch) throws IOException {
            long deadline = System.currentTimeMillis() + cfg.retryFor.toMillis();
            long backoff = 200;
            while (true) {
                try {
                    writeBatch(batch);
                    return;
                } catch (SQLException e) {
                    closeQuietly();
                    if (System.currentTimeMillis() > deadline) {
                        throw new IOException("PostgreSQL still refuses writes after " + cfg.retryFor
                                + " (" + cfg.database + "): " + describe(e) + ". Check that the database is up and the job's role may write.");
                    }
                    if (closing) {
                        throw new IOException("the sink closed while a write to " + cfg.database + " was failing: " + describe(e));
                    }
                    LOG.warn("Write to {} failed ({}); retrying in {} ms", cfg.database, describe(e), backoff);
                    for (long slept = 0; slept < backoff && !closing; slept += 50) {
                        try {
                            Thread.sleep(50);
                        } catch (InterruptedException ie) {
                            Thread.currentThread().interrupt();
                            throw new IOException("interrupted while retrying a write", ie);
                        }
                    }
                    backoff = Math.min(backoff * 2, 5_000);
                }
            }
        }
        /**
         * The error without the rows: a batch failure's message quotes every bound value, and dead-letter payloads
         * may hold personal data, so only the SQLSTATE and the server's first line are logged.
         */
        static String describe(SQLException e) {
            SQLException cause = e.getNextException() != null ? e.getNextException() : e;
            String msg = cause.getMessage() == null ? "" : cause.getMessage();
            if (e instanceof java.sql.BatchUpdateException && cause == e) {
                msg = "batch rejected";
            }
            int nl = msg.indexOf('\n');
            msg = nl >= 0 ? msg.substring(0, nl) : msg;
            return "SQLSTATE " + cause.getSQLState() + ": " + (msg.length() > 200 ? msg.substring(0, 200) + "…" : msg);
        }

        private void writeBatch(Map<String, T> batch) throws SQLException {
            if (connection == null) {
                connection = cfg.database.connect();
                connection.setAutoCommit(false);
                ps = connection.prepareStatement(cfg.statement.sql());
                stagingTypes = null;
            }
            try {
                List<T> upserts = new ArrayList<>(batch.size());
                boolean deletes = false;
                for (T row : batch.values()) {
                    if (cfg.statement.isDelete(row)) {
                        if (delete == null) {
                            delete = connection.prepareStatement(cfg.statement.deleteSql());
                        }
                        cfg.statement.bindDelete(delete, row);
                        delete.addBatch();
                        deletes = true;
                    } else {
                        upserts.add(row);
                    }
                }
                // One operation per key survives coalescing, so the order of deletes and upserts does not matter.
                if (copy != null && upserts.size() >= cfg.copyMinRows) {
                    bulkLoad(upserts);
                } else {
                    for (T row : upserts) {
                        cfg.statement.bind(ps, row);
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
                if (deletes) {
                    delete.executeBatch();
                }
                connection.commit();
            } catch (SQLException e) {
                try {
                    connection.rollback();
                } catch (SQLException ignored) {
                    // the connection is dropped next anyway
                }
                throw e;
            }
        }

        /** COPY into the session's staging table, then one upsert from it; the commit empties the staging table. */
        private void bulkLoad(List<T> rows) throws SQLException {
            CopyLoad.Recorder recorder = copy.recorder();
            copyBuffer.clear();
            for (T row : rows) {
                Object[] values = recorder.start();
                cfg.statement.bind(recorder.statement, row);
                copy.appendRow(copyBuffer, values);
            }
            String[] types = recorder.types();
            if (!java.util.Arrays.equals(types, stagingTypes)) {
                // First bulk load of this connection, or the values came with other types (all NULL before).
                try (Statement st = connection.createStatement()) {
                    st.execute(copy.dropStaging());
                    st.execute(copy.createStaging(types));
                }
                stagingTypes = types;
            }
            CopyIn in = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(copy.copySql());
            try {
                for (int off = 0; off < copyBuffer.size(); off += COPY_CHUNK) {
                    in.writeToCopy(copyBuffer.bytes(), off, Math.min(COPY_CHUNK, copyBuffer.size() - off));
                }
                in.endCopy();
            } finally {
                if (in.isActive()) {
                    in.cancelCopy();
                }
            }
            try (Statement st = connection.createStatement()) {
                st.executeUpdate(copy.mergeSql());
            }
        }

        private void closeQuietly() {
            try {
                if (connection != null) {
                    connection.close();
                }
            } catch (SQLException ignored) {
                // already broken
            }
            connection = null;
            ps = null;
            delete = null;
            stagingTypes = null;
        }

        @Override
        public void close() throws Exception {
            // The job is finishing, failing or cancelled. A write already under way is let finish (or fail), as it
            // would have on the task thread: returning earlier could let a failed attempt's transaction commit after
            // the restarted job has written newer rows. Retries stop; the connection closes on the writer thread.
            closing = true;
            writer.execute(this::closeQuietly);
            writer.shutdown();
            while (!writer.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warn("Still waiting for a write to {} to end before the sink closes", cfg.database);
            }
        }
    }
}

package vn.onestop.monitor.sink;

import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.metrics.Counter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;


import java.io.IOException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
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
     * Sinks built without a threshold never bulk-load: their flushes are small (alerts, tallies, ratings, dead
     * letters). The job gives {@link #BULK_LOAD_MIN_ROWS} to the {@code dossier} and {@code kpi_hourly} sinks, which
     * carry most of the rows (docs/OPERATIONS.md). RestartFromCheckpointTest's other DOSSIER_OVERDUE rows after a
     * restart, which once kept bulk loads off, are not the bulk path's: the stale row was written by a JDBC batch of
     * the sla_alert sink after the last checkpoint, see docs/OPERATIONS.md.
     */
    public static final int DEFAULT_COPY_MIN_ROWS = Integer.MAX_VALUE;
    /**
     * From this many upserts a flush is bulk-loaded (when a sink is given it). Measured with
     * {@code sink.CopyVsBatch} (pipeline/local tests): below about 128 rows the staging table's extra statements
     * cost PostgreSQL and the client more than they save; from 256 rows COPY costs less of both.
     */
    public static final int BULK_LOAD_MIN_ROWS = 256;

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

    /** The error without the rows (see the writer's own). */
    static String describe(SQLException e) {
        return Writer.describe(e);
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
        private Map<String, T> buffer = new LinkedHashMap<>();
        /** The batch being written, or null. */
        private Future<?> inFlight;
        private int inFlightRows;
        /** Used on the writer thread only. */
        private final SinkSession<T> session;
        private boolean timerSet;
        /** Set by {@link #close}: the writer thread stops retrying. */
        private volatile boolean closing;

        Writer(UpsertSink<T> cfg, ProcessingTimeService time, Counter rowsWritten, int subtask) {
            this.cfg = cfg;
            this.time = time;
            this.rowsWritten = rowsWritten;
            this.session = new SinkSession<>(cfg.database, cfg.statement, cfg.copyMinRows);
            String table = session.bulkTable();
            String name = "upsert " + (table != null ? table : cfg.statement.getClass().getSimpleName()) + " #" + subtask;
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
                    session.write(batch.values());
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

        private void closeQuietly() {
            session.close();
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

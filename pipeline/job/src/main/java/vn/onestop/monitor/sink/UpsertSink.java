package vn.onestop.monitor.sink;

import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.metrics.Counter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes rows to PostgreSQL as idempotent upserts of absolute values. Rows are coalesced by identity between
 * flushes (only the newest row per key is written), flushed every {@code flushInterval}, when the buffer is full,
 * before every checkpoint and at the end of input: at-least-once delivery of absolute values means a restart or
 * replay rewrites the same numbers instead of adding them again.
 */
public final class UpsertSink<T> implements Sink<T> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(UpsertSink.class);

    private final Database database;
    private final UpsertStatement<T> statement;
    private final long flushIntervalMs;
    private final int maxBuffered;
    private final Duration retryFor;

    public UpsertSink(Database database, UpsertStatement<T> statement, Duration flushInterval, int maxBuffered, Duration retryFor) {
        this.database = database;
        this.statement = statement;
        this.flushIntervalMs = flushInterval.toMillis();
        this.maxBuffered = maxBuffered;
        this.retryFor = retryFor;
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) {
        return new Writer<>(this, context.getProcessingTimeService(),
                context.metricGroup().counter("rowsWritten"));
    }

    private static final class Writer<T> implements SinkWriter<T> {
        private final UpsertSink<T> cfg;
        private final ProcessingTimeService time;
        private final Counter rowsWritten;
        private final Map<String, T> buffer = new LinkedHashMap<>();
        private Connection connection;
        private PreparedStatement ps;
        private PreparedStatement delete;
        private boolean timerSet;

        Writer(UpsertSink<T> cfg, ProcessingTimeService time, Counter rowsWritten) {
            this.cfg = cfg;
            this.time = time;
            this.rowsWritten = rowsWritten;
        }

        @Override
        public void write(T row, Context context) throws IOException {
            buffer.put(cfg.statement.key(row), row);
            if (buffer.size() >= cfg.maxBuffered) {
                flushBuffer();
            } else if (!timerSet) {
                timerSet = true;
                time.registerTimer(time.getCurrentProcessingTime() + cfg.flushIntervalMs, t -> {
                    timerSet = false;
                    flushBuffer();
                });
            }
        }

        @Override
        public void flush(boolean endOfInput) throws IOException {
            flushBuffer();
        }

        private void flushBuffer() throws IOException {
            if (buffer.isEmpty()) {
                return;
            }
            long deadline = System.currentTimeMillis() + cfg.retryFor.toMillis();
            long backoff = 200;
            while (true) {
                try {
                    writeBatch();
                    rowsWritten.inc(buffer.size());
                    buffer.clear();
                    return;
                } catch (SQLException e) {
                    closeQuietly();
                    if (System.currentTimeMillis() > deadline) {
                        throw new IOException("PostgreSQL still refuses writes after " + cfg.retryFor
                                + " (" + cfg.database + "): " + describe(e) + ". Check that the database is up and the job's role may write.");
                    }
                    LOG.warn("Write to {} failed ({}); retrying in {} ms", cfg.database, describe(e), backoff);
                    try {
                        Thread.sleep(backoff);
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                        throw new IOException("interrupted while retrying a write", ie);
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

        private void writeBatch() throws SQLException {
            if (connection == null) {
                connection = cfg.database.connect();
                connection.setAutoCommit(false);
                ps = connection.prepareStatement(cfg.statement.sql());
            }
            try {
                boolean deletes = false;
                for (T row : buffer.values()) {
                    if (cfg.statement.isDelete(row)) {
                        if (delete == null) {
                            delete = connection.prepareStatement(cfg.statement.deleteSql());
                        }
                        cfg.statement.bindDelete(delete, row);
                        delete.addBatch();
                        deletes = true;
                    } else {
                        cfg.statement.bind(ps, row);
                        ps.addBatch();
                    }
                }
                // One operation per key survives coalescing, so the order of deletes and upserts does not matter.
                ps.executeBatch();
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
        }

        @Override
        public void close() throws Exception {
            closeQuietly();
        }
    }
}

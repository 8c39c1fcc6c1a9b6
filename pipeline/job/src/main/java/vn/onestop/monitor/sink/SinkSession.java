package vn.onestop.monitor.sink;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/**
 * One connection of a sink writer and what it keeps between batches (prepared statements, the bulk load's staging
 * table and bytes). {@link #write} applies one coalesced batch in one transaction: deletes as a JDBC batch, upserts
 * as a JDBC batch or, from {@code copyMinRows} upserts, as a bulk load ({@link CopyLoad}). Used by one thread at a
 * time (the writer's); after an {@link SQLException} the caller closes it, and the next write reconnects.
 */
final class SinkSession<T> implements AutoCloseable {
    /** Bytes per CopyData message. */
    private static final int COPY_CHUNK = 1 << 16;

    private final Database database;
    private final UpsertStatement<T> statement;
    private final int copyMinRows;
    /** The bulk form of the statement; null when this session never bulk-loads. */
    private final CopyLoad copy;
    private Connection connection;
    private PreparedStatement ps;
    private PreparedStatement delete;
    /** COPY's bytes, reused by every bulk load of this session. */
    private final CopyBuffer copyBuffer = new CopyBuffer();
    /** The column types of this connection's staging table, null before it has one. */
    private String[] stagingTypes;

    /** {@code copyMinRows}: the smallest number of upserts that is bulk-loaded; {@link Integer#MAX_VALUE} never. */
    SinkSession(Database database, UpsertStatement<T> statement, int copyMinRows) {
        this.database = database;
        this.statement = statement;
        this.copyMinRows = copyMinRows;
        this.copy = copyMinRows == Integer.MAX_VALUE ? null : CopyLoad.of(statement.sql());
    }

    /** The table's name when the statement has a bulk form, else null. */
    String bulkTable() {
        return copy == null ? null : copy.table();
    }

    /**
     * Writes one batch and commits. The batch must hold at most one row per {@link UpsertStatement#key} (the
     * writer's coalescing guarantees it): the bulk load's single {@code INSERT … SELECT … ON CONFLICT DO UPDATE}
     * refuses to touch a row twice (SQLSTATE 21000), and with one operation per key the order of deletes and upserts
     * does not matter.
     */
    void write(Collection<T> batch) throws SQLException {
        if (connection == null) {
            connection = database.connect();
            connection.setAutoCommit(false);
            ps = connection.prepareStatement(statement.sql());
            stagingTypes = null;
        }
        try {
            List<T> upserts = new ArrayList<>(batch.size());
            boolean deletes = false;
            for (T row : batch) {
                if (statement.isDelete(row)) {
                    if (delete == null) {
                        delete = connection.prepareStatement(statement.deleteSql());
                    }
                    statement.bindDelete(delete, row);
                    delete.addBatch();
                    deletes = true;
                } else {
                    upserts.add(row);
                }
            }
            if (copy != null && upserts.size() >= copyMinRows) {
                bulkLoad(upserts);
            } else if (!upserts.isEmpty()) {
                for (T row : upserts) {
                    statement.bind(ps, row);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            if (deletes) {
                delete.executeBatch();
            }
            connection.commit();
        } catch (SQLException | RuntimeException e) {
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
            statement.bind(recorder.statement, row);
            copy.appendRow(copyBuffer, values);
        }
        String[] types = recorder.types();
        if (!Arrays.equals(types, stagingTypes)) {
            // First bulk load of this connection, or the values came with other types (all NULL before). The DROP
            // and CREATE are part of this transaction: a rollback undoes them, and the caller then drops the session.
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

    /** Drops the connection (and with it the session's temporary staging table); the next write reconnects. */
    @Override
    public void close() {
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
}

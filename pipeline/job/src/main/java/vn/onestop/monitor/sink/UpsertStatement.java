package vn.onestop.monitor.sink;

import java.io.Serializable;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/** How one kind of row is upserted: the SQL, the row's identity, and how to bind it. */
public interface UpsertStatement<T> extends Serializable {
    String sql();

    String key(T row);

    void bind(PreparedStatement ps, T row) throws SQLException;

    /** Rows can also say they no longer exist (a retracted alert); statements that never delete keep the default. */
    default boolean isDelete(T row) {
        return false;
    }

    default String deleteSql() {
        throw new UnsupportedOperationException("this table is never deleted from");
    }

    default void bindDelete(PreparedStatement ps, T row) throws SQLException {
        throw new UnsupportedOperationException("this table is never deleted from");
    }
}

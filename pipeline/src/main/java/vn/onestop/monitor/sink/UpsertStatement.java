package vn.onestop.monitor.sink;

import java.io.Serializable;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/** How one kind of row is upserted: the SQL, the row's identity, and how to bind it. */
public interface UpsertStatement<T> extends Serializable {
    String sql();

    String key(T row);

    void bind(PreparedStatement ps, T row) throws SQLException;
}

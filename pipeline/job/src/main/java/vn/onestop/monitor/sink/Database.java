package vn.onestop.monitor.sink;

import java.io.Serializable;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;

/** Where and as whom to connect to PostgreSQL. The password comes from the environment, never from a file. */
public final class Database implements Serializable {
    private static final long serialVersionUID = 1L;
    /**
     * The driver itself rather than DriverManager: DriverManager only hands out drivers registered from the
     * caller's class loader, and a Flink session cluster gives every submitted job a class loader of its own.
     */
    private static final java.sql.Driver DRIVER = new org.postgresql.Driver();
    private final String url;
    private final String user;
    private final String password;

    public Database(String url, String user, String password) {
        this.url = url;
        this.user = user;
        this.password = password;
    }

    public Connection connect() throws SQLException {
        Properties p = new Properties();
        if (user != null) {
            p.setProperty("user", user);
        }
        if (password != null) {
            p.setProperty("password", password);
        }
        p.setProperty("reWriteBatchedInserts", "true");
        p.setProperty("ApplicationName", "onestop-monitor");
        Connection c = DRIVER.connect(url, p);
        if (c == null) {
            throw new SQLException("Not a PostgreSQL JDBC URL: " + url.replaceAll("\\?.*", "") + " (expected jdbc:postgresql://host:port/database)");
        }
        return c;
    }

    public String url() {
        return url;
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    public Database as(String otherUser, String otherPassword) {
        return new Database(url, otherUser, otherPassword);
    }

    @Override
    public String toString() {
        return url + " as " + user;
    }
}

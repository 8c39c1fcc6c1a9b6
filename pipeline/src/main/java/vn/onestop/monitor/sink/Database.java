package vn.onestop.monitor.sink;

import java.io.Serializable;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/** Where and as whom to connect to PostgreSQL. The password comes from the environment, never from a file. */
public final class Database implements Serializable {
    private static final long serialVersionUID = 1L;
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
        return DriverManager.getConnection(url, p);
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

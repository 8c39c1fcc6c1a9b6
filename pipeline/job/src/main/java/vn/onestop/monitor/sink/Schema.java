package vn.onestop.monitor.sink;

import org.flywaydb.core.Flyway;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** Brings the database to the current schema (Flyway) and sets up the least-privilege login roles. */
public final class Schema {
    private Schema() {}

    public static int migrate(Database admin) {
        return Flyway.configure()
                .dataSource(admin.url(), admin.user(), admin.password())
                .locations("classpath:db/migration")
                .load()
                .migrate()
                .migrationsExecuted;
    }

    /**
     * Creates (or re-passwords) the login user the job writes as and the one Grafana reads as. Each is a member of
     * exactly one group role of the migrations: {@code onestop_writer} or {@code onestop_reader}.
     */
    public static void ensureLoginRoles(Database admin, String jobUser, String jobPassword, String readerUser, String readerPassword) throws SQLException {
        try (Connection c = admin.connect()) {
            ensureLogin(c, jobUser, jobPassword, "onestop_writer");
            ensureLogin(c, readerUser, readerPassword, "onestop_reader");
        }
    }

    private static void ensureLogin(Connection c, String user, String password, String group) throws SQLException {
        if (!user.matches("[a-z_][a-z0-9_]{0,62}")) {
            throw new IllegalArgumentException("database user name '" + user + "' must be lower-case letters, digits and _");
        }
        boolean exists;
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_roles WHERE rolname = ?")) {
            ps.setString(1, user);
            try (ResultSet rs = ps.executeQuery()) {
                exists = rs.next();
            }
        }
        try (Statement s = c.createStatement()) {
            String quotedPassword = "'" + password.replace("'", "''") + "'";
            s.execute((exists ? "ALTER" : "CREATE") + " ROLE " + user + " LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD " + quotedPassword);
            s.execute("GRANT " + group + " TO " + user);
        }
    }
}

package vn.onestop.monitor.local;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import vn.onestop.monitor.sink.Database;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A real PostgreSQL server from the embedded binaries on Maven Central, with its data directory where the caller
 * says (kept between runs unless the caller passes a fresh one).
 */
public final class LocalPostgres implements AutoCloseable {
    private final EmbeddedPostgres pg;

    private LocalPostgres(EmbeddedPostgres pg) {
        this.pg = pg;
    }

    /** @param port 0 picks a free port */
    public static LocalPostgres start(Path dataDir, int port) throws IOException {
        Files.createDirectories(dataDir.getParent());
        EmbeddedPostgres.Builder b = EmbeddedPostgres.builder()
                .setDataDirectory(dataDir)
                .setCleanDataDirectory(false)
                .setServerConfig("max_connections", "200")
                .setServerConfig("fsync", "off")
                .setServerConfig("synchronous_commit", "off")
                .setServerConfig("timezone", "UTC");
        if (port != 0) {
            b.setPort(port);
        }
        return new LocalPostgres(b.start());
    }

    /** The superuser: used only to migrate the schema, load reference data and create the login roles. */
    public Database admin() {
        // The URL must not name a user: the driver would let it override the login of every Database.as(...) copy.
        return new Database("jdbc:postgresql://localhost:" + pg.getPort() + "/postgres", "postgres", "postgres");
    }

    public int port() {
        return pg.getPort();
    }

    @Override
    public void close() throws IOException {
        pg.close();
    }
}

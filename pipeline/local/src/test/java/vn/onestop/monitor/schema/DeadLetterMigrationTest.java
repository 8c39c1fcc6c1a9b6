package vn.onestop.monitor.schema;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.onestop.monitor.ingest.DeadLetter;
import vn.onestop.monitor.ingest.DeadLetterReason;
import vn.onestop.monitor.local.LocalPostgres;
import vn.onestop.monitor.sink.Database;
import vn.onestop.monitor.sink.Rows;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * V7 on a database that already holds dead letters written the old way (one row per Kafka position): the copies of
 * one bad record merge into one row whose count is the number of positions, every position is kept, and the sink's
 * statement then goes on counting from there, so a replay after the upgrade does not start a second row.
 */
class DeadLetterMigrationTest {
    @TempDir
    Path dir;

    @Test
    void copiesWrittenBeforeV7MergeAndTheSinkCountsOnFromThem() throws Exception {
        try (LocalPostgres pg = LocalPostgres.start(dir.resolve("pg"), 0)) {
            Database admin = pg.admin();
            flyway(admin, "6").migrate();
            try (Connection c = admin.connect(); Statement s = c.createStatement()) {
                // The same bad record read at three positions (two replays), and another one once.
                s.execute("INSERT INTO dead_letter (topic, kafka_partition, kafka_offset, reason, detail, payload, payload_bytes, recorded_at) VALUES "
                        + "('dossier-events', 0, 5, 'INVALID_JSON', 'd', '\\x7b'::bytea, 1, '2024-01-01T00:00:00Z'),"
                        + "('dossier-events', 1, 9, 'INVALID_JSON', 'd', '\\x7b'::bytea, 1, '2024-01-02T00:00:00Z'),"
                        + "('dossier-events', 0, 40, 'INVALID_JSON', 'd', '\\x7b'::bytea, 1, '2024-01-03T00:00:00Z'),"
                        + "('qr-feedback', 0, 5, 'INVALID_JSON', 'd', '\\x7b'::bytea, 1, '2024-01-01T00:00:00Z')");
            }
            flyway(admin, "7").migrate();

            assertThat(rows(admin)).containsExactly("dossier-events/0@5 x3 last 2024-01-03", "qr-feedback/0@5 x1 last 2024-01-01");
            assertThat(count(admin, "SELECT count(*) FROM dead_letter_occurrence")).isEqualTo(4);
            assertThat(count(admin, "SELECT sum(records) FROM dead_letter_summary")).isEqualTo(4);

            // The same record replayed once more after the upgrade: the hash the sink computes matches V7's.
            Rows.DeadLetters statement = new Rows.DeadLetters();
            try (Connection c = admin.connect()) {
                for (long offset : new long[] {40, 41}) {
                    try (PreparedStatement ps = c.prepareStatement(statement.sql())) {
                        statement.bind(ps, new DeadLetter("dossier-events", 0, offset, DeadLetterReason.INVALID_JSON, "d",
                                "{".getBytes(StandardCharsets.UTF_8)));
                        ps.executeUpdate();
                    }
                }
            }
            assertThat(rows(admin).get(0)).startsWith("dossier-events/0@5 x4 ");
            assertThat(count(admin, "SELECT count(*) FROM dead_letter")).isEqualTo(2);
        }
    }

    private static Flyway flyway(Database admin, String target) {
        return Flyway.configure().dataSource(admin.url(), admin.user(), admin.password())
                .locations("classpath:db/migration").target(target).load();
    }

    private static List<String> rows(Database admin) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = admin.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT topic, kafka_partition, kafka_offset, occurrences, "
                     + "to_char(last_seen_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') FROM dead_letter ORDER BY topic")) {
            while (rs.next()) {
                out.add(rs.getString(1) + "/" + rs.getInt(2) + "@" + rs.getLong(3) + " x" + rs.getInt(4) + " last " + rs.getString(5));
            }
        }
        return out;
    }

    private static long count(Database admin, String sql) throws Exception {
        try (Connection c = admin.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}

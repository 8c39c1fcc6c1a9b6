package vn.onestop.monitor.sink;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.onestop.monitor.MonitorConfig;
import vn.onestop.monitor.alert.AlertKind;
import vn.onestop.monitor.alert.SlaAlert;
import vn.onestop.monitor.ingest.DossierEvent;
import vn.onestop.monitor.ingest.TallyCounts;
import vn.onestop.monitor.kpi.DossierRating;
import vn.onestop.monitor.kpi.DossierRow;
import vn.onestop.monitor.kpi.DossierStatus;
import vn.onestop.monitor.kpi.Measure;
import vn.onestop.monitor.kpi.UnitHourCounts;
import vn.onestop.monitor.local.LocalStack;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bulk path of {@link UpsertSink} (COPY into a staging table, one upsert from it: {@link CopyLoad}) leaves every
 * table exactly as the row-by-row JDBC batch does, on the real PostgreSQL: first inserts, then a second write of the
 * same keys that takes the conflict branch (including the dossier's "a pending row never replaces a known one"
 * condition), with NULLs, NaN, array literals and text that COPY's format must escape.
 */
class BulkLoadTest {
    private static final long T = 1_767_225_600_000L; // 2026-01-01T00:00Z
    private static LocalStack stack;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() throws Exception {
        stack = LocalStack.start(MonitorConfig.defaults().with("data-dir", dir.toString()));
    }

    @AfterAll
    static void stop() throws Exception {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void dossierRowsEndTheSameBothWays() throws Exception {
        List<DossierRow> first = new ArrayList<>();
        List<DossierRow> second = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            first.add(dossier(i, i % 3 == 0 ? DossierStatus.PENDING_RECEIPT : DossierStatus.OPEN, i));
            // Second write: pending over a known row (must be refused by the WHERE), known over pending, changes.
            second.add(dossier(i, i % 5 == 0 ? DossierStatus.PENDING_RECEIPT : DossierStatus.ON_TIME, i + 1000));
        }
        assertSameBothWays("dossier", new Rows.Dossier(), first, second, TypeInformation.of(DossierRow.class));
    }

    @Test
    void hourlyCountsTalliesRatingsAndAlertsEndTheSameBothWays() throws Exception {
        List<UnitHourCounts> counts1 = new ArrayList<>();
        List<UnitHourCounts> counts2 = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            long[] c = new long[Measure.COUNT];
            c[i % Measure.COUNT] = i;
            counts1.add(new UnitHourCounts("u" + (i % 7), T + i * 3_600_000L, c));
            long[] d = c.clone();
            d[0] += 5;
            counts2.add(new UnitHourCounts("u" + (i % 7), T + i * 3_600_000L, d));
        }
        assertSameBothWays("kpi_hourly", new Rows.KpiHourly(), counts1, counts2, TypeInformation.of(UnitHourCounts.class));

        List<TallyCounts.Row> t1 = new ArrayList<>();
        List<TallyCounts.Row> t2 = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            t1.add(tally("dossier-events", 20_000 + i, i));
            t2.add(tally("dossier-events", 20_000 + i, i * 2));
        }
        assertSameBothWays("ingest_tally", new Rows.IngestTally(), t1, t2, TypeInformation.of(TallyCounts.Row.class));

        List<DossierRating> r1 = new ArrayList<>();
        List<DossierRating> r2 = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            r1.add(rating(i, "SATISFIED", T + i));
            r2.add(rating(i, "UNSATISFIED", T + 2 * i));
        }
        assertSameBothWays("dossier_rating", new Rows.DossierRatings(), r1, r2, TypeInformation.of(DossierRating.class));

        List<SlaAlert> a1 = new ArrayList<>();
        List<SlaAlert> a2 = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            a1.add(alert(i, Double.NaN, SlaAlert.OPEN, "{\"note\":\"tab\\there, quote \\\" and backslash \\\\\"}"));
            a2.add(alert(i, 0.125 * i, T + 5 * 3_600_000L, i % 2 == 0 ? null : "{\"n\":" + i + "}"));
        }
        assertSameBothWays("sla_alert", new Rows.SlaAlerts(), a1, a2, TypeInformation.of(SlaAlert.class));
    }

    /**
     * The bulk path's single {@code INSERT … SELECT … ON CONFLICT DO UPDATE} refuses a key twice (SQLSTATE 21000),
     * and a JDBC batch would apply versions in order: both rely on the writer keeping one operation per key per
     * flush, the newest. Three versions of every key in one flush, and alerts raised, retracted and raised again (or
     * raised then retracted), end as the newest operation both ways.
     */
    @Test
    void manyVersionsOfAKeyInOneFlushEndAsTheNewestBothWays() throws Exception {
        List<UnitHourCounts> counts = new ArrayList<>();
        List<UnitHourCounts> none = new ArrayList<>();
        for (int version = 1; version <= 3; version++) {
            for (int i = 0; i < 300; i++) {
                long[] c = new long[Measure.COUNT];
                c[0] = version * 1000L + i;
                counts.add(new UnitHourCounts("u" + (i % 7), T + i * 3_600_000L, c));
            }
        }
        List<String> batched = writeTwice("kpi_hourly", new Rows.KpiHourly(), counts, none, TypeInformation.of(UnitHourCounts.class), Integer.MAX_VALUE);
        List<String> copied = writeTwice("kpi_hourly", new Rows.KpiHourly(), counts, none, TypeInformation.of(UnitHourCounts.class), 1);
        assertThat(batched).hasSize(300).allSatisfy(row -> assertThat(row).contains("\"received\": 3"));
        assertThat(copied).isEqualTo(batched);

        List<SlaAlert> alerts = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            alerts.add(alert(i, 0.5, SlaAlert.OPEN, "{}"));
        }
        for (int i = 0; i < 300; i++) {
            alerts.add(alert(i, 0.5, SlaAlert.OPEN, "{}").retraction());
        }
        for (int i = 0; i < 300; i += 2) {
            alerts.add(alert(i, 0.25, T + 9 * 3_600_000L, "{\"again\":true}"));
        }
        List<SlaAlert> noAlerts = new ArrayList<>();
        List<String> alertsBatched = writeTwice("sla_alert", new Rows.SlaAlerts(), alerts, noAlerts, TypeInformation.of(SlaAlert.class), Integer.MAX_VALUE);
        List<String> alertsCopied = writeTwice("sla_alert", new Rows.SlaAlerts(), alerts, noAlerts, TypeInformation.of(SlaAlert.class), 1);
        assertThat(alertsBatched).hasSize(150).allSatisfy(row -> assertThat(row).contains("\"again\": true"));
        assertThat(alertsCopied).isEqualTo(alertsBatched);
    }

    /**
     * A bulk load that fails mid-transaction (here a NULL unit, refused by kpi_hourly's NOT NULL) rolls back with its
     * staged rows, and the session is dropped as the writer drops it before retrying: the next flush, on a new
     * connection and a new staging table, leaves exactly its own rows, nothing of the failed one.
     */
    @Test
    void aFailedBulkLoadLeavesNothingStagedForTheNextFlush() throws Exception {
        try (Connection c = stack.admin().connect(); Statement st = c.createStatement()) {
            st.execute("TRUNCATE kpi_hourly");
        }
        List<UnitHourCounts> good = new ArrayList<>();
        List<UnitHourCounts> bad = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            long[] c = new long[Measure.COUNT];
            c[0] = i;
            good.add(new UnitHourCounts("u" + (i % 7), T + i * 3_600_000L, c));
            long[] d = c.clone();
            d[0] = 1_000_000 + i;
            bad.add(new UnitHourCounts(i == 299 ? null : "u" + (i % 7), T + (i + 1000) * 3_600_000L, d));
        }
        SinkSession<UnitHourCounts> session = new SinkSession<>(stack.job(), new Rows.KpiHourly(), 1);
        try {
            session.write(bad.subList(0, 10)); // a first bulk load creates the staging table
            try {
                session.write(bad);
                throw new AssertionError("a NULL unit_code must be refused");
            } catch (java.sql.SQLException refused) {
                assertThat(refused.getSQLState()).isEqualTo("23502");
                session.close();
            }
            session.write(good);
        } finally {
            session.close();
        }
        try (Connection c = stack.admin().connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*), count(*) FILTER (WHERE received >= 1000000) FROM kpi_hourly")) {
            rs.next();
            assertThat(rs.getLong(1)).as("the first 10 rows and the 300 good ones").isEqualTo(310);
            assertThat(rs.getLong(2)).as("rows of the failed flush").isEqualTo(10);
        }
    }

    private static DossierRow dossier(int i, DossierStatus status, int variant) {
        DossierRow r = new DossierRow();
        r.dossierId = "HS-" + i;
        r.unitCode = i % 2 == 0 ? "11248" : null;
        // Text COPY must escape: tab, newline, carriage return, backslash; and Vietnamese letters.
        r.procedureCode = "thủ tục\t" + variant + "\\n\n\r";
        r.channel = "ONLINE";
        r.receivedAt = T + variant;
        r.dueAt = i % 4 == 0 ? DossierEvent.NO_TIME : T + 86_400_000L;
        r.effectiveDueAt = T + 90_000_000L + variant;
        r.supplementRequests = variant % 3;
        r.waitingSupplement = variant % 2 == 0;
        r.pausedMs = 12_345_678L + variant;
        r.endedAt = status == DossierStatus.ON_TIME ? T + 3_600_123L : DossierEvent.NO_TIME;
        r.endType = status == DossierStatus.ON_TIME ? "RESOLVED" : null;
        r.status = status;
        r.digitised = true;
        r.resultDigitised = variant % 2 == 1;
        r.apologyDueAt = DossierEvent.NO_TIME;
        r.lastEventAt = T + variant * 7L;
        r.eventsApplied = variant;
        r.resolvedAt = r.endedAt;
        r.returnedAt = DossierEvent.NO_TIME;
        r.stoppedAt = DossierEvent.NO_TIME;
        r.withdrawnAt = DossierEvent.NO_TIME;
        r.supplementRequestedAt = i % 2 == 0 ? new long[] {T + 1, T + 999} : new long[0];
        r.supplementSuppliedAt = i % 2 == 0 ? new long[] {T + 2, DossierEvent.NO_TIME} : new long[0];
        r.onlineMode = i % 3 == 0 ? null : "FULL";
        r.syncedToPortal = true;
        r.electronicResult = false;
        r.reusedData = i % 2 == 0;
        r.personalDataStore = false;
        r.vneid = true;
        r.payments = variant % 4;
        r.paymentAmount = 150_000L * variant;
        r.paidOnline = variant % 3 == 0;
        return r;
    }

    private static TallyCounts.Row tally(String topic, int day, long n) {
        TallyCounts.Row r = new TallyCounts.Row();
        r.topic = topic;
        r.day = day;
        r.counts = new long[] {n, n / 2, n / 4, n / 8};
        return r;
    }

    private static DossierRating rating(int i, String rating, long at) {
        DossierRating r = new DossierRating();
        r.feedbackId = "FB-" + i;
        r.dossierId = "HS-" + i;
        r.unitCode = "11248";
        r.rating = rating;
        r.submittedAt = at;
        return r;
    }

    private static SlaAlert alert(int i, double value, long closedAt, String details) {
        SlaAlert a = new SlaAlert();
        a.id = "KPI_BELOW_TARGET|11248|ON_TIME_RATE|" + i;
        a.kind = AlertKind.KPI_BELOW_TARGET;
        a.unitCode = "11248";
        a.kpi = "ON_TIME_RATE";
        a.value = value;
        a.target = 0.95;
        a.openedAt = T + i * 3_600_000L;
        a.closedAt = closedAt;
        a.details = details;
        return a;
    }

    private static <T> void assertSameBothWays(String table, UpsertStatement<T> statement, List<T> first, List<T> second,
                                               TypeInformation<T> type) throws Exception {
        assertThat(CopyLoad.of(statement.sql())).as("the %s upsert has a bulk form", table).isNotNull();
        List<String> batched = writeTwice(table, statement, first, second, type, Integer.MAX_VALUE);
        List<String> copied = writeTwice(table, statement, first, second, type, 1);
        assertThat(batched).hasSize(first.size());
        assertThat(copied).isEqualTo(batched);
    }

    private static <T> List<String> writeTwice(String table, UpsertStatement<T> statement, List<T> first, List<T> second,
                                               TypeInformation<T> type, int copyMinRows) throws Exception {
        try (Connection c = stack.admin().connect(); Statement st = c.createStatement()) {
            st.execute("TRUNCATE " + table);
        }
        for (List<T> rows : List.of(first, second)) {
            if (rows.isEmpty()) {
                continue;
            }
            StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(1);
            env.fromData(rows, type).sinkTo(new UpsertSink<>(stack.job(), statement, Duration.ofSeconds(10), 100_000, Duration.ofSeconds(10), copyMinRows));
            env.execute("bulk load " + table);
        }
        List<String> out = new ArrayList<>();
        try (Connection c = stack.admin().connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT (to_jsonb(t) - 'updated_at')::text FROM " + table + " t ORDER BY 1")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }
}

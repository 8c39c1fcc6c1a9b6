package vn.onestop.monitor.review;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import vn.onestop.monitor.MonitorConfig;
import vn.onestop.monitor.local.LocalStack;
import vn.onestop.monitor.local.Replay;
import vn.onestop.monitor.recount.IndependentReview;
import vn.onestop.monitor.recount.IndependentReview.Expected;
import vn.onestop.monitor.recount.IndependentReview.Unit;
import vn.onestop.monitor.sim.SimRecord;
import vn.onestop.monitor.sim.SimulationSettings;
import vn.onestop.monitor.sim.Simulator;

import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Control reviews on the real pipeline: five months of simulated history (2023-11-15 .. 2024-04-15, so month,
 * quarter and year boundaries) plus two hand-made communes whose scores tie, through Kafka, the job on a
 * MiniCluster and PostgreSQL. The unit_review view must equal {@link IndependentReview}'s recomputation from the raw
 * lines; the report built from it must name every unit, and Chromium must render it without a console message.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ControlReviewEndToEndTest {
    /** Tie pair: the same total (32) in February 2024; TIE_HIGH_PROGRESS has the larger code but more 2.1 points. */
    static final String TIE_LOW_PROGRESS = "99001";
    static final String TIE_HIGH_PROGRESS = "99002";

    @TempDir
    static Path dir;
    static LocalStack stack;
    static List<Unit> units;
    static Map<String, Expected> expected;

    @BeforeAll
    static void runThePipeline() throws Exception {
        // The history is of 2023-2024, before the reorganisation of 1 July 2025, and this test checks the reviews of
        // that structure: the registry is the fixture of the simulated district as it was then (Hải Dương, Huyện Thanh
        // Miện and its 17 communes: the default data's rows until 2025-06-30, undated) plus the tie pair under it. A units file replaces the whole registry.
        Path extraUnits = dir.resolve("units.csv");
        Files.writeString(extraUnits, fixtureUnits()
                + TIE_LOW_PROGRESS + ",Xã Kiểm Thử Bắc,COMMUNE,300,,\n"
                + TIE_HIGH_PROGRESS + ",Xã Kiểm Thử Nam,COMMUNE,300,,\n");
        units = units(extraUnits);
        stack = LocalStack.start(MonitorConfig.from(new String[] {"--data-dir=" + dir.resolve("data"), "--parallelism=2",
                "--checkpoint-interval=PT1S", "--units=" + extraUnits}, Map.of()));

        // Shares near the index's thresholds (50% online, 80% intake) and more late and abandoned dossiers than the
        // real district, so communes score differently and ranks move from period to period.
        SimulationSettings settings = new SimulationSettings(11, Instant.parse("2023-11-14T17:00:00Z"), 1.5,
                0.5, 0.8, 0.9, 0.08, 0.03, 0.1, 0.03, 0.01, 0.01, 0.005, 0.4, 0.02, 0.03, 0.002);
        Simulator sim = Simulator.forDefaultDistrict(settings);
        TreeMap<Instant, String> handMade = tieEvents();
        IndependentReview fold = new IndependentReview(units);
        Path dossiers = dir.resolve("dossiers.ndjson");
        Path feedback = dir.resolve("feedback.ndjson");
        try (OutputStream d = Files.newOutputStream(dossiers); OutputStream f = Files.newOutputStream(feedback)) {
            for (SimRecord r : (Iterable<SimRecord>) sim.stream(Instant.parse("2024-04-14T17:00:00Z"))::iterator) {
                // Hand-made events go in where their time falls, as an office would have sent them.
                while (!handMade.isEmpty() && handMade.firstKey().toEpochMilli() <= r.sendAt()) {
                    byte[] line = handMade.pollFirstEntry().getValue().getBytes(StandardCharsets.UTF_8);
                    d.write(line);
                    d.write('\n');
                    fold.dossierLine(line);
                }
                boolean isDossier = r.topic().equals(SimRecord.DOSSIER_EVENTS);
                (isDossier ? d : f).write(r.payload());
                (isDossier ? d : f).write('\n');
                if (r.kind() != SimRecord.Kind.MALFORMED) {
                    if (isDossier) {
                        fold.dossierLine(r.payload());
                    } else {
                        fold.feedbackLine(r.payload());
                    }
                }
            }
        }
        assertThat(handMade).as("every hand-made event was written").isEmpty();
        expected = fold.compute();

        // The same path as make replay: publish the files, run the job bounded until it has read them.
        Replay.run(stack.config(), dossiers, feedback, null);
    }

    @AfterAll
    static void stop() throws Exception {
        if (stack != null) {
            stack.close();
        }
    }

    /**
     * TIE_LOW_PROGRESS: two online, digitised dossiers on 5 February 2024; one resolved early with a digitised result,
     * one never ended (overdue at every later period end): 10 + 6 + 4 + 6 + 6 = 32.
     * TIE_HIGH_PROGRESS: one dossier in person, not digitised, resolved early with a digitised result: 20 + 0 + 0 + 6 + 6 = 32.
     */
    private static TreeMap<Instant, String> tieEvents() {
        TreeMap<Instant, String> e = new TreeMap<>();
        e.put(Instant.parse("2024-02-05T02:00:00Z"), received("tie-b1", TIE_LOW_PROGRESS, "ONLINE", true, "2024-02-05T09:00:00+07:00"));
        e.put(Instant.parse("2024-02-05T02:30:00Z"), received("tie-b2", TIE_LOW_PROGRESS, "ONLINE", true, "2024-02-05T09:30:00+07:00"));
        e.put(Instant.parse("2024-02-05T02:10:00Z"), received("tie-n1", TIE_HIGH_PROGRESS, "DIRECT", false, "2024-02-05T09:10:00+07:00"));
        e.put(Instant.parse("2024-02-06T03:00:00Z"), resolved("tie-b1", TIE_LOW_PROGRESS, "2024-02-06T10:00:00+07:00"));
        e.put(Instant.parse("2024-02-06T03:10:00Z"), resolved("tie-n1", TIE_HIGH_PROGRESS, "2024-02-06T10:10:00+07:00"));
        return e;
    }

    private static String received(String dossier, String unit, String channel, boolean digitised, String at) {
        return "{\"eventId\":\"" + dossier + "-r\",\"dossierId\":\"" + dossier + "\",\"type\":\"RECEIVED\",\"occurredAt\":\"" + at
                + "\",\"unitCode\":\"" + unit + "\",\"procedureCode\":\"1.001193\",\"channel\":\"" + channel
                + "\",\"dueAt\":\"2024-02-07T17:00:00+07:00\",\"digitised\":" + digitised + "}";
    }

    private static String resolved(String dossier, String unit, String at) {
        return "{\"eventId\":\"" + dossier + "-x\",\"dossierId\":\"" + dossier + "\",\"type\":\"RESOLVED\",\"occurredAt\":\"" + at
                + "\",\"unitCode\":\"" + unit + "\",\"resultDigitised\":true}";
    }

    /** The pre-reorganisation units fixture of pipeline/test-support, header included. */
    private static String fixtureUnits() throws Exception {
        try (InputStream in = ControlReviewEndToEndTest.class.getResourceAsStream("/fixtures/units-before-2025-07.csv")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).stripTrailing() + "\n";
        }
    }

    /** The test's units file (the whole registry it loads), read as plain CSV. */
    private static List<Unit> units(Path file) throws Exception {
        List<String> lines = new ArrayList<>(Files.readAllLines(file).stream().skip(1).toList());
        List<Unit> out = new ArrayList<>();
        for (String l : lines) {
            if (l.isBlank()) {
                continue;
            }
            String[] f = l.split(",", -1);
            out.add(new Unit(f[0], f[1], f[2], f[3].isEmpty() ? null : f[3]));
        }
        return out;
    }

    private static String describe(long received, long resolved, long inTime, long late, long openAtEnd, long openWithin,
                                   long ratings, long dissatisfied, BigDecimal[] points, BigDecimal total, Integer rank,
                                   Integer previousRank, Integer rankChange, String weakest) {
        StringBuilder s = new StringBuilder();
        s.append("received=").append(received).append(" resolved=").append(resolved).append(" inTime=").append(inTime)
                .append(" late=").append(late).append(" openAtEnd=").append(openAtEnd).append(" openWithin=").append(openWithin)
                .append(" ratings=").append(ratings).append(" dissatisfied=").append(dissatisfied).append(" points=");
        for (BigDecimal p : points) {
            s.append(p.stripTrailingZeros().toPlainString()).append('/');
        }
        return s.append(" total=").append(total.stripTrailingZeros().toPlainString()).append(" rank=").append(rank)
                .append(" previous=").append(previousRank).append(" change=").append(rankChange).append(" weakest=").append(weakest)
                .toString();
    }

    private static Map<String, String> fromView() throws Exception {
        Map<String, String> out = new TreeMap<>();
        // As Grafana's read-only login: the view and everything under it must be granted to onestop_reader.
        try (Connection c = stack.reader().connect();
             ResultSet rs = c.createStatement().executeQuery("SELECT * FROM unit_review")) {
            while (rs.next()) {
                BigDecimal[] points = new BigDecimal[IndependentReview.INDICATORS.length];
                for (int i = 0; i < points.length; i++) {
                    points[i] = rs.getBigDecimal("points_" + IndependentReview.INDICATORS[i]);
                }
                out.put(rs.getString("unit_code") + "|" + rs.getString("period_type") + "|" + rs.getString("period_label"),
                        describe(rs.getLong("received"), rs.getLong("resolved"), rs.getLong("resolved_in_time"),
                                rs.getLong("resolved_late"), rs.getLong("open_at_end"), rs.getLong("open_within_deadline"),
                                rs.getLong("ratings"), rs.getLong("ratings_dissatisfied"), points, rs.getBigDecimal("total_points"),
                                (Integer) rs.getObject("rank"), (Integer) rs.getObject("previous_rank"), (Integer) rs.getObject("rank_change"),
                                rs.getString("weakest_indicator")));
            }
        }
        return out;
    }

    private static Map<String, String> fromFold() {
        Map<String, String> out = new TreeMap<>();
        expected.forEach((k, e) -> out.put(k, describe(e.counts().received, e.counts().resolved, e.counts().inTime, e.counts().late,
                e.counts().openAtEnd, e.counts().openWithin, e.counts().ratings, e.counts().dissatisfied, e.points(), e.total(),
                e.rank(), e.previousRank(), e.rankChange(), e.weakest())));
        return out;
    }

    @Test
    @Order(1)
    void scoresRanksAndRankChangesEqualTheIndependentRecomputation() throws Exception {
        // The scenario must cover what the review is about, or equality proves little.
        assertThat(expected.keySet()).contains("11239|month|2023-11", "11239|month|2024-04", "11239|quarter|2023-Q4",
                "11239|quarter|2024-Q2", "11239|year|2023", "11239|year|2024", "300|quarter|2024-Q1", "30|year|2024");
        assertThat(expected.get("11239|month|2024-01").previousRank()).as("previous rank across the year boundary").isNotNull();
        assertThat(expected.get("11239|quarter|2024-Q1").previousRank()).isNotNull();
        assertThat(expected.get("11239|year|2024").previousRank()).isNotNull();
        assertThat(expected.values()).as("ranks move").anyMatch(e -> e.rankChange() != null && e.rankChange() > 0)
                .anyMatch(e -> e.rankChange() != null && e.rankChange() < 0);
        assertThat(expected.values()).as("dossiers open at a period's end, within and past their deadline")
                .anyMatch(e -> e.counts().openWithin > 0).anyMatch(e -> e.counts().openAtEnd > e.counts().openWithin);
        assertThat(expected.values()).as("online points below and at the cap")
                .anyMatch(e -> e.points()[1].compareTo(BigDecimal.valueOf(6)) < 0 && e.counts().received > 0)
                .anyMatch(e -> e.points()[1].compareTo(BigDecimal.valueOf(6)) == 0);

        assertThat(fromView()).isEqualTo(fromFold());
    }

    @Test
    @Order(2)
    void tiesAreBrokenByProgressPointsThenUnitCode() throws Exception {
        Map<String, int[]> ranks = new LinkedHashMap<>();
        try (Connection c = stack.reader().connect();
             ResultSet rs = c.createStatement().executeQuery("SELECT unit_code, period_label, total_points, points_progress, rank "
                     + "FROM unit_review WHERE unit_code IN ('" + TIE_LOW_PROGRESS + "', '" + TIE_HIGH_PROGRESS + "') "
                     + "AND period_label IN ('2024-02', '2024-03') ORDER BY period_label, unit_code")) {
            while (rs.next()) {
                ranks.put(rs.getString(1) + "|" + rs.getString(2), new int[] {rs.getBigDecimal(3).intValueExact(),
                        rs.getBigDecimal(4).intValueExact(), rs.getInt(5)});
            }
        }
        // February: 32 each; the larger code ranks just above the smaller one on 2.1 progress (20 against 10).
        int[] lowFeb = ranks.get(TIE_LOW_PROGRESS + "|2024-02");
        int[] highFeb = ranks.get(TIE_HIGH_PROGRESS + "|2024-02");
        assertThat(new int[] {lowFeb[0], lowFeb[1]}).containsExactly(32, 10);
        assertThat(new int[] {highFeb[0], highFeb[1]}).containsExactly(32, 20);
        assertThat(lowFeb[2]).isEqualTo(highFeb[2] + 1);
        // March: 0 points each. TIE_LOW_PROGRESS still has its overdue open dossier, so it is measured and ranked, last;
        // TIE_HIGH_PROGRESS has nothing to measure (its one dossier ended in February) and is not ranked (NULL → 0).
        int[] lowMar = ranks.get(TIE_LOW_PROGRESS + "|2024-03");
        int[] highMar = ranks.get(TIE_HIGH_PROGRESS + "|2024-03");
        assertThat(new int[] {lowMar[0], lowMar[1], highMar[0], highMar[1]}).containsExactly(0, 0, 0, 0);
        assertThat(lowMar[2]).as("after the 17 real communes").isEqualTo(18);
        assertThat(highMar[2]).as("unranked").isZero();
    }

    @Test
    @Order(3)
    void theReportNamesEveryUnitInBothFiles() throws Exception {
        ReviewReport.Written w = ReviewReport.write(stack.reader(), ReviewPeriod.parse("2024-Q1"), dir.resolve("reports"));
        assertThat(w.html().getFileName().toString()).isEqualTo("review-2024-Q1.html");
        String html = Files.readString(w.html());
        List<String> csv = Files.readAllLines(w.csv());
        assertThat(csv).hasSize(1 + units.size());
        assertThat(csv.get(0)).startsWith(ReviewCsv.BOM + "unit_code,unit_name,");
        List<String> header = Arrays.asList(csv.get(0).substring(1).split(","));
        for (Unit u : units) {
            assertThat(html).contains(u.name());
            Expected e = expected.get(u.code() + "|quarter|2024-Q1");
            String row = csv.stream().filter(l -> l.startsWith(u.code() + ",")).findFirst().orElseThrow();
            List<String> f = Arrays.asList(row.split(",", -1));
            assertThat(f.get(header.indexOf("unit_name"))).isEqualTo(u.name());
            assertThat(new BigDecimal(f.get(header.indexOf("total_points")))).isEqualByComparingTo(e.total());
            assertThat(f.get(header.indexOf("rank"))).isEqualTo(e.rank() == null ? "" : e.rank().toString());
            assertThat(f.get(header.indexOf("previous_rank"))).isEqualTo(e.previousRank() == null ? "" : e.previousRank().toString());
        }
        long arrows = html.split("<span class=\"up\">▲", -1).length - 1 + html.split("<span class=\"down\">▼", -1).length - 1;
        long moved = expected.values().stream().filter(e -> e.period().label().equals("2024-Q1")
                && e.rankChange() != null && e.rankChange() != 0).count();
        assertThat(arrows).as("one arrow per unit whose rank changed").isEqualTo(moved).isPositive();
        Files.createDirectories(Path.of("target"));
        Files.copy(w.html(), Path.of("target", "review-2024-Q1.html"), StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    @Order(4)
    void unitsWithoutDossiersAreListedUnrankedAsNoData() throws Exception {
        // The hand-made communes have nothing before February 2024: in January they used to be ranked on 0 points.
        assertThat(expected.get(TIE_LOW_PROGRESS + "|month|2024-01").counts().received).isZero();
        try (Connection c = stack.reader().connect(); ResultSet rs = c.createStatement().executeQuery(
                "SELECT unit_code, rank, previous_rank, rank_change, weakest_indicator FROM unit_review "
                        + "WHERE period_label = '2024-01' AND parent_code = '300'")) {
            Map<String, Integer> ranks = new TreeMap<>();
            while (rs.next()) {
                ranks.put(rs.getString(1), (Integer) rs.getObject(2));
                if (rs.getString(1).startsWith("990")) {
                    assertThat(rs.getObject(3)).isNull();
                    assertThat(rs.getObject(4)).isNull();
                    assertThat(rs.getObject(5)).isNull();
                }
            }
            assertThat(ranks).containsEntry(TIE_LOW_PROGRESS, null).containsEntry(TIE_HIGH_PROGRESS, null);
            // The 17 real communes keep the places 1 … 17 among themselves.
            assertThat(ranks.values().stream().filter(java.util.Objects::nonNull).sorted().toList())
                    .isEqualTo(java.util.stream.IntStream.rangeClosed(1, 17).boxed().toList());
        }

        Path reports = dir.resolve("january");
        ReviewReport.Written w = ReviewReport.write(stack.reader(), ReviewPeriod.parse("2024-01"), reports);
        String html = Files.readString(w.html());
        String row = html.substring(html.indexOf("<tr class=\"unranked\">"));
        assertThat(row.substring(0, row.indexOf("</tr>"))).contains("Xã Kiểm Thử Bắc").contains(ReviewHtml.NO_DATA)
                .doesNotContain("mới");
        assertThat(html.split("<tr class=\"unranked\">", -1).length - 1).as("both hand-made communes").isEqualTo(2);
        String chart = html.substring(html.indexOf("<svg class=\"chart\""), html.indexOf("</svg>", html.indexOf("<svg class=\"chart\"")));
        assertThat(chart).as("the ranking chart shows ranked units only").doesNotContain("Kiểm Thử");
        String csvRow = Files.readAllLines(w.csv()).stream().filter(l -> l.startsWith(TIE_LOW_PROGRESS + ",")).findFirst().orElseThrow();
        List<String> header = Arrays.asList(Files.readAllLines(w.csv()).get(0).substring(1).split(","));
        assertThat(Arrays.asList(csvRow.split(",", -1)).get(header.indexOf("rank"))).isEmpty();

        // Chromium renders it without complaint, the unranked rows included.
        HeadlessChromium.Result dom = HeadlessChromium.run(reports, "--dump-dom", w.html().toUri().toString());
        assertThat(dom.consoleMessages()).isEmpty();
        assertThat(dom.stdout()).contains(ReviewHtml.NO_DATA);
    }

    @Test
    @Order(5)
    void chromiumRendersTheReportWithoutConsoleMessages() throws Exception {
        Path reports = dir.resolve("chromium");
        Files.createDirectories(reports);
        ReviewReport.Written w = ReviewReport.write(stack.reader(), ReviewPeriod.parse("2024-Q1"), reports);

        // The check can fail: a page loading anything from outside is blocked by the report's policy and logged.
        Path broken = reports.resolve("broken.html");
        Files.writeString(broken, Files.readString(w.html()).replace("</body>", "<img src=\"https://example.invalid/x.png\"></body>"));
        assertThat(HeadlessChromium.run(reports, "--dump-dom", broken.toUri().toString()).consoleMessages()).isNotEmpty();

        HeadlessChromium.Result dom = HeadlessChromium.run(reports, "--dump-dom", w.html().toUri().toString());
        assertThat(dom.exitCode()).isZero();
        assertThat(dom.consoleMessages()).isEmpty();
        for (Unit u : units) {
            assertThat(dom.stdout()).contains(u.name());
        }
        assertThat(dom.stdout()).contains("<svg class=\"chart\"").contains("<svg class=\"spark\"");

        Path screenshot = Path.of("target", "review-2024-Q1.png").toAbsolutePath();
        Files.createDirectories(screenshot.getParent());
        Files.deleteIfExists(screenshot);
        HeadlessChromium.Result shot = HeadlessChromium.run(reports, "--screenshot=" + screenshot, "--window-size=1400,2000",
                "--hide-scrollbars", w.html().toUri().toString());
        assertThat(shot.consoleMessages()).isEmpty();
        assertThat(screenshot).exists();
        assertThat(Files.size(screenshot)).as("a rendered page, not a blank one").isGreaterThan(50_000);
    }
}

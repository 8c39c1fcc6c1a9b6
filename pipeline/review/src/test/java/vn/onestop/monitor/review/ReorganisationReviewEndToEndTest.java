package vn.onestop.monitor.review;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
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
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 15's must-show for reviews: {@code make review PERIOD=2025-Q3} ranks the 5 new communes of Hải Phòng with
 * previous ranks from their restated 2025-Q2. Simulated Thanh Miện from 2025-05-01 to 2025-08-31 (the 17 old communes
 * until 30 June, the 5 new ones from 1 July, June dossiers ending in July) goes through Kafka, the job on a
 * MiniCluster and PostgreSQL the way {@code make replay} sends it, with the default registry (units.csv,
 * unit_succession.csv).
 *
 * <p>The expectation shares nothing with the SQL or the job: the succession file is read here as plain CSV, every
 * Thanh Miện predecessor passes whole (share 1) to one new commune, so restating to 2025-09-30 is renaming each raw
 * line's unit code to its successor; {@link IndependentReview} (pipeline/test-support) then scores and ranks the
 * renamed lines on the structure of 2025-09-30 (the units valid that day, read from units.csv here).
 */
class ReorganisationReviewEndToEndTest {
    static final ZoneId VN = ZoneId.of("Asia/Ho_Chi_Minh");
    static final LocalDate REORGANISATION = LocalDate.of(2025, 7, 1);
    static final LocalDate Q3_LAST_DAY = LocalDate.of(2025, 9, 30);
    static final String HAI_PHONG = "31";
    static final List<String> NEW_COMMUNES = List.of("11239", "11242", "11254", "11257", "11284");

    @TempDir
    static Path dir;
    static LocalStack stack;
    static Map<String, Expected> expected;
    /** successor → its predecessors' "code name", from the files as plain text. */
    static Map<String, List<String>> predecessors;
    static Map<String, String> newNames;

    @BeforeAll
    static void replayAcrossTheReorganisation() throws Exception {
        List<String[]> unitRows = csv(resource("/reference/units.csv"));
        List<String[]> successionRows = csv(resource("/reference/unit_succession.csv"));
        // Units valid on 2025-09-30 (rows are code,name,level,parent,valid_from,valid_to; empty = open).
        List<Unit> structure = new ArrayList<>();
        newNames = new TreeMap<>();
        Map<String, String> oldNames = new HashMap<>();
        for (String[] u : unitRows) {
            boolean validOnQ3End = (u[4].isEmpty() || !LocalDate.parse(u[4]).isAfter(Q3_LAST_DAY))
                    && (u[5].isEmpty() || !LocalDate.parse(u[5]).isBefore(Q3_LAST_DAY));
            if (validOnQ3End) {
                structure.add(new Unit(u[0], u[1], u[2], u[3].isEmpty() ? null : u[3]));
                newNames.put(u[0], u[1]);
            } else if (!u[5].isEmpty() && LocalDate.parse(u[5]).equals(REORGANISATION.minusDays(1))) {
                oldNames.put(u[0], u[1]);
            }
        }
        // predecessor → successor of 1 July 2025 for the shares of 1 (the simulated communes must all be such).
        Map<String, String> successor = new HashMap<>();
        predecessors = new TreeMap<>();
        for (String[] s : successionRows) {
            assertThat(s[2]).isEqualTo(REORGANISATION.toString());
            if (new BigDecimal(s[3]).compareTo(BigDecimal.ONE) == 0) {
                successor.put(s[0], s[1]);
            }
            predecessors.computeIfAbsent(s[1], k -> new ArrayList<>()).add(s[0] + " " + oldNames.get(s[0]));
        }

        stack = LocalStack.start(MonitorConfig.from(new String[] {"--data-dir=" + dir.resolve("data"), "--parallelism=2",
                "--checkpoint-interval=PT1S"}, Map.of()));
        // The settings of ControlReviewEndToEndTest: shares near the index's thresholds and more late dossiers than the
        // real district, so communes score differently and ranks move between quarters.
        SimulationSettings settings = new SimulationSettings(7, LocalDate.of(2025, 5, 1).atStartOfDay(VN).toInstant(), 1.5,
                0.5, 0.8, 0.9, 0.08, 0.03, 0.1, 0.03, 0.01, 0.01, 0.005, 0.4, 0.02, 0.03, 0.002);
        Simulator sim = Simulator.forDefaultDistrict(settings);
        IndependentReview fold = new IndependentReview(structure);
        TreeSet<String> simulatedCodes = new TreeSet<>();
        Path dossiers = dir.resolve("dossiers.ndjson");
        Path feedback = dir.resolve("feedback.ndjson");
        Pattern unitCode = Pattern.compile("\"unitCode\":\"([^\"]*)\"");
        try (OutputStream d = Files.newOutputStream(dossiers); OutputStream f = Files.newOutputStream(feedback)) {
            for (SimRecord r : (Iterable<SimRecord>) sim.stream(LocalDate.of(2025, 9, 1).atStartOfDay(VN).toInstant())::iterator) {
                boolean isDossier = r.topic().equals(SimRecord.DOSSIER_EVENTS);
                (isDossier ? d : f).write(r.payload());
                (isDossier ? d : f).write('\n');
                if (r.kind() == SimRecord.Kind.MALFORMED) {
                    continue;
                }
                String line = new String(r.payload(), StandardCharsets.UTF_8);
                Matcher m = unitCode.matcher(line);
                String renamed = line;
                if (m.find()) {
                    simulatedCodes.add(m.group(1));
                    String to = successor.get(m.group(1));
                    if (to != null) {
                        renamed = line.replace(m.group(0), "\"unitCode\":\"" + to + "\"");
                    }
                }
                byte[] bytes = renamed.getBytes(StandardCharsets.UTF_8);
                if (isDossier) {
                    fold.dossierLine(bytes);
                } else {
                    fold.feedbackLine(bytes);
                }
            }
        }
        // Every simulated code passes whole to one of the 5 communes, so renaming is the restatement.
        for (String code : simulatedCodes) {
            assertThat(successor).as("simulated unit %s has a share-1 successor", code).containsKey(code);
            assertThat(NEW_COMMUNES).contains(successor.get(code));
        }
        assertThat(simulatedCodes).as("the 17 old communes (codes of 5 of them reused)").hasSizeGreaterThanOrEqualTo(17);
        expected = fold.compute();

        Replay.run(stack.config(), dossiers, feedback, null);
    }

    @AfterAll
    static void stop() throws Exception {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void theFiveNewCommunesAreRankedWithPreviousRanksFromTheirRestatedSecondQuarter() throws Exception {
        Map<String, String> actual = new TreeMap<>();
        try (Connection c = stack.reader().connect(); ResultSet rs = c.createStatement().executeQuery(
                "SELECT * FROM unit_review WHERE period_type = 'quarter' AND period_label = '2025-Q3' "
                        + "AND (parent_code = '" + HAI_PHONG + "' OR unit_code = '" + HAI_PHONG + "')")) {
            while (rs.next()) {
                actual.put(rs.getString("unit_code"), rs.getString("unit_name") + " parent=" + rs.getString("parent_code")
                        + " received=" + rs.getBigDecimal("received").stripTrailingZeros().toPlainString()
                        + " resolved=" + rs.getBigDecimal("resolved").stripTrailingZeros().toPlainString()
                        + " open=" + rs.getBigDecimal("open_at_end").stripTrailingZeros().toPlainString()
                        + " total=" + rs.getBigDecimal("total_points").stripTrailingZeros().toPlainString()
                        + " rank=" + rs.getObject("rank") + " previous=" + rs.getObject("previous_rank")
                        + " change=" + rs.getObject("rank_change"));
                if (NEW_COMMUNES.contains(rs.getString("unit_code"))) {
                    assertThat(rs.getBoolean("restated")).as("%s's history comes from predecessors", rs.getString("unit_code")).isTrue();
                }
            }
        }
        Map<String, String> want = new TreeMap<>();
        for (String code : newNames.keySet()) {
            Expected e = expected.get(code + "|quarter|2025-Q3");
            if (e == null) {
                continue;
            }
            want.put(code, e.unit().name() + " parent=" + e.unit().parent() + " received=" + e.counts().received
                    + " resolved=" + e.counts().resolved + " open=" + e.counts().openAtEnd
                    + " total=" + e.total().stripTrailingZeros().toPlainString()
                    + " rank=" + e.rank() + " previous=" + e.previousRank() + " change=" + e.rankChange());
        }
        // The scenario must be about what the review is about, or equality proves little.
        for (String code : NEW_COMMUNES) {
            Expected q3 = expected.get(code + "|quarter|2025-Q3");
            Expected q2 = expected.get(code + "|quarter|2025-Q2");
            assertThat(q3.rank()).as("%s ranked in 2025-Q3", code).isNotNull();
            assertThat(q2.counts().received).as("%s's predecessors received in 2025-Q2", code).isPositive();
            assertThat(q3.previousRank()).as("previous rank of %s = its rank on restated 2025-Q2", code).isEqualTo(q2.rank());
        }
        assertThat(NEW_COMMUNES).as("a real change of rank").anyMatch(c -> expected.get(c + "|quarter|2025-Q3").rankChange() != 0);

        assertThat(actual).isEqualTo(want);
        assertThat(actual.keySet()).containsAll(NEW_COMMUNES);
    }

    @Test
    void theReportNamesThePredecessorsAndChromiumRendersIt() throws Exception {
        Path reports = dir.resolve("reports");
        ReviewReport.Written w = ReviewReport.write(stack.reader(), ReviewPeriod.parse("2025-Q3"), reports);
        String html = Files.readString(w.html());
        List<String> csv = Files.readAllLines(w.csv());
        List<String> header = Arrays.asList(csv.get(0).substring(1).split(","));

        HeadlessChromium.Result dom = HeadlessChromium.run(reports, "--dump-dom", w.html().toUri().toString());
        assertThat(dom.exitCode()).isZero();
        assertThat(dom.consoleMessages()).isEmpty();
        String page = dom.stdout();
        assertThat(page).contains("thuộc Thành phố Hải Phòng");

        for (String code : NEW_COMMUNES) {
            Expected e = expected.get(code + "|quarter|2025-Q3");
            // The rendered row of the commune: its rank, no "mới", and the units its history is restated from.
            int at = page.indexOf("<span class=\"code\">" + code + "</span>");
            assertThat(at).as("row of %s", code).isPositive();
            String row = page.substring(page.lastIndexOf("<tr", at), page.indexOf("</tr>", at));
            assertThat(row).contains(newNames.get(code)).doesNotContain("mới")
                    .contains("<td class=\"num rank\">" + e.rank() + "</td>")
                    .contains("<td class=\"num\">" + e.previousRank() + "</td>")
                    .contains("Số liệu trước 01/07/2025 quy đổi từ");
            for (String p : predecessors.get(code)) {
                String pCode = p.substring(0, p.indexOf(' '));
                String pName = p.substring(p.indexOf(' ') + 1);
                assertThat(row).as("%s names predecessor %s", code, p).contains(pName + " (" + pCode + ")");
            }
            String line = csv.stream().filter(l -> l.startsWith(code + ",")).findFirst().orElseThrow();
            List<String> f = Arrays.asList(line.split(",", -1));
            assertThat(f.get(header.indexOf("rank"))).isEqualTo(e.rank().toString());
            assertThat(f.get(header.indexOf("previous_rank"))).isEqualTo(e.previousRank().toString());
            assertThat(f.get(header.indexOf("restated_from"))).isEqualTo(String.join("; ", predecessors.get(code).stream()
                    .sorted().toList()));
        }
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target", "review-2025-Q3.html"), html);
    }

    private static List<String[]> csv(String text) {
        List<String[]> out = new ArrayList<>();
        for (String l : text.split("\n")) {
            if (!l.isBlank() && !Character.isLetter(l.charAt(0))) {
                out.add(l.strip().split(",", -1));
            }
        }
        return out;
    }

    private static String resource(String name) throws Exception {
        try (InputStream in = ReorganisationReviewEndToEndTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}

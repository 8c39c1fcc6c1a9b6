package vn.onestop.monitor.review;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.onestop.monitor.MonitorConfig;
import vn.onestop.monitor.local.LocalStack;
import vn.onestop.monitor.local.Replay;
import vn.onestop.monitor.recount.NationalIndexRecount;
import vn.onestop.monitor.sim.SimRecord;
import vn.onestop.monitor.sim.SimulationSettings;
import vn.onestop.monitor.sim.Simulator;

import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 16's review must-show: the first 20 days of March 2024 simulated, through Kafka, the job on a MiniCluster
 * and PostgreSQL (the make replay path); {@code make review PERIOD=2024-03} for the month still running, rendered in
 * headless Chromium. The "Chỉ số 766" table must show, for every unit, the points of every indicator, the total,
 * its maximum and the rank equal to {@link NationalIndexRecount}'s recomputation from the raw lines (which shares no
 * code with the job or the SQL), and the month-end projection must equal the recount's projection by the rule of
 * docs/INDEX766.md.
 */
class Index766ReviewEndToEndTest {
    static final ReviewPeriod MARCH = ReviewPeriod.parse("2024-03");

    @TempDir
    static Path dir;
    static LocalStack stack;
    static NationalIndexRecount recount = new NationalIndexRecount();
    static NationalIndexRecount.Registry units;
    static Map<String, boolean[]> procedures;
    static List<String[]> catalogue;

    @BeforeAll
    static void runThePipeline() throws Exception {
        stack = LocalStack.start(MonitorConfig.from(new String[] {"--data-dir=" + dir.resolve("data"), "--parallelism=2",
                "--checkpoint-interval=PT1S"}, Map.of()));
        // 1 March 00:00 to 20 March 12:00 local: the month is running when the feed stops, so dossiers are open, some
        // already past due, some due before the 31st, some after. Duplicates and late batches as in real feeds.
        Simulator sim = Simulator.forDefaultDistrict(SimulationSettings.defaults(16, Instant.parse("2024-02-29T17:00:00Z"))
                .withDossiersPerUnitPerDay(6).withDelivery(0.03, 0.05, 0.0));
        Path dossiers = dir.resolve("dossiers.ndjson");
        Path feedback = dir.resolve("feedback.ndjson");
        try (OutputStream d = Files.newOutputStream(dossiers); OutputStream f = Files.newOutputStream(feedback)) {
            for (SimRecord r : (Iterable<SimRecord>) sim.stream(Instant.parse("2024-03-20T05:00:00Z"))::iterator) {
                boolean isDossier = r.topic().equals(SimRecord.DOSSIER_EVENTS);
                (isDossier ? d : f).write(r.payload());
                (isDossier ? d : f).write('\n');
                if (isDossier) {
                    recount.dossierLine(r.payload());
                } else {
                    recount.feedbackLine(r.payload());
                }
            }
        }
        Replay.run(stack.config(), dossiers, feedback, null);
        // Data, not code: the shipped units.csv (dated parents), procedures.csv and unit_procedures.csv.
        try (InputStream in = reference("units.csv")) {
            units = NationalIndexRecount.Registry.read(in);
        }
        try (InputStream in = reference("procedures.csv")) {
            procedures = NationalIndexRecount.procedureFlags(in);
        }
        try (InputStream in = reference("unit_procedures.csv")) {
            catalogue = NationalIndexRecount.catalogue(in);
        }
    }

    private static InputStream reference(String name) {
        return Index766ReviewEndToEndTest.class.getResourceAsStream("/reference/" + name);
    }

    @AfterAll
    static void stop() throws Exception {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void chromiumShowsThe766TableAndTheProjectionEqualToTheIndependentRecount() throws Exception {
        Map<String, String> expected = recount.indicators(units, procedures, catalogue);
        Map<String, String> projection = recount.projection(units, procedures);
        String suffix = "|MONTH|2024-03";

        Path reports = dir.resolve("reports");
        ReviewReport.Written w = ReviewReport.write(stack.reader(), MARCH, reports);
        HeadlessChromium.Result dom = HeadlessChromium.run(reports, "--dump-dom", w.html().toUri().toString());
        assertThat(dom.exitCode()).isZero();
        assertThat(dom.consoleMessages()).isEmpty();
        String page = dom.stdout();
        Files.createDirectories(Path.of("target"));
        Files.copy(w.html(), Path.of("target", "review-2024-03-766.html"), StandardCopyOption.REPLACE_EXISTING);

        // --- the 766 table: unit → indicator → the cell's text, as Chromium has it
        Map<String, Map<String, String>> shown = cells(section(page, "index-766"));
        Map<String, Map<String, String>> want = new TreeMap<>();
        expected.forEach((k, v) -> {
            if (k.contains(suffix + "|")) {
                String[] key = k.split("\\|");
                want.computeIfAbsent(key[0], x -> new TreeMap<>()).put(key[3], comma(v.split("\\|")[1]));
            }
        });
        assertThat(want).as("the month has units with points").hasSizeGreaterThan(10);
        assertThat(shown.keySet()).as("units in the table").isEqualTo(want.keySet());
        // Every indicator the table shows, and only those, the total with its maximum and the rank among the unit's
        // peers (same parent and level on 31 March), all as the recount has them.
        Map<String, String> totals = NationalIndexRecount.totals(expected);
        Map<String, Integer> ranks = NationalIndexRecount.ranks(expected, units, "MONTH", "2024-03", LocalDate.of(2024, 3, 31));
        Map<String, String> shownRanks = ranks(section(page, "index-766"));
        for (String unit : want.keySet()) {
            Map<String, String> indicators = new TreeMap<>(shown.get(unit));
            String total = indicators.remove("total");
            String max = indicators.remove("max");
            indicators.values().removeIf("—"::equals); // a column of another unit's indicator: none for this one
            assertThat(indicators).as(unit + " indicators").isEqualTo(want.get(unit));
            String[] t = totals.get(unit + suffix).split("\\|");
            assertThat(total).as(unit + " total").isEqualTo(comma(t[0]));
            assertThat(max).as(unit + " max").isEqualTo(comma(t[1]));
            assertThat(shownRanks.get(unit)).as(unit + " rank").isEqualTo(Integer.toString(ranks.get(unit)));
        }
        assertThat(want.values()).as("the catalogue indicators are shown too").anyMatch(m -> m.keySet().containsAll(NationalIndexRecount.INDICATORS));
        assertThat(ranks.values()).as("several peers in a group").contains(2);

        // --- the CSV carries the same points
        List<String> csv = Files.readAllLines(Index766Report.csvFile(reports, MARCH));
        List<String> header = Arrays.asList(csv.get(0).substring(1).split(","));
        int checked = 0;
        for (String line : csv.subList(1, csv.size())) {
            List<String> f = Arrays.asList(line.split(",", -1));
            String key = f.get(header.indexOf("unit_code")) + suffix + "|" + f.get(header.indexOf("indicator"));
            if (expected.containsKey(key)) {
                assertThat(f.get(header.indexOf("points"))).as(key).isEqualTo(expected.get(key).split("\\|")[1]);
                checked++;
            }
        }
        assertThat(checked).isEqualTo(want.values().stream().mapToInt(Map::size).sum());

        // --- the month-end projection, as of the latest event (20 March, shortly before noon)
        String proj = section(page, "index-766-projection");
        Map<String, String> projected = new TreeMap<>();
        Matcher row = Pattern.compile("<tr data-unit=\"([^\"]+)\">(.*?)</tr>", Pattern.DOTALL).matcher(proj);
        while (row.find()) {
            List<String> nums = new ArrayList<>();
            Matcher td = Pattern.compile("<td class=\"num[^\"]*\">([^<]*)</td>").matcher(row.group(2));
            while (td.find()) {
                nums.add(td.group(1));
            }
            projected.put(row.group(1), String.join("|", nums.get(0).replace(".", ""), nums.get(1).replace(".", ""),
                    nums.get(2).replace(".", ""), nums.get(3).replace(".", ""), nums.get(4).replace(',', '.'), nums.get(5).replace(',', '.')));
        }
        assertThat(projected).isEqualTo(projection);
        assertThat(projection.values()).as("open dossiers past due, due this month and due later, so both outcomes differ")
                .anyMatch(v -> Long.parseLong(v.split("\\|")[1]) > 0)
                .anyMatch(v -> Long.parseLong(v.split("\\|")[2]) > 0)
                .anyMatch(v -> Long.parseLong(v.split("\\|")[3]) > 0)
                .anyMatch(v -> new BigDecimal(v.split("\\|")[5]).compareTo(new BigDecimal(v.split("\\|")[4])) > 0);
        // The dossiers listed: each worth 20 / its unit's handled dossiers, the most first.
        String list = proj.substring(proj.indexOf("index-766-dossiers"));
        Matcher listed = Pattern.compile("<span class=\"code\">([^<]+)</span></td><td>[^<]*</td><td>[^<]*</td><td class=\"num\">\\+([^<]+)</td>").matcher(list);
        List<BigDecimal> stakes = new ArrayList<>();
        while (listed.find()) {
            long handled = Long.parseLong(projection.get(listed.group(1)).split("\\|")[0]);
            BigDecimal stake = new BigDecimal(listed.group(2).replace(',', '.'));
            assertThat(stake).as(listed.group(1)).isEqualTo(new BigDecimal(20).divide(new BigDecimal(handled), 2, RoundingMode.HALF_UP));
            stakes.add(stake);
        }
        assertThat(stakes).hasSize(MonthEndProjection.DOSSIERS_LISTED);
        assertThat(stakes).isSortedAccordingTo(Comparator.reverseOrder());

        // A month that is over has no projection.
        String february = Files.readString(ReviewReport.write(stack.reader(), ReviewPeriod.parse("2024-Q1"), dir.resolve("q1")).html());
        assertThat(february).contains("id=\"index-766\"").doesNotContain("id=\"index-766-projection\"");
    }

    /** The HTML of {@code <section id="…">}. */
    private static String section(String page, String id) {
        int start = page.indexOf("<section id=\"" + id + "\">");
        assertThat(start).as("section " + id).isGreaterThanOrEqualTo(0);
        return page.substring(start, page.indexOf("</section>", start));
    }

    private static Map<String, Map<String, String>> cells(String section) {
        Map<String, Map<String, String>> out = new TreeMap<>();
        Matcher row = Pattern.compile("<tr data-unit=\"([^\"]+)\">(.*?)</tr>", Pattern.DOTALL).matcher(section);
        while (row.find()) {
            Matcher td = Pattern.compile("<td class=\"num[^\"]*\" data-indicator=\"([^\"]+)\"[^>]*>([^<]*)</td>").matcher(row.group(2));
            Map<String, String> cells = new TreeMap<>();
            while (td.find()) {
                cells.put(td.group(1), td.group(2));
            }
            out.put(row.group(1), cells);
        }
        return out;
    }

    private static Map<String, String> ranks(String section) {
        Map<String, String> out = new TreeMap<>();
        Matcher m = Pattern.compile("<tr data-unit=\"([^\"]+)\"><td class=\"num rank\">(\\d+)</td>").matcher(section);
        while (m.find()) {
            out.put(m.group(1), m.group(2));
        }
        return out;
    }

    private static String comma(String plain) {
        return plain.replace('.', ',');
    }
}

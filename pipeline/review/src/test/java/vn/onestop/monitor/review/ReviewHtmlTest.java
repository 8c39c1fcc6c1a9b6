package vn.onestop.monitor.review;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The report's pieces without a database: colours against targets, arrows, escaping, CSV quoting. */
class ReviewHtmlTest {
    static final ReviewPeriod Q1 = ReviewPeriod.parse("2024-Q1");

    static ReviewRow row(String code, String name, int rank, Integer previousRank, double online, String total) {
        Map<Indicator, BigDecimal> points = new EnumMap<>(Indicator.class);
        for (Indicator i : Indicator.values()) {
            points.put(i, new BigDecimal("1.50"));
        }
        return new ReviewRow(code, name, "COMMUNE", "300", Q1, BigDecimal.valueOf(10), BigDecimal.valueOf(8), BigDecimal.valueOf(7),
                BigDecimal.ONE, BigDecimal.valueOf(2), BigDecimal.ONE, BigDecimal.valueOf(4),
                0.875, online, 0.9, 0.8, 0.75, 0.8, 0.125, 0.25, 0.625, points, new BigDecimal(total), rank,
                previousRank, previousRank == null ? null : previousRank - rank, "progress");
    }

    @Test
    void indicatorsAreColouredAgainstTheirTargets() {
        assertThat(Indicator.ONLINE.standing(0.50)).isEqualTo(Indicator.Standing.MET);
        assertThat(Indicator.ONLINE.standing(0.41)).isEqualTo(Indicator.Standing.NEAR);
        assertThat(Indicator.ONLINE.standing(0.39)).isEqualTo(Indicator.Standing.BELOW);
        assertThat(Indicator.INTAKE_DIGITISATION.standing(0.79)).isEqualTo(Indicator.Standing.NEAR);
        assertThat(Indicator.PROGRESS.standing(null)).isEqualTo(Indicator.Standing.NO_DATA);
    }

    @Test
    void rankChangesReadAsArrows() {
        assertThat(ReviewHtml.rankChange(3)).contains("▲ 3");
        assertThat(ReviewHtml.rankChange(-2)).contains("▼ 2");
        assertThat(ReviewHtml.rankChange(0)).doesNotContain("▲").doesNotContain("▼");
        assertThat(ReviewHtml.rankChange(null)).contains("mới");
    }

    @Test
    void theTableShowsEveryUnitEscapedWithItsColourAndArrow() {
        ReviewRow a = row("A1", "Xã <Thử> & Nghiệm", 1, 2, 0.62, "40.25");
        ReviewRow b = row("B2", "Thị trấn Thanh Miện", 2, 1, 0.30, "38.00");
        String html = ReviewHtml.render(Q1, List.of(b, a), Map.of(), Map.of("300", "Huyện Thanh Miện"), "01/04/2024 08:00");
        assertThat(html).contains("Xã &lt;Thử&gt; &amp; Nghiệm").doesNotContain("<Thử>")
                .contains("Thị trấn Thanh Miện").contains("thuộc Huyện Thanh Miện").contains("quý I/2024")
                .contains("40,25").contains("▲ 1").contains("▼ 1")
                .contains("class=\"num met\">62,0%").contains("class=\"num below\">30,0%");
        // Ranking order in the table: rank 1 first, whatever order the rows came in.
        assertThat(html.indexOf("Xã &lt;Thử&gt;", html.indexOf("<table>"))).isLessThan(html.indexOf("Thị trấn Thanh Miện", html.indexOf("<table>")));
        assertThat(html).doesNotContain("<script").doesNotContain("http://").doesNotContain("https://");
    }

    @Test
    void sparklinesLeaveGapsForPeriodsWithoutData() {
        List<ReviewPeriod> six = Q1.lastPeriods(6);
        Map<ReviewPeriod, BigDecimal> totals = Map.of(six.get(0), new BigDecimal("42"), six.get(1), new BigDecimal("21"),
                six.get(3), BigDecimal.ZERO, six.get(5), new BigDecimal("30"));
        String svg = Sparkline.svg(six, totals, Sparkline.floor(List.of(totals)));
        // Two runs (periods 0-1, then 3) and a lone last point: three moves, one line segment.
        assertThat(svg.split(" ?M", -1).length - 1).isEqualTo(3);
        assertThat(svg.split(" L", -1).length - 1).isEqualTo(1);
        assertThat(svg).contains("2022-Q4: 42,00").contains("2023-Q2: —").contains("<circle");
        // The lowest total (0) sits on the bottom line, the maximum (42) on the top one.
        assertThat(svg).contains("M3.0 3.0").contains("M71.4 25.0");
        assertThat(Sparkline.floor(List.of(Map.of(six.get(0), new BigDecimal("35.83"))))).isEqualTo(30);
    }

    @Test
    void csvHasOneQuotedRowPerUnit() {
        String csv = ReviewCsv.render(List.of(row("A1", "Xã \"Thử\", Nghiệm", 1, null, 0.5, "40.25")));
        String[] lines = csv.split("\r\n");
        assertThat(lines).hasSize(2);
        assertThat(lines[0]).startsWith(ReviewCsv.BOM + "unit_code,unit_name,");
        assertThat(lines[1]).startsWith("A1,\"Xã \"\"Thử\"\", Nghiệm\",COMMUNE,300,2024-Q1,10,8,7,1,2,1,4,0.875000,0.500000,")
                .endsWith(",40.25,1,,,progress,");
    }

    @Test
    void aRestatedUnitNamesItsPredecessorsAndAFractionalCountKeepsItsDecimal() {
        ReviewRow a = row("11239", "Xã Thanh Miện", 1, 2, 0.62, "40.25");
        List<Predecessor> from = List.of(
                new Predecessor("11239", "Thị trấn Thanh Miện", java.time.LocalDate.of(2025, 7, 1), BigDecimal.ONE),
                new Predecessor("10891", "Thị trấn Lai Cách", java.time.LocalDate.of(2025, 7, 1), new BigDecimal("0.5")));
        String html = ReviewHtml.render(Q1, List.of(a), Map.of(), Map.of(), Map.of("11239", from), "01/10/2025 08:00");
        assertThat(html).contains("Số liệu trước 01/07/2025 quy đổi từ: Thị trấn Thanh Miện (11239), Thị trấn Lai Cách (10891, phần 0,5)");
        assertThat(ReviewCsv.render(List.of(a), Map.of("11239", from)).split("\r\n")[1])
                .endsWith(",progress,11239 Thị trấn Thanh Miện; 10891 Thị trấn Lai Cách:0.5");
        // Restated counts of a split unit are fractions: 12.5 received stays 12,5 (not 12), a whole count has no decimals.
        assertThat(ReviewHtml.count(new BigDecimal("12.500"))).isEqualTo("12,5");
        assertThat(ReviewHtml.count(new BigDecimal("1234.000"))).isEqualTo("1.234");
    }
}

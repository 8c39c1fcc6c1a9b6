package vn.onestop.monitor.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import vn.onestop.monitor.index.CatalogueCoverage.Dossier;
import vn.onestop.monitor.index.CatalogueCoverage.Entry;
import vn.onestop.monitor.index.CatalogueCoverage.OnlineService;

/**
 * The distinct-procedure counts of the catalogue indicators (3.1, 3.2, 3.5.1, 3.5.2, 4.5.2), one row per sentence of
 * ChippedTopaz/qd766 {@code web/dist/formula-document.js} it pins (quoted, with the record id), or per reading of
 * ours (marked "ours").
 *
 * <p>Catalogue rows are written {@code unit/procedure/service/flags} with flags F (the procedure has a fee) and C
 * (citizens are its applicants); dossiers {@code unit/procedure/flags} with R (received in the period), H (handled in
 * it), O (online channel), S (synchronised to the portal), $ (payments of 8 000 đồng; without it 0), P (paid online),
 * V (VNeID or population data). Expected: procedures, offered online, online services, services used, fee
 * procedures, paid online, with fee data, citizen procedures, with population data.
 */
class CatalogueCoverageTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            3.1 "01 TTHC được cung cấp cả DVCTT một phần và toàn trình thì tính cho mức DVCTT cao nhất": once       | A/P1/PARTIAL/ B/P1/FULL/ A/P2/NONE/          |                          | 2,1,2,0,0,0,0,0,0
            3.1 "Số TTHC có DVCTT một phần, DVCTT toàn trình / Tổng số TTHC thuộc thẩm quyền": NONE is not online     | A/P1/NONE/ A/P2/NONE/ B/P2/NONE/             |                          | 2,0,0,0,0,0,0,0,0
            3.2 "Tính theo đơn vị áp dụng DVC (đơn vị xử lý)": two units offering P1 are two services                | A/P1/FULL/ B/P1/FULL/                        | A/P1/RHO                 | 1,1,2,1,0,0,0,0,0
            3.2 "Tử: số dvc có hồ sơ tiếp nhận trực tuyến": a dossier at the counter does not use the service        | A/P1/FULL/                                   | A/P1/RH                  | 1,1,1,0,0,0,0,0,0
            3.2 "Xét các hồ sơ đồng bộ có Ngày tiếp nhận trong kỳ": online but received before the period            | A/P1/FULL/                                   | A/P1/HO                  | 1,1,1,0,0,0,0,0,0
            3.2 "đơn vị áp dụng": an online dossier at B uses no service of A; B does not offer P1 online            | A/P1/FULL/ B/P1/NONE/                        | B/P1/RHO                 | 1,1,1,0,0,0,0,0,0
            3.5 "Y luôn lấy theo giá trị hiện tại trong CSDL TTHC": fee procedures without dossiers count in Y       | A/P1/NONE/F A/P2/NONE/F A/P3/NONE/           |                          | 3,0,0,0,2,0,0,0,0
            3.5 "X: … đồng bộ dữ liệu phí, lệ phí trên Cổng (Phí, lệ phí khác 0, null)": a zero fee is no fee data   | A/P1/NONE/F A/P2/NONE/F                      | A/P1/RHS A/P2/RHS$       | 2,0,0,0,2,0,1,0,0
            3.5 X, ours: fee data is on the portal only when the dossier was synchronised                            | A/P1/NONE/F                                  | A/P1/RH$                 | 1,0,0,0,1,0,0,0,0
            3.5.1 (fit, SCORING_ANALYSIS B): a fee procedure with a dossier paid online, twice is once              | A/P1/FULL/F                                  | A/P1/RHO$P A/P1/RHO$P    | 1,1,1,1,1,1,0,0,0
            3.5 "Xét hồ sơ có Ngày tiếp nhận trong kỳ": paid online, received before the period                       | A/P1/FULL/F                                  | A/P1/HOS$P               | 1,1,1,0,1,0,0,0,0
            3.5 "Y: Tổng số TTHC có thông tin phí": paid online for a procedure without a fee counts nowhere         | A/P1/FULL/                                   | A/P1/RHOS$P              | 1,1,1,1,0,0,0,0,0
            4.5 "TTHC có đối tượng thực hiện là người dân": an organisation's procedure is outside the whole        | A/P1/NONE/C A/P2/NONE/                       | A/P1/RHV A/P2/RHV        | 2,0,0,0,0,0,0,1,1
            4.5.2 ours: 4.5.1's population, so a dossier received earlier and handled in the period counts          | A/P1/NONE/C                                  | A/P1/HV                  | 1,0,0,0,0,0,0,1,1
            4.5 "Số TTHC có hồ sơ đồng bộ có taikhoanduocxacthucvoiVNeID": without VNeID the procedure is not counted | A/P1/NONE/C                                  | A/P1/RH                  | 1,0,0,0,0,0,0,1,0
            ours: a dossier of a procedure the subtree's catalogue does not list counts nowhere                     | A/P1/FULL/FC                                 | A/P9/RHOS$PV             | 1,1,1,0,1,0,0,1,0
            """)
    void countsDistinctProcedures(String rule, String catalogue, String dossiers, String expected) {
        ProcedureCoverage c = CatalogueCoverage.count(entries(catalogue), dossiers(dossiers));
        long[] e = java.util.Arrays.stream(expected.split(",")).mapToLong(Long::parseLong).toArray();
        assertEquals(new ProcedureCoverage(e[0], e[1], e[2], e[3], e[4], e[5], e[6], e[7], e[8]), c, rule);
    }

    /** ours, as {@link NationalIndex#score}: no catalogue for the subtree means the indicators are left out. */
    @Test
    void noCatalogueLeavesTheIndicatorsOut() {
        assertNull(CatalogueCoverage.count(List.of(), dossiers("A/P1/RHOS$PV")));
        assertEquals(new BigDecimal("62.00"), NationalIndex.maxPoints(NationalIndex.score(UnitPeriodCounts.NONE,
                CatalogueCoverage.count(List.of(), List.of()))));
    }

    @Test
    void aProcedureListedTwiceForOneUnitIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> CatalogueCoverage.count(entries("A/P1/FULL/ A/P1/NONE/"), List.of()));
    }

    /**
     * A district D with communes A and B, worked by hand end to end. Catalogue: A offers P1 (fee, citizens) in full,
     * P2 (citizens) in part, P3 (fee, organisations) not online; B offers P1 in full and P4 (fee, citizens) not
     * online. Dossiers of the month: at A one P1 received online and paid online with fee data, one P2 at the counter
     * with VNeID; at B one P1 online, paid in cash (synchronised with its fee), one P4 with VNeID received the month
     * before and still open.
     *
     * <pre>
     * D: procedures {P1,P2,P3,P4} = 4, online {P1,P2} = 2        3.1  = 2 × (2/4) / 0.8 = 1.25
     *    services A/P1, A/P2, B/P1 = 3, used A/P1, B/P1 = 2     3.2  = 4 × 2/3 = 2.6667 → 2.67
     *    fee {P1,P3,P4} = 3, paid online {P1} = 1               3.5.1 = 2 × (1/3) / 0.8 = 0.8333 → 0.83
     *    with fee data {P1} = 1                                 3.5.2 = 0.83
     *    citizens {P1,P2,P4} = 3, VNeID {P2,P4} = 2             4.5.2 = 2 × 2/3 = 1.3333 → 1.33
     * A: procedures 3, online 2 → 3.1 = 2 × (2/3)/0.8 = 1.6667 → 1.67; services 2, used 1 → 2.00;
     *    fee {P1,P3} paid {P1} → 2 × (1/2)/0.8 = 1.25, fee data {P1} → 1.25; citizens {P1,P2}, VNeID {P2} → 1.00
     * </pre>
     */
    @Test
    void aDistrictWorkedByHand() {
        List<Entry> a = entries("A/P1/FULL/FC A/P2/PARTIAL/C A/P3/NONE/F");
        List<Entry> b = entries("B/P1/FULL/FC B/P4/NONE/FC");
        List<Dossier> atA = dossiers("A/P1/RHOS$P A/P2/RHV");
        List<Dossier> atB = dossiers("B/P1/RHOS$ B/P4/HV");
        List<Entry> district = new ArrayList<>(a);
        district.addAll(b);
        List<Dossier> districtDossiers = new ArrayList<>(atA);
        districtDossiers.addAll(atB);
        assertEquals(Map.of("3.1", "1.25", "3.2", "2.67", "3.5.1", "0.83", "3.5.2", "0.83", "4.5.2", "1.33"),
                catalogueScores(CatalogueCoverage.count(district, districtDossiers)));
        assertEquals(Map.of("3.1", "1.67", "3.2", "2.00", "3.5.1", "1.25", "3.5.2", "1.25", "4.5.2", "1.00"),
                catalogueScores(CatalogueCoverage.count(a, atA)));
        assertEquals(new BigDecimal("74.00"), NationalIndex.maxPoints(NationalIndex.score(UnitPeriodCounts.NONE,
                CatalogueCoverage.count(district, districtDossiers))));
    }

    private static Map<String, String> catalogueScores(ProcedureCoverage p) {
        Map<String, String> out = new LinkedHashMap<>();
        NationalIndex.score(UnitPeriodCounts.NONE, p).stream()
                .filter(s -> s.indicator().computability() == Indicator766.Computability.FROM_CATALOGUE)
                .forEach(s -> out.put(s.indicator().id(), s.points().toPlainString()));
        return out;
    }

    private static List<Entry> entries(String text) {
        List<Entry> out = new ArrayList<>();
        for (String row : text.trim().split("\\s+")) {
            String[] p = row.split("/", -1);
            out.add(new Entry(p[0], p[1], OnlineService.valueOf(p[2]), p[3].contains("F"), p[3].contains("C")));
        }
        return out;
    }

    private static List<Dossier> dossiers(String text) {
        List<Dossier> out = new ArrayList<>();
        if (text == null || text.isBlank()) {
            return out;
        }
        for (String row : text.trim().split("\\s+")) {
            String[] p = row.split("/", -1);
            String f = p[2];
            out.add(new Dossier(p[0], p[1], f.contains("R"), f.contains("H"), f.contains("O"), f.contains("S"),
                    f.contains("$") ? 8_000 : 0, f.contains("P"), f.contains("V")));
        }
        return out;
    }
}

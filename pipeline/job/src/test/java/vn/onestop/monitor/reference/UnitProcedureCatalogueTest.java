package vn.onestop.monitor.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import vn.onestop.monitor.units.CsvTable;
import vn.onestop.monitor.units.ReferenceDataError;
import vn.onestop.monitor.units.UnitRegistry;

/** unit_procedures.csv: the shipped file passes every rule; each broken rule is refused with file and line. */
class UnitProcedureCatalogueTest {
    private static final Set<String> UNITS = Set.of("11248", "300");
    private static final Map<String, Boolean> ELIGIBLE = new HashMap<>(Map.of("1.001193", true, "1.000894", false));

    static {
        ELIGIBLE.put("9.999999", null); // a procedure whose flag is not said
    }

    @Test
    void theShippedCatalogueNamesShippedUnitsAndProcedures() throws IOException {
        UnitRegistry registry = ReferenceData.registry(null, null);
        Map<String, Boolean> eligible = new HashMap<>();
        for (List<String> r : resource("procedures.csv").rows()) {
            eligible.put(r.get(0), r.get(4).isEmpty() ? null : Boolean.parseBoolean(r.get(4)));
        }
        List<UnitProcedureCatalogue.Row> rows = UnitProcedureCatalogue.read(resource("unit_procedures.csv"),
                code -> registry.latestVersion(code).isPresent(), eligible);
        assertThat(rows).hasSizeGreaterThan(100);
        assertThat(rows).extracting(UnitProcedureCatalogue.Row::onlineService).contains("NONE", "PARTIAL", "FULL");
    }

    @Test
    void aWellFormedFileLoadsEveryRow() throws IOException {
        List<UnitProcedureCatalogue.Row> rows = read("unit_code,procedure_code,online_service\n11248,1.001193,FULL\n"
                + "11248,1.000894,PARTIAL\n300,1.000894,NONE\n11248,9.999999,FULL\n");
        assertThat(rows).containsExactly(new UnitProcedureCatalogue.Row("11248", "1.001193", "FULL"),
                new UnitProcedureCatalogue.Row("11248", "1.000894", "PARTIAL"),
                new UnitProcedureCatalogue.Row("300", "1.000894", "NONE"),
                new UnitProcedureCatalogue.Row("11248", "9.999999", "FULL"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            unknown unit              | 99999,1.001193,FULL     | 3 | unit_code '99999' is not in the unit registry
            unknown procedure         | 11248,1.234567,FULL     | 3 | procedure_code '1.234567' is not in procedures.csv
            service misspelt          | 11248,1.000894,ONLINE   | 3 | online_service must be NONE, PARTIAL or FULL, not 'ONLINE'
            service in lower case     | 11248,1.000894,full     | 3 | online_service must be NONE, PARTIAL or FULL, not 'full'
            FULL for an ineligible    | 11248,1.000894,FULL     | 3 | online_service FULL for procedure '1.000894', which procedures.csv marks full_online_eligible=false
            listed twice              | 11248,1.001193,PARTIAL  | 3 | unit '11248' lists procedure '1.001193' again (first on line 2)
            empty unit                | ,1.001193,FULL          | 3 | unit_code is empty
            """)
    void aBrokenRowIsRefusedWithFileAndLine(String rule, String row, int line, String problem) {
        ReferenceDataError e = assertThrows(ReferenceDataError.class,
                () -> read("unit_code,procedure_code,online_service\n11248,1.001193,FULL\n" + row + "\n"));
        assertThat(e.file()).isEqualTo("test unit_procedures.csv");
        assertThat(e.line()).isEqualTo(line);
        assertThat(e.getMessage()).isEqualTo("test unit_procedures.csv line " + line + ": " + problem);
    }

    @Test
    void aShiftedHeaderIsRefused() {
        IOException e = assertThrows(IOException.class, () -> read("procedure_code,unit_code,online_service\n1.001193,11248,FULL\n"));
        assertThat(e.getMessage()).startsWith("test unit_procedures.csv: header must be 'unit_code,procedure_code,online_service'");
    }

    private static List<UnitProcedureCatalogue.Row> read(String csv) throws IOException {
        CsvTable t = CsvTable.read("test unit_procedures.csv", new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)));
        return UnitProcedureCatalogue.read(t, UNITS::contains, ELIGIBLE);
    }

    private static CsvTable resource(String name) throws IOException {
        try (InputStream in = UnitProcedureCatalogueTest.class.getResourceAsStream("/reference/" + name)) {
            return CsvTable.read(name, in);
        }
    }
}

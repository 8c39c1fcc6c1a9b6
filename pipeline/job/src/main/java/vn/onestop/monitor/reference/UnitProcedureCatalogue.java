package vn.onestop.monitor.reference;

import vn.onestop.monitor.units.CsvTable;
import vn.onestop.monitor.units.ReferenceDataError;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The per-unit procedure catalogue (unit_procedures.csv): which procedures each unit is competent for and whether it
 * applies an online public service (DVCTT) for them, the data of the national index's catalogue indicators 3.1,
 * 3.2, 3.5.1, 3.5.2 and 4.5.2 (docs/INDEX766.md). Checked as a whole before anything is written; a row that breaks a
 * rule refuses the file with its name and line, since a typo here silently moves a unit's points.
 */
public final class UnitProcedureCatalogue {
    static final String[] COLUMNS = {"unit_code", "procedure_code", "online_service"};
    private static final Set<String> ONLINE_SERVICES = Set.of("NONE", "PARTIAL", "FULL");

    private UnitProcedureCatalogue() {
    }

    /** One checked row. */
    public record Row(String unitCode, String procedureCode, String onlineService) {
    }

    /**
     * @param unitKnown          whether a code is in the unit registry (any version: a code reused after a
     *                           reorganisation keeps its catalogue rows)
     * @param fullOnlineEligible procedure code → its procedures.csv flag {@code full_online_eligible} (null value =
     *                           not said); a code missing from the map is not in procedures.csv
     */
    public static List<Row> read(CsvTable t, Predicate<String> unitKnown, Map<String, Boolean> fullOnlineEligible)
            throws IOException {
        t.expect(COLUMNS);
        List<Row> rows = new ArrayList<>();
        Map<String, Integer> firstLine = new HashMap<>();
        int line = 1;
        for (List<String> r : t.rows()) {
            line++;
            String unit = r.get(0);
            String procedure = r.get(1);
            String service = r.get(2);
            if (unit.isEmpty() || procedure.isEmpty()) {
                throw new ReferenceDataError(t.source(), line, (unit.isEmpty() ? "unit_code" : "procedure_code") + " is empty");
            }
            if (!unitKnown.test(unit)) {
                throw new ReferenceDataError(t.source(), line, "unit_code '" + unit + "' is not in the unit registry");
            }
            if (!fullOnlineEligible.containsKey(procedure)) {
                throw new ReferenceDataError(t.source(), line, "procedure_code '" + procedure + "' is not in procedures.csv");
            }
            if (!ONLINE_SERVICES.contains(service)) {
                throw new ReferenceDataError(t.source(), line, "online_service must be NONE, PARTIAL or FULL, not '" + service + "'");
            }
            if (service.equals("FULL") && Boolean.FALSE.equals(fullOnlineEligible.get(procedure))) {
                throw new ReferenceDataError(t.source(), line, "online_service FULL for procedure '" + procedure
                        + "', which procedures.csv marks full_online_eligible=false");
            }
            Integer earlier = firstLine.putIfAbsent(unit + "\u0000" + procedure, line);
            if (earlier != null) {
                throw new ReferenceDataError(t.source(), line, "unit '" + unit + "' lists procedure '" + procedure
                        + "' again (first on line " + earlier + ")");
            }
            rows.add(new Row(unit, procedure, service));
        }
        return rows;
    }
}

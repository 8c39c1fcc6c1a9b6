package vn.onestop.monitor.sim;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The online services (PARTIAL or FULL) each unit offers, per the shipped unit_procedures.csv: the simulator receives
 * online dossiers only for them, with the matching {@code onlineMode}.
 */
final class OnlineCatalogue {
    static final String UNIT_PROCEDURES = "/reference/unit_procedures.csv";
    /** unit code → procedure code → PARTIAL or FULL (procedures listed NONE are left out). */
    private static final Map<String, Map<String, String>> OFFERED = load();

    private OnlineCatalogue() {
    }

    /** The procedures {@code unitCode} offers online; empty for a unit the catalogue does not list. */
    static Set<String> offeredOnline(String unitCode) {
        return OFFERED.getOrDefault(unitCode, Map.of()).keySet();
    }

    /** PARTIAL or FULL, or null when the catalogue does not say the unit offers the procedure online. */
    static String service(String unitCode, String procedureCode) {
        return OFFERED.getOrDefault(unitCode, Map.of()).get(procedureCode);
    }

    private static Map<String, Map<String, String>> load() {
        Map<String, Map<String, String>> offered = new HashMap<>();
        for (Map<String, String> row : DistrictReference.read(UNIT_PROCEDURES)) {
            if (!"NONE".equals(row.get("online_service"))) {
                offered.computeIfAbsent(row.get("unit_code"), u -> new HashMap<>()).put(row.get("procedure_code"), row.get("online_service"));
            }
        }
        Map<String, Map<String, String>> copy = new HashMap<>();
        offered.forEach((u, p) -> copy.put(u, Map.copyOf(p)));
        return Map.copyOf(copy);
    }
}

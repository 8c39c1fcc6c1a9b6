package vn.onestop.monitor.e2e;

import vn.onestop.monitor.local.LocalStack;

import java.sql.Connection;
import java.sql.ResultSet;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/** Reads unit_kpi_daily in the shape of {@link ReferenceFold}'s result, for comparison. */
final class PipelineEndToEndTestSupport {
    private PipelineEndToEndTestSupport() {}

    static Map<String, String> daily(LocalStack stack) throws Exception {
        Map<String, long[]> out = new TreeMap<>();
        try (Connection c = stack.reader().connect();
             ResultSet rs = c.createStatement().executeQuery("SELECT unit_code, day, " + String.join(", ", ReferenceFold.COLUMNS) + " FROM unit_kpi_daily")) {
            while (rs.next()) {
                long[] v = new long[ReferenceFold.COLUMNS.length];
                boolean any = false;
                for (int i = 0; i < v.length; i++) {
                    v[i] = rs.getLong(3 + i);
                    any |= v[i] != 0;
                }
                if (any) {
                    out.put(rs.getString(1) + "|" + rs.getObject(2, LocalDate.class), v);
                }
            }
        }
        return printable(out);
    }

    static Map<String, String> printable(Map<String, long[]> m) {
        Map<String, String> out = new TreeMap<>();
        m.forEach((k, v) -> out.put(k, Arrays.toString(v)));
        return out;
    }
}

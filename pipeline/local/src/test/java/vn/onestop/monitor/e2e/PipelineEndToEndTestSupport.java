package vn.onestop.monitor.e2e;

import vn.onestop.monitor.local.LocalStack;
import vn.onestop.monitor.recount.Recount;

import java.sql.Connection;
import java.util.List;
import java.util.Map;

/** Reads unit_kpi_daily as Grafana's login sees it, in the shape of {@link Recount#daily()}, for comparison. */
final class PipelineEndToEndTestSupport {
    private PipelineEndToEndTestSupport() {}

    static Map<String, List<Long>> daily(LocalStack stack) throws Exception {
        try (Connection c = stack.reader().connect()) {
            return Recount.fromDatabase(c);
        }
    }
}

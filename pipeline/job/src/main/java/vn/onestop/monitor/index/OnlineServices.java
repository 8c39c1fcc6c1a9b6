package vn.onestop.monitor.index;

import java.math.BigDecimal;

/**
 * Group 3, online public services (12 points in {@code docs/metrics.m0.json}; the split 2 / 4 / 6 is provisional,
 * see {@link Indicator766}).
 */
public final class OnlineServices {
    static final BigDecimal PROCEDURES_FULL_AT = new BigDecimal("0.8");
    static final BigDecimal SHARE_FULL_AT = new BigDecimal("0.5");

    private OnlineServices() {
    }

    /**
     * 3.1: procedures offered as partial or full online service / procedures in the unit's competence, full from
     * 80%. Source: {@code web/dist/formula-document.js} record 3.1 (formula and "Đạt từ 80% trở lên sẽ đạt điểm tối
     * đa").
     */
    public static IndicatorScore proceduresOnline(ProcedureCoverage p) {
        return Points.fullAt(Indicator766.PROCEDURES_ONLINE, PROCEDURES_FULL_AT,
                p.proceduresOfferingOnline(), p.procedures());
    }

    /**
     * 3.2: online services with a dossier received online / online services, linear. Source: {@code
     * web/dist/formula-document.js} record 3.2, the "Update" formula ("Tử: số dvc có hồ sơ tiếp nhận trực tuyến;
     * Mẫu: số dvc của tthc"); {@code docs/SCORING_ANALYSIS_M0.md} names the candidate 4 × onlineDossierCount /
     * onlineServiceTotal and does not confirm it.
     */
    public static IndicatorScore servicesUsed(ProcedureCoverage p) {
        return Points.linear(Indicator766.ONLINE_SERVICES_USED, p.onlineServicesUsed(), p.onlineServices());
    }

    /**
     * 3.3: (received online with, where the procedure has a written result, an electronic result) / received ×
     * the 1.4 synchronisation rate, full from 50%. Source: {@code web/dist/formula-document.js} record 3.3 ("Tổng
     * số hồ sơ tiếp nhận trực tuyến … / Tổng số hồ sơ tiếp nhận trong kỳ * Tỷ lệ đồng bộ hồ sơ", notes "Đạt từ 50%
     * trở lên sẽ đạt điểm tối đa"). Computed as one fraction (online × synced) / received² so it is rounded once.
     */
    public static IndicatorScore onlineShare(UnitPeriodCounts c) {
        BigDecimal part = BigDecimal.valueOf(c.receivedOnline()).multiply(BigDecimal.valueOf(c.receivedSynced()));
        BigDecimal whole = BigDecimal.valueOf(c.received()).multiply(BigDecimal.valueOf(c.received()));
        return Points.fullAt(Indicator766.ONLINE_SHARE, SHARE_FULL_AT, part, whole);
    }
}

package vn.onestop.monitor.index;

import java.math.BigDecimal;

/**
 * Online payment, 10 points in {@code docs/metrics.m0.json} row 24. The split follows the formula fitted to the
 * portal in {@code docs/SCORING_ANALYSIS_M0.md} "Thanh toán trực tuyến" (984 rows within 0.014 points):
 * {@code 6 × A + min(2, 2.5 × B) + 2.5 × C}, where A is 3.6's dossier share and B, C are procedure shares that
 * {@code web/dist/formula-document.js} record 3.5 describes. We cap C like B (full at 80%, the 3.5 note "Đạt từ 80%
 * trở lên sẽ đạt điểm tối đa"): uncapped, a unit could score 10.5 of 10; no row we read has C above 0.8, where the
 * two readings agree.
 */
public final class OnlinePayment {
    static final BigDecimal PROCEDURES_FULL_AT = new BigDecimal("0.8");

    private OnlinePayment() {
    }

    /**
     * 3.5.1 (B): fee procedures with a dossier paid online / fee procedures in the catalogue, full from 80%
     * (totalDossierOnlineFormalityPaymentSuccess / totalFeeFormality in the portal's response).
     */
    public static IndicatorScore feeProceduresPaidOnline(ProcedureCoverage p) {
        return Points.fullAt(Indicator766.FEE_PROCEDURES_PAID_ONLINE, PROCEDURES_FULL_AT,
                p.feeProceduresPaidOnline(), p.feeProcedures());
    }

    /**
     * 3.5.2 (C): fee procedures with a dossier whose fee data reached the portal / fee procedures, full from 80%
     * (our cap; totalFeeDossierFormality / totalFeeFormality). Formula document record 3.5: "X: Tổng số TTHC có hồ
     * sơ có đồng bộ dữ liệu phí, lệ phí … Y: Tổng số TTHC có thông tin phí lệ phí trong CSDL".
     */
    public static IndicatorScore feeProceduresWithFeeData(ProcedureCoverage p) {
        return Points.fullAt(Indicator766.FEE_PROCEDURES_WITH_FEE_DATA, PROCEDURES_FULL_AT,
                p.feeProceduresWithFeeData(), p.feeProcedures());
    }

    /**
     * 3.6 (A): dossiers paid online (national portal or local gateway, DuocThanhToanTrucTuyen 1 or 2) / dossiers
     * of fee procedures less those whose fees are all zero, linear. Source: {@code web/dist/formula-document.js}
     * record 3.6. A zero denominator scores 0, as the portal did in every such M0 row.
     */
    public static IndicatorScore dossiersPaidOnline(UnitPeriodCounts c) {
        return Points.linear(Indicator766.DOSSIERS_PAID_ONLINE, c.feeDossiersPaidOnline(), c.feeDossiers());
    }
}

package vn.onestop.monitor.index;

/**
 * 1.4 "Tỷ lệ hồ sơ đồng bộ lên Cổng Dịch vụ công quốc gia" (6 points).
 *
 * <p>Rule: {@code 6 × receivedSynced / received}, linear. Sources (ChippedTopaz/qd766): {@code
 * web/dist/formula-document.js} record 1.4 (synchronised dossiers with a receipt date in the period / dossiers of
 * the period); {@code docs/SCORING_ANALYSIS_M0.md} "Công khai, minh bạch" ({@code điểm = điểm tối đa × tỷ lệ}, 2 290
 * rows). The national denominator is the larger of the national reporting system's and the portal's receipt count,
 * with a fallback to last year's average when both are zero; we only know our own receipts, so ours is a lower
 * bound of the portal's denominator when the portal misses dossiers. The fallback changes nothing here: with no
 * dossier to synchronise the numerator is 0, so the ratio is 0 either way.
 */
public final class PortalSync {
    private PortalSync() {
    }

    public static IndicatorScore score(UnitPeriodCounts c) {
        return Points.linear(Indicator766.PORTAL_SYNC, c.receivedSynced(), c.received());
    }
}

package vn.onestop.monitor.index;

/**
 * 2.1 "Tỷ lệ hồ sơ xử lý trước hạn, đúng hạn" (20 points).
 *
 * <p>Rule: {@code 20 × handledInTime / handled}, linear, no threshold. Sources (ChippedTopaz/qd766):
 * {@code web/dist/formula-document.js} record 2.1 ("Số lượng hồ sơ đã và đang xử lý đúng hạn hoặc trong hạn trong
 * kỳ / Tổng số hồ sơ được tiếp nhận, xử lý trong kỳ"); {@code docs/SCORING_ANALYSIS_M0.md} "Tiến độ giải quyết"
 * ({@code điểm = 20 × totalOnTime / totalReceived}, matched on 984 portal rows). Which dossier is in time is
 * {@link ProgressJudgement}'s job. A unit with no handled dossier scores 0: the portal does so for H44.01 in
 * {@code tests/fixtures/dvc-progress-tree/month-all.json} (totalReceived 0, score 0).
 */
public final class Progress {
    private Progress() {
    }

    public static IndicatorScore score(UnitPeriodCounts c) {
        return Points.linear(Indicator766.PROGRESS, c.handledInTime(), c.handled());
    }
}

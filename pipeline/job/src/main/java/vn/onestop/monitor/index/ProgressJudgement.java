package vn.onestop.monitor.index;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Whether one dossier is in a period's 2.1 population and, if so, in time — by the national method of {@code
 * web/dist/formula-document.js} record 2.1 (ChippedTopaz/qd766). The rules, each checked against that record:
 *
 * <ol>
 *   <li><b>End of processing</b> is "Đã xử lý xong", else "Đã trả kết quả", else "Dừng xử lý / Từ chối" or a
 *   citizen's withdrawal ("Công dân yêu cầu rút hồ sơ — chỉ tính các hồ sơ đã được tiếp nhận"; the record lists
 *   withdrawal among the end states without ranking it, we rank it with stop/reject and take the earliest).
 *   Withdrawal therefore ends processing and is judged like any end; our operational KPI leaves withdrawn dossiers
 *   out instead.</li>
 *   <li><b>Waiting on a supplement</b>: without an end state, a dossier whose last supplement request is still
 *   outstanding ends at that request ("lấy ngày cán bộ yêu cầu bổ sung hồ sơ là Thời gian kết thúc xử lý"), unless
 *   it was asked for supplements more than once, which makes it late ("trừ trường hợp Yêu cầu bổ sung hơn 01 lần thì
 *   tính quá hạn"). The record states that exception for the waiting case only; it does not say a resolved dossier
 *   with two rounds is late, so we do not (our operational rule, kpi/OnTimeRules, does).</li>
 *   <li><b>Still open</b>: the end is the period's end ("Chưa có trạng thái hoàn thành → lấy ngày cuối kỳ báo
 *   cáo").</li>
 *   <li><b>Supplement time</b> (supplied − requested, for rounds completed before the end) is taken off the end
 *   ("Thời gian kết thúc xử lý hồ sơ = Thời gian kết thúc xử lý − Thời gian bổ sung hồ sơ").</li>
 *   <li><b>In time</b> when that end is not after the appointment date ("Ngày kết thúc xử lý hồ sơ &lt;, = ngày hẹn
 *   trả"); <b>without an appointment date</b>, when end − receipt − supplement time ≤ the procedure's maximum
 *   processing time ("Nếu không có ngày hẹn trả thì … &lt;= Thời hạn tối đa giải quyết TTHC").</li>
 * </ol>
 *
 * <p>Our readings where the record is silent: the period is judged with what was known at its end (states after
 * the end are ignored, so a past month does not change when a late dossier is finally resolved); a dossier belongs
 * to the period when it was received before the period's end and its end of processing (rules 1–3) is not before
 * the period's start — so a dossier waiting since an earlier period on one request belongs to that earlier period.
 */
public final class ProgressJudgement {
    private ProgressJudgement() {
    }

    public enum Outcome { IN_TIME, LATE }

    /**
     * @return empty when the dossier is not in the period {@code [start, end)}'s 2.1 population
     */
    public static Optional<Outcome> judge(DossierProgress d, Instant start, Instant end) {
        if (!d.receivedAt().isBefore(end)) {
            return Optional.empty();
        }
        Instant ended = endState(d, end);
        if (ended == null) {
            Waiting waiting = waitingOnSupplement(d, end);
            if (waiting.outstandingSince != null) {
                if (waiting.requests > 1) {
                    return waiting.outstandingSince.isBefore(start) ? Optional.empty() : Optional.of(Outcome.LATE);
                }
                ended = waiting.outstandingSince;
            }
        }
        if (ended == null) {
            ended = end;
        } else if (ended.isBefore(start)) {
            return Optional.empty();
        }
        Duration paused = supplementTime(d, ended);
        Instant effectiveEnd = ended.minus(paused);
        boolean inTime = d.appointmentAt() != null
                ? !effectiveEnd.isAfter(d.appointmentAt())
                : Duration.between(d.receivedAt(), effectiveEnd).compareTo(d.statutoryTime()) <= 0;
        return Optional.of(inTime ? Outcome.IN_TIME : Outcome.LATE);
    }

    /** Rule 1 with the states known at {@code asOf}: resolved over returned over stop / reject / withdrawal. */
    private static Instant endState(DossierProgress d, Instant asOf) {
        Instant resolved = known(d.resolvedAt(), asOf);
        if (resolved != null) {
            return resolved;
        }
        Instant returned = known(d.returnedAt(), asOf);
        if (returned != null) {
            return returned;
        }
        return earliest(known(d.stoppedAt(), asOf), known(d.withdrawnAt(), asOf));
    }

    /** Rule 2, as known at {@code asOf}: the outstanding request, if the last request is unanswered. */
    private static Waiting waitingOnSupplement(DossierProgress d, Instant asOf) {
        int requests = 0;
        Instant outstanding = null;
        for (SupplementRound r : d.supplements()) {
            if (!r.requestedAt().isBefore(asOf)) {
                continue;
            }
            requests++;
            boolean answered = r.suppliedAt() != null && r.suppliedAt().isBefore(asOf);
            if (!answered && (outstanding == null || r.requestedAt().isAfter(outstanding))) {
                outstanding = r.requestedAt();
            }
        }
        return new Waiting(requests, outstanding);
    }

    /** Rule 4: the citizen's time, for rounds answered by the end of processing. */
    private static Duration supplementTime(DossierProgress d, Instant ended) {
        Duration total = Duration.ZERO;
        for (SupplementRound r : d.supplements()) {
            if (r.suppliedAt() != null && !r.suppliedAt().isAfter(ended)) {
                total = total.plus(Duration.between(r.requestedAt(), r.suppliedAt()));
            }
        }
        return total;
    }

    /** A state counts for the period only if it happened before the period's end. */
    private static Instant known(Instant at, Instant asOf) {
        return at != null && at.isBefore(asOf) ? at : null;
    }

    private static Instant earliest(Instant a, Instant b) {
        if (a == null) {
            return b;
        }
        return b == null || a.isBefore(b) ? a : b;
    }

    private record Waiting(int requests, Instant outstandingSince) {}
}

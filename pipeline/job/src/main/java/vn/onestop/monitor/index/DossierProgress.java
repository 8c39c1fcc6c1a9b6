package vn.onestop.monitor.index;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What 2.1 needs to know about one received dossier. Times of states that did not happen are {@code null}.
 *
 * @param receivedAt     receipt ("Ngày tiếp nhận"); also the start of processing
 * @param appointmentAt  the appointment date for the result ("Ngày hẹn trả"), or {@code null} when the dossier has none
 * @param statutoryTime  the procedure's maximum processing time, used only without an appointment date; the caller
 *                       converts working days or hours (the catalogue's "DonViTinh") to a duration
 * @param resolvedAt     "Đã xử lý xong"
 * @param returnedAt     "Đã trả kết quả"
 * @param stoppedAt      "Dừng xử lý" or "Từ chối", whichever came first
 * @param withdrawnAt    "Công dân yêu cầu rút hồ sơ"
 * @param supplements    supplement rounds in any order
 */
public record DossierProgress(
        Instant receivedAt,
        Instant appointmentAt,
        Duration statutoryTime,
        Instant resolvedAt,
        Instant returnedAt,
        Instant stoppedAt,
        Instant withdrawnAt,
        List<SupplementRound> supplements) {

    public DossierProgress {
        if (receivedAt == null) {
            // "chỉ tính các hồ sơ đã được tiếp nhận": a dossier without receipt is in no 2.1 count.
            throw new IllegalArgumentException("2.1 only judges received dossiers");
        }
        if (appointmentAt == null && statutoryTime == null) {
            throw new IllegalArgumentException("neither an appointment date nor a statutory processing time");
        }
        supplements = supplements == null ? List.of() : List.copyOf(supplements);
    }
}

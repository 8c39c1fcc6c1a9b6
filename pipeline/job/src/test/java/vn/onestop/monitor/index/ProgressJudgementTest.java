package vn.onestop.monitor.index;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The per-dossier rules of 2.1, one row per sentence of ChippedTopaz/qd766 web/dist/formula-document.js record 2.1
 * (quoted in the row's name) or per reading of ours where the record is silent ("ours: …"). Period: September 2026
 * [09-01, 10-01). Times are UTC; days are written MM-DDTHH. Supplements: "request&gt;supplied" separated by ';',
 * an empty "supplied" is outstanding. NONE = not in the period's population.
 */
class ProgressJudgementTest {
    private static final Instant START = Instant.parse("2026-09-01T00:00:00Z");
    private static final Instant END = Instant.parse("2026-10-01T00:00:00Z");

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            "kết thúc <, = ngày hẹn trả": resolved a day early                     | 09-02T08 | 09-10T17 |  - | 09-09T10 | -        | -        | -        | -                   | IN_TIME
            "<, =": resolved exactly at the appointment                            | 09-02T08 | 09-10T17 |  - | 09-10T17 | -        | -        | -        | -                   | IN_TIME
            "<, =": resolved an hour after the appointment                         | 09-02T08 | 09-10T17 |  - | 09-10T18 | -        | -        | -        | -                   | LATE
            "ưu tiên lấy thời gian Đã xử lý xong": resolved in time, returned late | 09-02T08 | 09-10T17 |  - | 09-10T12 | 09-12T08 | -        | -        | -                   | IN_TIME
            "Đã trả kết quả" when never marked resolved                            | 09-02T08 | 09-10T17 |  - | -        | 09-12T08 | -        | -        | -                   | LATE
            "Dừng xử lý/Từ chối" ends processing too                               | 09-02T08 | 09-10T17 |  - | -        | -        | 09-04T08 | -        | -                   | IN_TIME
            "Công dân yêu cầu rút hồ sơ" ends processing: withdrawn before due     | 09-02T08 | 09-10T17 |  - | -        | -        | -        | 09-05T08 | -                   | IN_TIME
            "rút hồ sơ": withdrawn after the appointment is late                   | 09-02T08 | 09-10T17 |  - | -        | -        | -        | 09-15T08 | -                   | LATE
            "lấy ngày yêu cầu bổ sung": one request before due, waiting past it    | 09-02T08 | 09-10T17 |  - | -        | -        | -        | -        | 09-08T08>           | IN_TIME
            "lấy ngày yêu cầu bổ sung": the one request was itself after due       | 09-02T08 | 09-10T17 |  - | -        | -        | -        | -        | 09-12T08>           | LATE
            "Yêu cầu bổ sung hơn 01 lần thì tính quá hạn": waiting on a 2nd request | 09-02T08 | 09-10T17 | - | -        | -        | -        | -        | 09-03T08>09-04T08;09-05T08> | LATE
            "trừ thời gian bổ sung": 3 days with the citizen, resolved 2 days late | 09-02T08 | 09-10T17 |  - | 09-12T17 | -        | -        | -        | 09-05T08>09-08T08   | IN_TIME
            "trừ thời gian bổ sung": 3 days with the citizen, resolved 4 days late | 09-02T08 | 09-10T17 |  - | 09-14T18 | -        | -        | -        | 09-05T08>09-08T08   | LATE
            ours: two answered rounds do not by themselves make a resolved one late | 09-02T08 | 09-10T17 | - | 09-09T08 | -        | -        | -        | 09-03T08>09-04T08;09-05T08>09-06T08 | IN_TIME
            "Nếu không có ngày hẹn trả": 72 h procedure resolved after exactly 72 h | 09-02T08 | -        | 72 | 09-05T08 | -        | -        | -        | -                   | IN_TIME
            "Nếu không có ngày hẹn trả": 72 h procedure resolved after 73 h        | 09-02T08 | -        | 72 | 09-05T09 | -        | -        | -        | -                   | LATE
            "− Thời gian bổ sung": 72 h procedure, 96 h elapsed, 24 h supplement   | 09-02T08 | -        | 72 | 09-06T08 | -        | -        | -        | 09-03T08>09-04T08   | IN_TIME
            "lấy ngày cuối kỳ": open at the month's end, due in October           | 09-25T08 | 10-03T17 |  - | -        | -        | -        | -        | -                   | IN_TIME
            "lấy ngày cuối kỳ": open at the month's end, due in September         | 09-15T08 | 09-25T17 |  - | -        | -        | -        | -        | -                   | LATE
            ours: resolved in August is not in September's population             | 08-10T08 | 08-20T17 |  - | 08-19T08 | -        | -        | -        | -                   | NONE
            ours: received in October is not in September's population            | 10-02T08 | 10-10T17 |  - | 10-05T08 | -        | -        | -        | -                   | NONE
            ours: received in August, open into September, resolved in time       | 08-28T08 | 09-04T17 |  - | 09-03T08 | -        | -        | -        | -                   | IN_TIME
            ours: resolved in October is judged as open at September's end       | 09-15T08 | 09-25T17 |  - | 10-03T08 | -        | -        | -        | -                   | LATE
            ours: waiting on one request since August belongs to August           | 08-10T08 | 09-20T17 |  - | -        | -        | -        | -        | 08-25T08>           | NONE
            ours: received in August, withdrawn in September before its due time| 08-20T08 | 09-20T17 |  - | -        | -        | -        | 09-05T08 | -                   | IN_TIME
            """)
    void judgesByTheNationalMethod(String rule, String received, String appointment, Integer statutoryHours,
                                   String resolved, String returned, String stopped, String withdrawn,
                                   String supplements, String expected) {
        DossierProgress d = new DossierProgress(at(received), at(appointment),
                statutoryHours == null ? null : Duration.ofHours(statutoryHours),
                at(resolved), at(returned), at(stopped), at(withdrawn), rounds(supplements));
        Optional<ProgressJudgement.Outcome> outcome = ProgressJudgement.judge(d, START, END);
        assertEquals(expected, outcome.map(Enum::name).orElse("NONE"), rule);
    }

    private static Instant at(String mmddThh) {
        if (mmddThh == null || mmddThh.isBlank()) {
            return null;
        }
        return Instant.parse("2026-" + mmddThh.trim() + ":00:00Z");
    }

    private static List<SupplementRound> rounds(String spec) {
        List<SupplementRound> rounds = new ArrayList<>();
        if (spec == null) {
            return rounds;
        }
        for (String round : spec.split(";")) {
            String[] parts = round.split(">", -1);
            rounds.add(new SupplementRound(at(parts[0]), at(parts[1])));
        }
        return rounds;
    }
}

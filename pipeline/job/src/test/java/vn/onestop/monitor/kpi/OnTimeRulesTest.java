package vn.onestop.monitor.kpi;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import vn.onestop.monitor.ingest.DossierEvent;
import vn.onestop.monitor.ingest.LocalClock;
import vn.onestop.monitor.ingest.EventType;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static vn.onestop.monitor.kpi.Events.event;
import static vn.onestop.monitor.kpi.Events.received;
import static vn.onestop.monitor.kpi.Events.t;

/** docs/RULES.md's on-time rules as a table: each row is a dossier's events and the classification the index expects. */
class OnTimeRulesTest {

    /**
     * Events are ';'-separated TYPE@local-time. Every dossier is received 2024-01-15 08:00 with due 2024-01-17 17:00.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        resolved well before the due day                 | RESOLVED@2024-01-15T09:00                                                              | EARLY
        last second of the day before the due day       | RESOLVED@2024-01-16T23:59:59                                                           | EARLY
        first minute of the due day                      | RESOLVED@2024-01-17T00:00:30                                                           | ON_TIME
        exactly at the due time                          | RESOLVED@2024-01-17T17:00:00                                                           | ON_TIME
        one second late                                  | RESOLVED@2024-01-17T17:00:01                                                           | LATE
        supplement pause pushes the due time back        | SUPPLEMENT_REQUESTED@2024-01-16T10:00;SUPPLEMENT_RECEIVED@2024-01-18T10:00;RESOLVED@2024-01-19T16:00 | ON_TIME
        pause of two days: resolved before new due day   | SUPPLEMENT_REQUESTED@2024-01-16T10:00;SUPPLEMENT_RECEIVED@2024-01-18T10:00;RESOLVED@2024-01-18T11:00 | EARLY
        paused but still past the extended due time      | SUPPLEMENT_REQUESTED@2024-01-16T10:00;SUPPLEMENT_RECEIVED@2024-01-16T12:00;RESOLVED@2024-01-17T19:30 | LATE
        two supplement requests count as late            | SUPPLEMENT_REQUESTED@2024-01-15T09:00;SUPPLEMENT_RECEIVED@2024-01-15T10:00;SUPPLEMENT_REQUESTED@2024-01-15T11:00;SUPPLEMENT_RECEIVED@2024-01-15T12:00;RESOLVED@2024-01-15T13:00 | LATE
        RESOLVED wins over an earlier RETURNED           | RETURNED@2024-01-16T09:00;RESOLVED@2024-01-17T18:00                                    | LATE
        RETURNED ends processing without RESOLVED        | RETURNED@2024-01-16T09:00                                                              | EARLY
        RETURNED wins over STOPPED                       | STOPPED@2024-01-15T09:00;RETURNED@2024-01-18T09:00                                     | LATE
        REJECTED ends processing                         | REJECTED@2024-01-15T09:00                                                              | EARLY
        apology does not make a late dossier on time     | APOLOGY_ISSUED@2024-01-17T16:00;RESOLVED@2024-01-18T10:00                              | LATE
        withdrawn leaves the on-time count               | WITHDRAWN@2024-01-16T09:00;RESOLVED@2024-01-16T10:00                                   | WITHDRAWN
        still open                                       | SUPPLEMENT_REQUESTED@2024-01-16T10:00;SUPPLEMENT_RECEIVED@2024-01-16T12:00             | OPEN
        waiting for a supplement                         | SUPPLEMENT_REQUESTED@2024-01-16T10:00                                                  | WAITING_SUPPLEMENT
        ended while waiting: the wait does not count     | SUPPLEMENT_REQUESTED@2024-01-16T10:00;STOPPED@2024-01-20T10:00                         | EARLY
        """)
    void classifiesAsTheIndexDoes(String name, String events, DossierStatus expected) {
        for (List<DossierEvent> order : List.of(inOrder(events), reversed(events))) {
            DossierTimeline timeline = new DossierTimeline();
            for (DossierEvent e : order) {
                timeline.apply(e);
            }
            assertThat(timeline.outcome(OnTimeRules.nationalIndex()).status()).as(name).isEqualTo(expected);
        }
    }

    @Test
    void moreSupplementRequestsAreToleratedWhenConfigured() {
        DossierTimeline timeline = new DossierTimeline();
        for (DossierEvent e : inOrder("SUPPLEMENT_REQUESTED@2024-01-15T09:00;SUPPLEMENT_RECEIVED@2024-01-15T10:00;"
                + "SUPPLEMENT_REQUESTED@2024-01-15T11:00;SUPPLEMENT_RECEIVED@2024-01-15T12:00;RESOLVED@2024-01-15T13:00")) {
            timeline.apply(e);
        }
        assertThat(timeline.outcome(new OnTimeRules(2)).status()).isEqualTo(DossierStatus.EARLY);
        assertThat(timeline.outcome(new OnTimeRules(1)).status()).isEqualTo(DossierStatus.LATE);
    }

    @Test
    void effectiveDueAddsCompletedPauses() {
        DossierTimeline timeline = new DossierTimeline();
        for (DossierEvent e : inOrder("SUPPLEMENT_REQUESTED@2024-01-16T10:00;SUPPLEMENT_RECEIVED@2024-01-18T10:00")) {
            timeline.apply(e);
        }
        DossierOutcome o = timeline.outcome(OnTimeRules.nationalIndex());
        assertThat(o.effectiveDueAt()).isEqualTo(t("2024-01-19T17:00"));
        assertThat(o.pausedMs()).isEqualTo(2 * 24 * 3_600_000L);
    }

    @Test
    void localDaysAreUtcPlusSeven() {
        assertThat(LocalClock.day(t("2024-01-15T17:30:00Z"))).isEqualTo(LocalDate.of(2024, 1, 16));
        assertThat(LocalClock.day(t("2024-01-15T16:59:59Z"))).isEqualTo(LocalDate.of(2024, 1, 15));
    }

    @Test
    void anEndAtUtcEveningIsAnEarlyEndOnTheNextLocalDay() {
        // 17:30Z on the 16th is 00:30 local on the 17th: the due day itself, so on time rather than early.
        assertThat(OnTimeRules.nationalIndex().classify(t("2024-01-16T17:30:00Z"), t("2024-01-17T17:00"), 0)).isEqualTo(OnTimeStatus.ON_TIME);
        assertThat(OnTimeRules.nationalIndex().classify(t("2024-01-16T16:30:00Z"), t("2024-01-17T17:00"), 0)).isEqualTo(OnTimeStatus.EARLY);
    }

    private static List<DossierEvent> inOrder(String spec) {
        List<DossierEvent> events = new ArrayList<>();
        events.add(received("D", "2024-01-15T08:00", "2024-01-17T17:00"));
        for (String part : spec.split(";")) {
            String[] typeAt = part.trim().split("@");
            DossierEvent e = event("D", EventType.valueOf(typeAt[0]), typeAt[1]);
            if (e.type == EventType.APOLOGY_ISSUED) {
                e.newDueAt = t("2024-01-19T17:00");
            }
            if (e.type == EventType.RESOLVED) {
                e.resultDigitised = true;
            }
            events.add(e);
        }
        return events;
    }

    private static List<DossierEvent> reversed(String spec) {
        List<DossierEvent> events = inOrder(spec);
        java.util.Collections.reverse(events);
        return events;
    }
}

package vn.onestop.monitor.kpi;

import vn.onestop.monitor.alert.SlaAlert;
import vn.onestop.monitor.alert.WorkingCalendar;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import vn.onestop.monitor.ingest.Channel;
import vn.onestop.monitor.ingest.DossierEvent;
import vn.onestop.monitor.ingest.EventType;
import vn.onestop.monitor.kpi.DossierOutcome;
import vn.onestop.monitor.kpi.DossierTimeline;
import vn.onestop.monitor.kpi.OnTimeRules;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dossier alert rules as a plain table, no Flink: end kind × supplement-wait state × every arrival order of the
 * events. The office week is Mon–Fri 07:30–11:30 and 13:30–17:00; the at-risk lead is 4 working hours.
 *
 * <p>Every row is the same dossier, received Mon 2024-09-09 08:00 with its appointment Fri 2024-09-13 17:00. Worked by
 * hand: 4 working hours before Fri 17:00 is Fri 11:00 (13:30–17:00 is 3.5 h, then 11:00–11:30). The clock stops while
 * the office waits for a supplement; a wait that completes moves the due time by its length, but only if it began before
 * the clock ran out; a wait still open when the dossier ends (by whatever end: RESOLVED, RETURNED, REJECTED, STOPPED or
 * the citizen's WITHDRAWN) means the clock stood still from the request on.
 */
class DossierAlertRulesTest {
    private static final String RECEIVED = "2024-09-09T08:00";
    private static final String DUE = "2024-09-13T17:00";
    /** Long after every event: the alert as the complete history says it. */
    private static final long VISIBLE = t("2024-10-31T00:00");
    private static final List<EventType> ENDS = List.of(EventType.RESOLVED, EventType.RETURNED, EventType.REJECTED, EventType.STOPPED, EventType.WITHDRAWN);

    private final DossierAlertRules rules = new DossierAlertRules(WorkingCalendar.officeWeek(Set.of(), Set.of()), Duration.ofHours(4));

    /** One row: the events after the receipt ("REQ@time", "SUP@time", "END@time", or a named type), expected episodes or "-". */
    record Row(String name, List<String> events, String overdue, String atRisk) {}

    static final List<Row> ROWS = List.of(
            new Row("ends well before the lead time", List.of("END@2024-09-11T10:00"), "-", "-"),
            new Row("ends after due, no wait", List.of("END@2024-09-16T10:00"),
                    "2024-09-13T17:00..2024-09-16T10:00", "2024-09-13T11:00..2024-09-13T17:00"),
            new Row("waiting since before the lead time, ends during the wait", List.of("REQ@2024-09-11T09:00", "END@2024-09-16T10:00"), "-", "-"),
            new Row("waiting since inside the lead time, ends during the wait", List.of("REQ@2024-09-13T12:00", "END@2024-09-16T10:00"),
                    "-", "2024-09-13T11:00..2024-09-13T12:00"),
            // 24 h of waiting moves the due time to Sat 17:00; 4 working hours before it is still Fri 11:00.
            new Row("completed wait, ends after the moved due time", List.of("REQ@2024-09-11T09:00", "SUP@2024-09-12T09:00", "END@2024-09-16T10:00"),
                    "2024-09-14T17:00..2024-09-16T10:00", "2024-09-13T11:00..2024-09-14T17:00"),
            new Row("completed wait, ends after the appointment but before the moved due time",
                    List.of("REQ@2024-09-11T09:00", "SUP@2024-09-12T09:00", "END@2024-09-14T12:00"),
                    "-", "2024-09-13T11:00..2024-09-14T12:00"),
            // The clock ran out on Fri 17:00; a request made after that stops it, but does not undo the overdue time.
            new Row("overdue, then waiting, ends during the wait", List.of("REQ@2024-09-14T09:00", "END@2024-09-16T10:00"),
                    "2024-09-13T17:00..2024-09-14T09:00", "2024-09-13T11:00..2024-09-13T17:00"),
            new Row("overdue, then a completed wait, then ends", List.of("REQ@2024-09-14T09:00", "SUP@2024-09-15T09:00", "END@2024-09-16T10:00"),
                    "2024-09-13T17:00..2024-09-16T10:00", "2024-09-13T11:00..2024-09-13T17:00"),
            // Waiting 10:00–18:00 moves the due time by 8 h to Sat 01:00; 4 working hours before that (Fri 11:00) lies in
            // the wait, so the dossier is at risk only once the clock runs again at 18:00.
            new Row("the lead time starts during a completed wait", List.of("REQ@2024-09-13T10:00", "SUP@2024-09-13T18:00", "END@2024-09-16T10:00"),
                    "2024-09-14T01:00..2024-09-16T10:00", "2024-09-13T18:00..2024-09-14T01:00"));

    static Stream<Arguments> table() {
        List<Arguments> out = new ArrayList<>();
        for (Row row : ROWS) {
            for (EventType end : ENDS) {
                out.add(Arguments.of(row.name + ", ended by " + end, row, end));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void alertsFollowTheClockInEveryArrivalOrder(String name, Row row, EventType end) {
        List<DossierEvent> events = new ArrayList<>();
        events.add(receipt());
        for (String spec : row.events) {
            String[] p = spec.split("@");
            EventType type = switch (p[0]) {
                case "REQ" -> EventType.SUPPLEMENT_REQUESTED;
                case "SUP" -> EventType.SUPPLEMENT_RECEIVED;
                case "END" -> end;
                default -> EventType.valueOf(p[0]);
            };
            events.add(event(type, p[1]));
        }
        for (List<DossierEvent> order : permutations(events)) {
            DossierTimeline timeline = new DossierTimeline();
            order.forEach(timeline::apply);
            DossierOutcome o = timeline.outcome(OnTimeRules.nationalIndex());
            assertThat(episode(rules.overdue("D", "11248", o, VISIBLE))).as(name + " overdue, order " + order).isEqualTo(row.overdue);
            assertThat(episode(rules.atRisk("D", "11248", timeline.receivedAt(), o, VISIBLE))).as(name + " at risk, order " + order).isEqualTo(row.atRisk);
        }
    }

    @ParameterizedTest(name = "resolved on time, then {0} after the due time")
    @MethodSource("ends")
    void aDossierResolvedInTimeNeverTurnsOverdueByALaterEnd(EventType later) {
        List<DossierEvent> events = List.of(receipt(), event(EventType.RESOLVED, "2024-09-12T10:00"), event(later, "2024-09-16T10:00"));
        for (List<DossierEvent> order : permutations(events)) {
            DossierTimeline timeline = new DossierTimeline();
            order.forEach(timeline::apply);
            DossierOutcome o = timeline.outcome(OnTimeRules.nationalIndex());
            assertThat(rules.overdue("D", "11248", o, VISIBLE)).as("order " + order).isNull();
            assertThat(rules.atRisk("D", "11248", timeline.receivedAt(), o, VISIBLE)).as("order " + order).isNull();
        }
    }

    /**
     * The details the alerts carry, pinned by hand: due Fri 2024-09-13 17:00 +07:00 is 1726221600000 ms, and the lead of
     * 4 working hours shows with two decimals. Asked twice of one rules object (the second answer comes from its caches).
     */
    @org.junit.jupiter.api.Test
    void theAlertsDetailsNameTheDueTimeTheStatusAndTheLead() {
        DossierTimeline timeline = new DossierTimeline();
        timeline.apply(receipt());
        timeline.apply(event(EventType.RESOLVED, "2024-09-16T10:00"));
        DossierOutcome o = timeline.outcome(OnTimeRules.nationalIndex());
        for (int i = 0; i < 2; i++) {
            assertThat(rules.atRisk("D", "11248", timeline.receivedAt(), o, VISIBLE).details)
                    .isEqualTo("{\"effectiveDueAt\":1726221600000,\"leadWorkingHours\":4.00}");
            assertThat(rules.overdue("D", "11248", o, VISIBLE).details).isEqualTo("{\"effectiveDueAt\":1726221600000,\"status\":\"LATE\"}");
        }
        DossierAlertRules halfHour = new DossierAlertRules(WorkingCalendar.officeWeek(Set.of(), Set.of()), Duration.ofMinutes(90));
        assertThat(halfHour.atRisk("D", "11248", timeline.receivedAt(), o, VISIBLE).details)
                .isEqualTo("{\"effectiveDueAt\":1726221600000,\"leadWorkingHours\":1.50}");
    }

    static Stream<EventType> ends() {
        return ENDS.stream().filter(e -> e != EventType.RESOLVED);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("openRows")
    void anOpenDossierWaitingForASupplementIsNeitherOverdueNorAtRisk(String name, List<String> waits, String overdue) {
        List<DossierEvent> events = new ArrayList<>();
        events.add(receipt());
        for (String spec : waits) {
            String[] p = spec.split("@");
            events.add(event(p[0].equals("REQ") ? EventType.SUPPLEMENT_REQUESTED : EventType.SUPPLEMENT_RECEIVED, p[1]));
        }
        for (List<DossierEvent> order : permutations(events)) {
            DossierTimeline timeline = new DossierTimeline();
            order.forEach(timeline::apply);
            DossierOutcome o = timeline.outcome(OnTimeRules.nationalIndex());
            assertThat(episode(rules.overdue("D", "11248", o, VISIBLE))).as(name).isEqualTo(overdue);
        }
    }

    static Stream<Arguments> openRows() {
        return Stream.of(
                Arguments.of("waiting since before due", List.of("REQ@2024-09-11T09:00"), "-"),
                Arguments.of("still running long after due", List.of(), "2024-09-13T17:00..open"),
                Arguments.of("waiting since after due: the episode ends when the wait began", List.of("REQ@2024-09-14T09:00"),
                        "2024-09-13T17:00..2024-09-14T09:00"),
                Arguments.of("a completed wait, running again", List.of("REQ@2024-09-11T09:00", "SUP@2024-09-12T09:00"), "2024-09-14T17:00..open"));
    }

    /**
     * When an alert was averted (the clock stopped at or before it would have opened): what a restored live run
     * retracts in case a failed attempt wrote it. Due Fri 2024-09-13 17:00, at risk from Fri 11:00, as in {@link #ROWS}.
     */
    static Stream<Arguments> averted() {
        return Stream.of(
                Arguments.of("resolved before the lead time", List.of("RESOLVED@2024-09-11T10:00"), "2024-09-13T17:00", "2024-09-13T11:00"),
                Arguments.of("resolved inside the lead time", List.of("RESOLVED@2024-09-13T12:00"), "2024-09-13T17:00", "-"),
                Arguments.of("resolved exactly at the due time", List.of("RESOLVED@2024-09-13T17:00"), "2024-09-13T17:00", "-"),
                Arguments.of("resolved after due", List.of("RESOLVED@2024-09-16T10:00"), "-", "-"),
                Arguments.of("still running", List.of(), "-", "-"),
                Arguments.of("waiting since before the lead time", List.of("REQ@2024-09-11T09:00"), "2024-09-13T17:00", "2024-09-13T11:00"),
                Arguments.of("waiting since after due", List.of("REQ@2024-09-14T09:00"), "-", "-"),
                // 24 h of waiting moves the due time to Sat 17:00; resolved Sat 12:00, after the at-risk start (Fri 11:00).
                Arguments.of("a completed wait, resolved before the moved due time",
                        List.of("REQ@2024-09-11T09:00", "SUP@2024-09-12T09:00", "RESOLVED@2024-09-14T12:00"), "2024-09-14T17:00", "-"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("averted")
    void anAlertIsAvertedWhenTheClockStopsBeforeItOpens(String name, List<String> after, String overdue, String atRisk) {
        List<DossierEvent> events = new ArrayList<>();
        events.add(receipt());
        for (String spec : after) {
            String[] p = spec.split("@");
            events.add(event(switch (p[0]) {
                case "REQ" -> EventType.SUPPLEMENT_REQUESTED;
                case "SUP" -> EventType.SUPPLEMENT_RECEIVED;
                default -> EventType.valueOf(p[0]);
            }, p[1]));
        }
        DossierTimeline timeline = new DossierTimeline();
        events.forEach(timeline::apply);
        DossierOutcome o = timeline.outcome(OnTimeRules.nationalIndex());
        long overdueAt = rules.overdueAvertedAt(o, "11248");
        long atRiskAt = rules.atRiskAvertedAt(o, "11248", timeline.receivedAt());
        assertThat(overdueAt == DossierEvent.NO_TIME ? "-" : local(overdueAt)).as("overdue").isEqualTo(overdue);
        assertThat(atRiskAt == DossierEvent.NO_TIME ? "-" : local(atRiskAt)).as("at risk").isEqualTo(atRisk);
        // Averted means the alert is not standing, whatever the time.
        if (overdueAt != DossierEvent.NO_TIME) {
            assertThat(rules.overdue("D", "11248", o, VISIBLE)).isNull();
        }
        if (atRiskAt != DossierEvent.NO_TIME) {
            assertThat(rules.atRisk("D", "11248", timeline.receivedAt(), o, VISIBLE)).isNull();
        }
    }

    private static String episode(SlaAlert a) {
        if (a == null) {
            return "-";
        }
        return local(a.openedAt) + ".." + (a.closedAt == SlaAlert.OPEN ? "open" : local(a.closedAt));
    }

    private static String local(long millis) {
        return OffsetDateTime.ofInstant(java.time.Instant.ofEpochMilli(millis), java.time.ZoneOffset.ofHours(7)).toLocalDateTime().toString();
    }

    private static long t(String local) {
        return OffsetDateTime.parse(local + "+07:00").toInstant().toEpochMilli();
    }

    private int ids;

    private DossierEvent receipt() {
        DossierEvent e = event(EventType.RECEIVED, RECEIVED);
        e.unitCode = "11248";
        e.procedureCode = "1.001612";
        e.channel = Channel.DIRECT;
        e.dueAt = t(DUE);
        return e;
    }

    private DossierEvent event(EventType type, String at) {
        DossierEvent e = new DossierEvent();
        e.eventId = "e-" + (++ids);
        e.dossierId = "D";
        e.type = type;
        e.occurredAt = t(at);
        return e;
    }

    static <T> List<List<T>> permutations(List<T> items) {
        if (items.size() <= 1) {
            return List.of(items);
        }
        List<List<T>> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            List<T> rest = new ArrayList<>(items);
            T head = rest.remove(i);
            for (List<T> p : permutations(rest)) {
                List<T> l = new ArrayList<>();
                l.add(head);
                l.addAll(p);
                out.add(l);
            }
        }
        return out;
    }
}

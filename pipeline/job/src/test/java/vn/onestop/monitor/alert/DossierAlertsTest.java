package vn.onestop.monitor.alert;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import vn.onestop.monitor.ingest.Channel;
import vn.onestop.monitor.ingest.DossierEvent;
import vn.onestop.monitor.ingest.EventType;
import vn.onestop.monitor.kpi.DossierAlertRules;
import vn.onestop.monitor.kpi.DossierProcessor;
import vn.onestop.monitor.kpi.Lateness;
import vn.onestop.monitor.kpi.OnTimeRules;
import vn.onestop.monitor.kpi.UnitHourDelta;

import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Overdue and at-risk alerts from the per-dossier timers, driven by watermarks as in a replay. */
class DossierAlertsTest {
    private KeyedOneInputStreamOperatorTestHarness<String, DossierEvent, UnitHourDelta> harness;
    private int ids;

    @BeforeEach
    void open() throws Exception {
        WorkingCalendar calendar = WorkingCalendar.officeWeek(Set.of(LocalDate.of(2024, 9, 2), LocalDate.of(2024, 9, 3)), Set.of());
        harness = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new DossierProcessor(OnTimeRules.nationalIndex(), new Lateness(Duration.ofDays(30)),
                        new DossierAlertRules(calendar, Duration.ofHours(4)))),
                e -> e.dossierId, Types.STRING);
        harness.open();
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    static long t(String local) {
        return OffsetDateTime.parse(local + "+07:00").toInstant().toEpochMilli();
    }

    private DossierEvent event(EventType type, String at) {
        DossierEvent e = new DossierEvent();
        e.eventId = "e-" + (++ids);
        e.dossierId = "D";
        e.type = type;
        e.occurredAt = t(at);
        e.unitCode = "11248";
        e.resultDigitised = true;
        return e;
    }

    private DossierEvent receipt(String at, String due) {
        DossierEvent e = event(EventType.RECEIVED, at);
        e.procedureCode = "1.001612";
        e.channel = Channel.ONLINE;
        e.dueAt = t(due);
        e.digitised = true;
        return e;
    }

    private void send(DossierEvent e) throws Exception {
        harness.processElement(new StreamRecord<>(e, e.occurredAt));
    }

    private List<SlaAlert> alerts(AlertKind kind) {
        var out = harness.getSideOutput(DossierProcessor.ALERTS);
        return out == null ? List.of() : out.stream().map(StreamRecord::getValue).filter(a -> a.kind == kind).toList();
    }

    @Test
    void overdueFiresWhenEventTimePassesTheDueTime() throws Exception {
        send(receipt("2024-03-11T08:00:00", "2024-03-13T17:00:00"));
        harness.processWatermark(t("2024-03-13T16:59:59"));
        assertThat(alerts(AlertKind.DOSSIER_OVERDUE)).isEmpty();
        harness.processWatermark(t("2024-03-13T17:00:00"));
        assertThat(alerts(AlertKind.DOSSIER_OVERDUE)).singleElement().satisfies(a -> {
            assertThat(a.openedAt).isEqualTo(t("2024-03-13T17:00:00"));
            assertThat(a.isOpen()).isTrue();
            assertThat(a.unitCode).isEqualTo("11248");
            assertThat(a.dossierId).isEqualTo("D");
        });
    }

    @Test
    void aSupplementPausePushesTheTimerBack() throws Exception {
        send(receipt("2024-03-11T08:00:00", "2024-03-13T17:00:00"));
        send(event(EventType.SUPPLEMENT_REQUESTED, "2024-03-12T10:00:00"));
        harness.processWatermark(t("2024-03-14T12:00:00"));
        assertThat(alerts(AlertKind.DOSSIER_OVERDUE)).as("the clock stands still while waiting").isEmpty();

        send(event(EventType.SUPPLEMENT_RECEIVED, "2024-03-15T10:00:00"));
        // Three days of pause: the effective due time is now 16 March 17:00.
        harness.processWatermark(t("2024-03-16T16:59:00"));
        assertThat(alerts(AlertKind.DOSSIER_OVERDUE)).isEmpty();
        harness.processWatermark(t("2024-03-16T17:00:00"));
        assertThat(alerts(AlertKind.DOSSIER_OVERDUE)).singleElement().satisfies(a -> assertThat(a.openedAt).isEqualTo(t("2024-03-16T17:00:00")));
    }

    @Test
    void theEndOfProcessingCancelsTheTimer() throws Exception {
        send(receipt("2024-03-11T08:00:00", "2024-03-13T17:00:00"));
        assertThat(harness.numEventTimeTimers()).isEqualTo(1);
        send(event(EventType.RESOLVED, "2024-03-11T08:40:00"));
        // The due-time timer is gone; what remains is the finished dossier's state expiry.
        assertThat(harness.numEventTimeTimers()).isEqualTo(1);
        harness.processWatermark(t("2024-03-20T00:00:00"));
        assertThat(harness.getSideOutput(DossierProcessor.ALERTS)).isNull();
    }

    @Test
    void anEndThatArrivesBeforeTheReceiptMeansNoAlert() throws Exception {
        send(event(EventType.RESOLVED, "2024-03-12T09:00:00"));
        send(receipt("2024-03-11T08:00:00", "2024-03-13T17:00:00"));
        harness.processWatermark(t("2024-03-20T00:00:00"));
        assertThat(harness.getSideOutput(DossierProcessor.ALERTS)).isNull();
    }

    @Test
    void aDuplicateReceiptGivesOneAlert() throws Exception {
        send(receipt("2024-03-11T08:00:00", "2024-03-13T17:00:00"));
        send(receipt("2024-03-11T08:00:00", "2024-03-13T17:00:00"));
        harness.processWatermark(t("2024-03-14T00:00:00"));
        assertThat(alerts(AlertKind.DOSSIER_OVERDUE)).hasSize(1);
    }

    @Test
    void aLateEndClosesTheAlertAtTheEndAndALateProofOfTimelinessRetractsIt() throws Exception {
        send(receipt("2024-03-11T08:00:00", "2024-03-13T17:00:00"));
        harness.processWatermark(t("2024-03-14T00:00:00"));
        assertThat(alerts(AlertKind.DOSSIER_OVERDUE)).singleElement().satisfies(a -> assertThat(a.isOpen()).isTrue());

        // The office's batch sync reveals a RESOLVED from before the due time: the overdue alert never held.
        send(event(EventType.RESOLVED, "2024-03-13T10:00:00"));
        List<SlaAlert> overdue = alerts(AlertKind.DOSSIER_OVERDUE);
        assertThat(overdue).hasSize(2);
        assertThat(overdue.get(1).retracted).isTrue();
        assertThat(overdue.get(1).id).isEqualTo(overdue.get(0).id);
    }

    @Test
    void atRiskCountsTheLeadInWorkingHoursAcrossTheWeekend() throws Exception {
        // Due Monday 09:30: four working hours before that is Friday 15:00 (Monday 2 h + Friday 2 h).
        send(receipt("2024-03-07T08:00:00", "2024-03-11T09:30:00"));
        harness.processWatermark(t("2024-03-08T14:59:59"));
        assertThat(alerts(AlertKind.DOSSIER_AT_RISK)).isEmpty();
        harness.processWatermark(t("2024-03-08T15:00:00"));
        assertThat(alerts(AlertKind.DOSSIER_AT_RISK)).singleElement().satisfies(a -> {
            assertThat(a.openedAt).isEqualTo(t("2024-03-08T15:00:00"));
            assertThat(a.isOpen()).isTrue();
        });
        // At the due time it stops being "at risk" and becomes overdue.
        harness.processWatermark(t("2024-03-11T09:30:00"));
        assertThat(alerts(AlertKind.DOSSIER_AT_RISK)).last().satisfies(a -> assertThat(a.closedAt).isEqualTo(t("2024-03-11T09:30:00")));
        assertThat(alerts(AlertKind.DOSSIER_OVERDUE)).hasSize(1);
    }

    @Test
    @Timeout(30)
    void theEndOfABoundedInputDoesNotReportWhatIsNotYetDue() throws Exception {
        java.time.Instant now = java.time.Instant.now();
        DossierEvent e = receipt("2024-03-11T08:00:00", "2024-03-13T17:00:00");
        e.occurredAt = now.minusSeconds(3600).toEpochMilli();
        e.dueAt = now.plus(Duration.ofDays(3)).toEpochMilli();
        send(e);
        // The final watermark of a replay: the job ends, and the dossier is not overdue in reality yet.
        harness.processWatermark(Long.MAX_VALUE);
        assertThat(alerts(AlertKind.DOSSIER_OVERDUE)).isEmpty();
    }

    @Test
    void atRiskSkipsPublicHolidays() throws Exception {
        // Due Wednesday 4 Sep 2024 09:30 after the National Day holidays: at risk from Friday 30 Aug 15:00.
        send(receipt("2024-08-28T08:00:00", "2024-09-04T09:30:00"));
        harness.processWatermark(t("2024-08-30T14:59:00"));
        assertThat(alerts(AlertKind.DOSSIER_AT_RISK)).isEmpty();
        harness.processWatermark(t("2024-08-30T15:00:00"));
        assertThat(alerts(AlertKind.DOSSIER_AT_RISK)).singleElement().satisfies(a -> assertThat(a.openedAt).isEqualTo(t("2024-08-30T15:00:00")));
    }
}

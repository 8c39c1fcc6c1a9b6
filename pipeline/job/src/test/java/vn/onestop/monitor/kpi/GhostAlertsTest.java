package vn.onestop.monitor.kpi;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import vn.onestop.monitor.alert.SlaAlert;
import vn.onestop.monitor.alert.WorkingCalendar;
import vn.onestop.monitor.ingest.DossierEvent;

import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static vn.onestop.monitor.kpi.Events.received;
import static vn.onestop.monitor.kpi.Events.resolved;
import static vn.onestop.monitor.kpi.Events.t;

/**
 * A live run restored from a checkpoint retracts the "ghost" alerts its failed attempt may have written after the
 * checkpoint: alerts the restored attempt never raises because it sees the event that stops the dossier's clock
 * before its watermark reaches the alert's start. The failed attempt is one harness, the restored one another,
 * started from the first's snapshot, as Flink does after a TaskManager failure.
 *
 * <p>Dossier G: received Monday 2024-03-04 08:00, due Wednesday 2024-03-06 17:00; with a lead of 4 working hours
 * (office hours 07:30-11:30 and 13:30-17:00) it is at risk from Wednesday 11:00 (3.5 h in the afternoon and the last
 * half hour of the morning). It is resolved Wednesday 14:00: at risk from 11:00 to 14:00, never overdue.
 */
class GhostAlertsTest {
    private static final long CHECKPOINT_WATERMARK = t("2024-03-05T00:00");

    private static KeyedOneInputStreamOperatorTestHarness<String, DossierEvent, UnitHourDelta> harness(boolean boundedInput) throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                DossierProcessor.operator(OnTimeRules.nationalIndex(), new Lateness(Duration.ofDays(30)),
                        new DossierAlertRules(WorkingCalendar.officeWeek(Set.of(), Set.of()), Duration.ofHours(4)), boundedInput),
                e -> e.dossierId, Types.STRING);
    }

    private static void send(KeyedOneInputStreamOperatorTestHarness<String, DossierEvent, UnitHourDelta> h, DossierEvent e) throws Exception {
        h.processElement(new StreamRecord<>(e, e.occurredAt));
    }

    private static List<String> alerts(KeyedOneInputStreamOperatorTestHarness<String, DossierEvent, UnitHourDelta> h) {
        Queue<StreamRecord<SlaAlert>> q = h.getSideOutput(DossierProcessor.ALERTS);
        return q == null ? List.of() : q.stream().map(r -> r.getValue()).map(GhostAlertsTest::text).toList();
    }

    private static String text(SlaAlert a) {
        return a.id + " " + java.time.Instant.ofEpochMilli(a.openedAt) + (a.retracted ? " RETRACTED" : a.isOpen() ? " open" : " closed " + java.time.Instant.ofEpochMilli(a.closedAt));
    }

    /** The failed attempt: G's receipt, checkpoint C at the watermark of Tuesday 00:00, then time passes G's due time. */
    private static OperatorSubtaskState failedAttempt(boolean boundedInput) throws Exception {
        try (var h = harness(boundedInput)) {
            h.open();
            send(h, received("G", "2024-03-04T08:00", "2024-03-06T17:00"));
            h.processWatermark(CHECKPOINT_WATERMARK);
            OperatorSubtaskState c = h.snapshot(1, CHECKPOINT_WATERMARK);
            assertThat(alerts(h)).as("nothing is due before the checkpoint").isEmpty();
            // After C the watermark passes the due time before G's resolution arrives: the overdue alert is written
            // (at once, by the live sink) and the attempt fails before the next checkpoint.
            h.processWatermark(t("2024-03-06T18:00"));
            assertThat(alerts(h)).as("the ghost").contains("DOSSIER_OVERDUE|G 2024-03-06T10:00:00Z open");
            return c;
        }
    }

    /** The restored attempt: the resolution comes before any watermark (a new attempt's event time starts over). */
    private static List<String> restoredAttempt(OperatorSubtaskState c, boolean boundedInput) throws Exception {
        try (var h = harness(boundedInput)) {
            h.initializeState(c);
            h.open();
            send(h, resolved("G", "2024-03-06T14:00"));
            h.processWatermark(t("2024-03-07T00:00"));
            return alerts(h);
        }
    }

    @Test
    void theRestoredAttemptRetractsTheOverdueAlertItsFailedAttemptWrote() throws Exception {
        assertThat(restoredAttempt(failedAttempt(false), false)).containsExactly(
                "DOSSIER_OVERDUE|G 2024-03-06T10:00:00Z RETRACTED",
                // The at-risk episode did happen (11:00 to 14:00): raised when time reaches it, not retracted. The
                // at-risk timer follows G once more inside the window, so the (harmless) retraction is sent again.
                "DOSSIER_AT_RISK|G 2024-03-06T04:00:00Z closed 2024-03-06T07:00:00Z",
                "DOSSIER_OVERDUE|G 2024-03-06T10:00:00Z RETRACTED");
    }

    @Test
    void avertedAlertsOutsideTheWindowAreNotRetracted() throws Exception {
        OperatorSubtaskState c = failedAttempt(false);
        try (var h = harness(false)) {
            h.initializeState(c);
            h.open();
            // Due before the checkpoint's watermark (Monday 17:00; at risk from 11:00), resolved in time.
            send(h, received("H", "2024-03-01T08:00", "2024-03-04T17:00"));
            send(h, resolved("H", "2024-03-04T10:00"));
            // Due after the restore's wall clock, resolved long before.
            send(h, received("F", "2024-03-04T08:00", "2099-01-02T17:00"));
            send(h, resolved("F", "2024-03-05T08:00"));
            // Still running with its due time in the window: its alerts are raised when time reaches them, not retracted.
            send(h, received("R", "2024-03-04T08:00", "2024-03-06T17:00"));
            assertThat(alerts(h)).isEmpty();
            h.processWatermark(t("2024-03-07T00:00"));
            // G (restored, not resolved in this attempt) and R turn overdue: the same rows the failed attempt wrote.
            assertThat(alerts(h)).containsExactly(
                    "DOSSIER_OVERDUE|G 2024-03-06T10:00:00Z open",
                    "DOSSIER_AT_RISK|G 2024-03-06T04:00:00Z closed 2024-03-06T10:00:00Z",
                    "DOSSIER_OVERDUE|R 2024-03-06T10:00:00Z open",
                    "DOSSIER_AT_RISK|R 2024-03-06T04:00:00Z closed 2024-03-06T10:00:00Z");
        }
    }

    @Test
    void anAttemptThatWasNotRestoredRetractsNothing() throws Exception {
        try (var h = harness(false)) {
            h.open();
            send(h, received("G", "2024-03-04T08:00", "2024-03-06T17:00"));
            h.processWatermark(CHECKPOINT_WATERMARK);
            send(h, resolved("G", "2024-03-06T14:00"));
            h.processWatermark(t("2024-03-07T00:00"));
            assertThat(alerts(h)).containsExactly("DOSSIER_AT_RISK|G 2024-03-06T04:00:00Z closed 2024-03-06T07:00:00Z");
        }
    }

    @Test
    void aBoundedRunRetractsNothingAfterARestore() throws Exception {
        // Its alerts are committed with its checkpoints: the failed attempt's overdue alert never reached the table.
        assertThat(restoredAttempt(failedAttempt(true), true))
                .containsExactly("DOSSIER_AT_RISK|G 2024-03-06T04:00:00Z closed 2024-03-06T07:00:00Z");
    }

    @Test
    void theWindowStartsAtTheLowestWatermarkOfTheCheckpointsSubtasks() throws Exception {
        // Two subtasks' snapshots of one checkpoint, merged as in a restore with parallelism 1 (union list state):
        // the one whose watermark is behind (Monday 00:00) widens the window to H's averted alerts (Monday 11:00, 17:00).
        OperatorSubtaskState ahead = failedAttempt(false);
        OperatorSubtaskState behind;
        try (var h = harness(false)) {
            h.open();
            h.processWatermark(t("2024-03-04T00:00"));
            behind = h.snapshot(1, 1);
        }
        try (var h = harness(false)) {
            h.initializeState(org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness.repackageState(ahead, behind));
            h.open();
            send(h, received("H", "2024-03-01T08:00", "2024-03-04T17:00"));
            send(h, resolved("H", "2024-03-04T10:00"));
            assertThat(alerts(h)).containsExactly(
                    "DOSSIER_OVERDUE|H 2024-03-04T10:00:00Z RETRACTED",
                    "DOSSIER_AT_RISK|H 2024-03-04T04:00:00Z RETRACTED");
        }
    }
}

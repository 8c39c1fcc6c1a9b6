package vn.onestop.monitor.kpi;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import vn.onestop.monitor.ingest.DeadLetterReason;
import vn.onestop.monitor.ingest.DossierEvent;
import vn.onestop.monitor.ingest.EventType;

import vn.onestop.monitor.kpi.DossierAlertRules;
import vn.onestop.monitor.alert.WorkingCalendar;

import java.time.Duration;
import java.util.Set;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static vn.onestop.monitor.kpi.Events.event;
import static vn.onestop.monitor.kpi.Events.received;
import static vn.onestop.monitor.kpi.Events.resolved;
import static vn.onestop.monitor.kpi.Events.t;

class DossierProcessorTest {
    private KeyedOneInputStreamOperatorTestHarness<String, DossierEvent, UnitHourDelta> harness;

    @BeforeEach
    void open() throws Exception {
        harness = newHarness();
        harness.open();
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, DossierEvent, UnitHourDelta> newHarness() throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                DossierProcessor.operator(OnTimeRules.nationalIndex(), new Lateness(Duration.ofDays(30)),
                        new DossierAlertRules(WorkingCalendar.officeWeek(Set.of(), Set.of()), Duration.ofHours(4))),
                e -> e.dossierId, Types.STRING);
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    private void send(DossierEvent e) throws Exception {
        harness.processElement(new StreamRecord<>(e, e.occurredAt));
    }

    /** Net counts the operator has emitted so far, per "local-hour counter". */
    private Map<String, Integer> net() {
        Map<String, Integer> sum = new TreeMap<>();
        for (UnitHourDelta d : harness.extractOutputValues()) {
            for (Measure c : Measure.values()) {
                int v = d.delta[c.ordinal()];
                if (v != 0) {
                    sum.merge(d.unitCode + " " + java.time.Instant.ofEpochMilli(d.hourStart) + " " + c, v, Integer::sum);
                }
            }
        }
        sum.values().removeIf(v -> v == 0);
        return sum;
    }

    @Test
    void anEndThatArrivesBeforeItsReceiptIsCountedOnceTheReceiptArrives() throws Exception {
        send(resolved("D1", "2024-01-16T09:10"));
        assertThat(net()).isEmpty();
        assertThat(harness.getSideOutput(DossierProcessor.DOSSIER_ROWS)).extracting(r -> r.getValue().status)
                .containsExactly(DossierStatus.PENDING_RECEIPT);

        send(received("D1", "2024-01-15T08:30", "2024-01-17T17:00"));
        assertThat(net()).containsOnly(
                Map.entry("11248 2024-01-15T01:00:00Z RECEIVED", 1),
                Map.entry("11248 2024-01-15T01:00:00Z RECEIVED_ONLINE", 1),
                Map.entry("11248 2024-01-15T01:00:00Z RECEIVED_DIGITISED", 1),
                Map.entry("11248 2024-01-16T02:00:00Z RESOLVED", 1),
                Map.entry("11248 2024-01-16T02:00:00Z RESOLVED_EARLY", 1),
                Map.entry("11248 2024-01-16T02:00:00Z RESULTS_DIGITISED", 1));
    }

    @Test
    void aLateCorrectionMovesTheDossierFromOneCounterToAnother() throws Exception {
        send(received("D2", "2024-01-15T08:30", "2024-01-17T17:00"));
        send(event("D2", EventType.RETURNED, "2024-01-17T10:00"));
        assertThat(net()).containsEntry("11248 2024-01-17T03:00:00Z RESOLVED_ON_TIME", 1);

        // The office's batch sync later delivers the RESOLVED, which took place after the due time.
        send(resolved("D2", "2024-01-17T18:00"));
        Map<String, Integer> now = net();
        assertThat(now).doesNotContainKey("11248 2024-01-17T03:00:00Z RESOLVED_ON_TIME")
                .doesNotContainKey("11248 2024-01-17T03:00:00Z RESOLVED")
                .containsEntry("11248 2024-01-17T11:00:00Z RESOLVED", 1)
                .containsEntry("11248 2024-01-17T11:00:00Z RESOLVED_LATE", 1)
                .containsEntry("11248 2024-01-15T01:00:00Z RECEIVED", 1);
    }

    @Test
    void aDuplicateEventChangesNothing() throws Exception {
        DossierEvent receipt = received("D3", "2024-01-15T08:30", "2024-01-17T17:00");
        send(receipt);
        int outputs = harness.extractOutputValues().size();
        int rows = harness.getSideOutput(DossierProcessor.DOSSIER_ROWS).size();

        DossierEvent again = received("D3", "2024-01-15T08:30", "2024-01-17T17:00");
        again.eventId = receipt.eventId;
        send(again);
        assertThat(harness.extractOutputValues()).hasSize(outputs);
        assertThat(harness.getSideOutput(DossierProcessor.DOSSIER_ROWS)).hasSize(rows);
        assertThat(net()).containsEntry("11248 2024-01-15T01:00:00Z RECEIVED", 1);
    }

    @Test
    void theSameEventIdWithDifferentContentIsADeadLetterNotADuplicate() throws Exception {
        DossierEvent receipt = received("D8", "2024-01-15T08:30", "2024-01-17T17:00");
        send(receipt);
        DossierEvent rewritten = received("D8", "2024-01-15T08:30", "2024-01-19T17:00");
        rewritten.eventId = receipt.eventId;
        send(rewritten);
        assertThat(harness.getSideOutput(DossierProcessor.REFUSED)).singleElement()
                .satisfies(r -> assertThat(r.getValue().reason).isEqualTo(DeadLetterReason.EVENT_ID_CONFLICT));
        assertThat(harness.getSideOutput(DossierProcessor.DOSSIER_ROWS)).last()
                .satisfies(r -> assertThat(r.getValue().dueAt).isEqualTo(t("2024-01-17T17:00")));
    }

    @Test
    void finishedDossiersLeaveTheStateWhileOpenOnesStay() throws Exception {
        send(received("D9", "2024-01-15T08:30", "2024-01-17T17:00"));
        send(resolved("D9", "2024-01-15T09:30"));
        send(received("D10", "2024-01-15T08:30", "2024-01-17T17:00"));
        harness.processWatermark(t("2024-03-10T00:00"));
        int withBoth = harness.numKeyedStateEntries();
        // Twice the 30-day horizon after its last event (rounded up to the next UTC midnight) the finished dossier
        // goes; the open one stays.
        harness.processWatermark(t("2024-03-15T06:00"));
        assertThat(harness.numKeyedStateEntries()).isEqualTo(withBoth);
        harness.processWatermark(t("2024-03-16T07:00"));
        assertThat(harness.numKeyedStateEntries()).isLessThan(withBoth).isPositive();
        send(resolved("D10", "2024-03-16T08:00"));
        assertThat(net()).containsEntry("11248 2024-03-16T01:00:00Z RESOLVED_LATE", 1);
    }

    @Test
    void aDuplicateReceiptWithAnotherIdIsNotCountedTwice() throws Exception {
        send(received("D4", "2024-01-15T08:30", "2024-01-17T17:00"));
        send(received("D4", "2024-01-15T08:30", "2024-01-17T17:00"));
        assertThat(net()).containsEntry("11248 2024-01-15T01:00:00Z RECEIVED", 1);
    }

    @Test
    void stateSurvivesASnapshotAndRestore() throws Exception {
        send(received("D5", "2024-01-15T08:30", "2024-01-17T17:00"));
        var snapshot = harness.snapshot(1, 1);
        harness.close();

        harness = newHarness();
        harness.initializeState(snapshot);
        harness.open();
        send(resolved("D5", "2024-01-18T08:00"));
        // Only the classification is new after the restore: the receipt was not counted again.
        assertThat(net()).containsOnly(
                Map.entry("11248 2024-01-18T01:00:00Z RESOLVED", 1),
                Map.entry("11248 2024-01-18T01:00:00Z RESOLVED_LATE", 1),
                Map.entry("11248 2024-01-18T01:00:00Z RESULTS_DIGITISED", 1));
    }

    @Test
    void anEventOlderThanTheHorizonIsADeadLetterNotACorrection() throws Exception {
        harness.processWatermark(t("2024-03-01T00:00"));
        send(received("D6", "2024-01-15T08:30", "2024-01-17T17:00"));
        assertThat(net()).isEmpty();
        assertThat(harness.getSideOutput(DossierProcessor.REFUSED)).singleElement()
                .satisfies(r -> assertThat(r.getValue().reason).isEqualTo(DeadLetterReason.TOO_LATE));

        send(received("D7", "2024-02-10T08:30", "2024-02-12T17:00"));
        assertThat(net()).containsEntry("11248 2024-02-10T01:00:00Z RECEIVED", 1);
    }

    private static <X> X last(java.util.Collection<org.apache.flink.streaming.runtime.streamrecord.StreamRecord<X>> records) {
        return records.stream().reduce((a, b) -> b).orElseThrow().getValue();
    }

    private String refusedReason() {
        return last(harness.getSideOutput(DossierProcessor.REFUSED)).reason.name();
    }

    @Test
    void aLaterEventNamingAnotherUnitIsADeadLetterAndChangesNothing() throws Exception {
        send(received("U1", "2024-01-15T08:30", "2024-01-17T17:00"));
        DossierEvent elsewhere = resolved("U1", "2024-01-16T09:10");
        elsewhere.unitCode = "11275";
        send(elsewhere);
        assertThat(harness.getSideOutput(DossierProcessor.REFUSED)).hasSize(1);
        assertThat(refusedReason()).isEqualTo("UNIT_MISMATCH");
        assertThat(net()).doesNotContainKey("11248 2024-01-16T02:00:00Z RESOLVED").doesNotContainKey("11275 2024-01-16T02:00:00Z RESOLVED");
    }

    @Test
    void anEndDatedBeforeTheReceiptIsADeadLetter() throws Exception {
        send(received("B1", "2024-01-15T08:30", "2024-01-17T17:00"));
        send(resolved("B1", "2024-01-14T10:00"));
        assertThat(harness.getSideOutput(DossierProcessor.REFUSED)).hasSize(1);
        assertThat(refusedReason()).isEqualTo("END_BEFORE_RECEIPT");
        assertThat(net()).doesNotContainKey("11248 2024-01-14T03:00:00Z RESOLVED");
        assertThat(last(harness.getSideOutput(DossierProcessor.DOSSIER_ROWS)).status).isEqualTo(DossierStatus.OPEN);
    }

    @Test
    void anEndDatedBeforeAReceiptThatArrivesLaterIsNotAnEndEither() throws Exception {
        send(resolved("B2", "2024-01-14T10:00"));
        send(received("B2", "2024-01-15T08:30", "2024-01-17T17:00"));
        assertThat(net()).containsEntry("11248 2024-01-15T01:00:00Z RECEIVED", 1).doesNotContainKey("11248 2024-01-14T03:00:00Z RESOLVED");
        DossierRow row = last(harness.getSideOutput(DossierProcessor.DOSSIER_ROWS));
        assertThat(row.status).as("never a negative processing time").isEqualTo(DossierStatus.OPEN);
    }

    @Test
    void aWithdrawalThatWouldReopenAFinalHourIsTooLate() throws Exception {
        send(received("W1", "2024-01-15T08:30", "2024-01-17T17:00"));
        send(resolved("W1", "2024-01-16T09:10"));
        // Event time reaches 1 March: the hours of 16 January are more than the 30-day horizon behind.
        harness.processWatermark(t("2024-03-01T00:00"));
        Map<String, Integer> before = net();
        DossierEvent withdrawal = event("W1", EventType.WITHDRAWN, "2024-02-28T10:00");
        send(withdrawal);
        assertThat(harness.getSideOutput(DossierProcessor.REFUSED)).hasSize(1);
        assertThat(refusedReason()).isEqualTo("TOO_LATE");
        assertThat(net()).isEqualTo(before).containsEntry("11248 2024-01-16T02:00:00Z RESOLVED", 1);
        // The refused event left the dossier as it was (on the heap backend the state value is the live object):
        // sent again it is refused again, not taken for a duplicate of something applied.
        DossierEvent again = event("W1", EventType.WITHDRAWN, "2024-02-28T10:00");
        again.eventId = withdrawal.eventId;
        send(again);
        assertThat(harness.getSideOutput(DossierProcessor.REFUSED)).hasSize(2);
        assertThat(refusedReason()).isEqualTo("TOO_LATE");
    }
}

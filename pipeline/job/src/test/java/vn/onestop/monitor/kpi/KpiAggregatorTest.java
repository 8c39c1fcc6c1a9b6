package vn.onestop.monitor.kpi;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Unit-hour counts stay in state only while an event inside the lateness horizon can still change them. */
class KpiAggregatorTest {
    private static final long H = 3_600_000L;

    @Test
    void anHourLeavesTheStateOnceItIsFinalAndCountsStayAbsoluteUntilThen() throws Exception {
        long hour = Instant.parse("2024-03-01T02:00:00Z").toEpochMilli();
        try (var harness = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new KpiAggregator(new Lateness(Duration.ofDays(30)))), d -> d.unitCode, Types.STRING)) {
            harness.open();
            harness.processElement(new StreamRecord<>(UnitHourDelta.single("11248", hour, Measure.RECEIVED), hour));
            harness.processElement(new StreamRecord<>(UnitHourDelta.single("11248", hour, Measure.RECEIVED, Measure.RECEIVED_ONLINE), hour));
            List<UnitHourCounts> out = harness.extractOutputValues();
            assertThat(out.get(out.size() - 1).get(Measure.RECEIVED)).isEqualTo(2);

            // One millisecond before the hour is final (its end plus 30 days) the count is still there.
            harness.processWatermark(hour + H + Duration.ofDays(30).toMillis() - 1);
            assertThat(harness.numKeyedStateEntries()).isEqualTo(1);
            harness.processElement(new StreamRecord<>(UnitHourDelta.single("11248", hour, Measure.RECEIVED), hour));
            out = harness.extractOutputValues();
            assertThat(out.get(out.size() - 1).get(Measure.RECEIVED)).as("a late change inside the horizon adds to the count").isEqualTo(3);

            harness.processWatermark(hour + H + Duration.ofDays(30).toMillis());
            assertThat(harness.numKeyedStateEntries()).as("state entries once the hour is final").isZero();
        }
    }

    @Test
    void aUnitsOwnCountsAndTheSummedCountsOfTheUnitsUnderItAreKeptApart() throws Exception {
        long hour = Instant.parse("2025-06-15T03:00:00Z").toEpochMilli();
        try (var harness = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new KpiAggregator(new Lateness(Duration.ofDays(30)))), d -> d.unitCode, Types.STRING)) {
            harness.open();
            // Huyện Thanh Miện (300) receives a dossier itself; two of its communes receive three (rolled-up copies).
            harness.processElement(new StreamRecord<>(UnitHourDelta.single("300", hour, Measure.RECEIVED), hour));
            UnitHourDelta communes = UnitHourDelta.single("300", hour, Measure.RECEIVED);
            communes.delta[Measure.RECEIVED.ordinal()] = 3;
            communes.rolledUp = true;
            harness.processElement(new StreamRecord<>(communes, hour));
            harness.processElement(new StreamRecord<>(UnitHourDelta.single("300", hour, Measure.RECEIVED), hour));
            List<UnitHourCounts> out = harness.extractOutputValues();
            assertThat(out).extracting(c -> c.rolledUp + ":" + c.get(Measure.RECEIVED)).containsExactly("false:1", "true:3", "false:2");

            harness.processWatermark(hour + H + Duration.ofDays(30).toMillis());
            assertThat(harness.numKeyedStateEntries()).as("both leave once the hour is final").isZero();
        }
    }
}

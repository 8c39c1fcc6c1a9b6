package vn.onestop.monitor.kpi;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.checkpoint.SavepointType;
import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OperatorSnapshotUtil;
import org.apache.flink.util.OutputTag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import vn.onestop.monitor.MonitorConfig;
import vn.onestop.monitor.alert.WorkingCalendar;
import vn.onestop.monitor.ingest.DossierEvent;
import vn.onestop.monitor.ingest.EventParser;
import vn.onestop.monitor.ingest.EventType;
import vn.onestop.monitor.ingest.ParseResult;
import vn.onestop.monitor.ingest.RawRecord;
import vn.onestop.monitor.ingest.Tally;
import vn.onestop.monitor.sim.SimRecord;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A savepoint of the classify-dossiers operator written by the previous state format — the {@code byte[]} value
 * state "timeline" (DossierStateCodec format 3) beside the POJO value state "watch" — restored by the current code:
 * the dossiers carry on exactly as in a run that was never interrupted.
 *
 * <p>The savepoint in {@code src/test/resources/savepoints/dossier-state-format3} was written at commit 6adce86 (the
 * last commit with the previous format) by {@link #writePreviousFormatSavepoint}: the first part of {@link #input()}
 * through that commit's {@code DossierProcessor} in Flink's operator harness (parallelism 1, max parallelism 128,
 * heap state), then a canonical savepoint, stored with Flink's {@code OperatorSnapshotUtil}. Run today, that method
 * writes the current format, so it is only for documentation unless checked out at 6adce86.
 */
class PreviousFormatSavepointTest {
    static final String SAVEPOINT = "src/test/resources/savepoints/dossier-state-format3/classify-dossiers-6adce86";
    /**
     * The simulated district's dossier events the savepoint was written from, as the simulator of 6adce86 sent them
     * (send time, tab, payload; first line the district's unit codes): kept beside the savepoint because the
     * simulator's output changes with the project (issue 16's catalogue changed its online procedures), and the
     * events after the split must continue the very dossiers that are in the savepoint.
     */
    static final String INPUT = "src/test/resources/savepoints/dossier-state-format3/dossier-events.ndjson.gz";
    static final Instant START = Instant.parse("2024-03-04T00:00:00+07:00");
    /** Events sent before this instant went into the savepoint; the rest come after the restore. */
    static final long SPLIT = START.plus(12, ChronoUnit.DAYS).toEpochMilli();
    /** Far enough past the last event that every finished dossier's state expires (60 days after its last event). */
    static final long END_OF_TIME = START.plus(140, ChronoUnit.DAYS).toEpochMilli();

    /**
     * The simulated district's dossier events for 45 days in send order (read from {@link #INPUT}) (re-sends and late batches included), plus
     * two dossiers of our own whose second half tests what the restored fingerprints must know: a re-sent event (a
     * duplicate) and the same event id with other content (a conflict).
     */
    static List<DossierEvent> input() {
        List<DossierEvent> events = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(Path.of(INPUT))), StandardCharsets.UTF_8))) {
            String header = in.readLine();
            Set<String> units = Set.of(header.substring("# units ".length()).split(","));
            MonitorConfig defaults = MonitorConfig.defaults();
            EventParser parser = new EventParser(units, defaults.maxFutureSkew(), defaults.maxRecordBytes());
            long offset = 0;
            for (String line; (line = in.readLine()) != null; ) {
                int tab = line.indexOf('\t');
                ParseResult<DossierEvent> p = parser.parseDossierEvent(new RawRecord(SimRecord.DOSSIER_EVENTS, 0, offset++,
                        Long.parseLong(line.substring(0, tab)), line.substring(tab + 1).getBytes(StandardCharsets.UTF_8)));
                if (p.isOk()) {
                    events.add(p.value());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // Ours, sent on the first day and again after the split.
        long first = events.get(0).recordTimestamp;
        long last = events.get(events.size() - 1).recordTimestamp;
        events.add(0, own("X-1", "x1-r", "2024-03-04T09:00", "2024-03-06T17:00", first));
        events.add(1, own("X-2", "x2-r", "2024-03-04T09:30", "2024-03-06T17:00", first));
        events.add(own("X-1", "x1-r", "2024-03-04T09:00", "2024-03-06T17:00", last));  // a re-send
        events.add(own("X-2", "x2-r", "2024-03-04T09:30", "2024-03-08T17:00", last));  // other content
        events.add(own("X-1", "x1-z", "2024-03-05T10:00", null, last));
        return events;
    }

    /** A receipt, or a resolution if {@code due} is null. */
    private static DossierEvent own(String dossier, String id, String at, String due, long sentAt) {
        DossierEvent e = due == null ? Events.resolved(dossier, at) : Events.received(dossier, at, due);
        e.eventId = id;
        e.offset = 0;
        e.recordTimestamp = sentAt;
        return e;
    }

    static OneInputStreamOperator<DossierEvent, UnitHourDelta> operator() {
        return DossierProcessor.operator(OnTimeRules.nationalIndex(), new Lateness(Duration.ofDays(30)),
                new DossierAlertRules(WorkingCalendar.officeWeek(Set.of(), Set.of()), Duration.ofHours(4)));
    }

    static KeyedOneInputStreamOperatorTestHarness<String, DossierEvent, UnitHourDelta> harness(StateBackend backend) throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<>(operator(), (DossierEvent e) -> e.dossierId, Types.STRING, 128, 1, 0);
        h.setStateBackend(backend);
        return h;
    }

    static StateBackend backend(String name) {
        return name.equals("rocksdb") ? new EmbeddedRocksDBStateBackend() : new HashMapStateBackend();
    }

    /** The events in send order, with the watermark the job would have: the newest event time seen, less 1 minute. */
    static final class Feed {
        final List<DossierEvent> events;
        long newest = Long.MIN_VALUE;
        int next;

        Feed(List<DossierEvent> events) {
            this.events = events;
        }

        /** Sends the events sent before {@code until}; the watermark advances every 10 events. */
        void sendUntil(KeyedOneInputStreamOperatorTestHarness<String, DossierEvent, UnitHourDelta> h, long until) throws Exception {
            while (next < events.size() && (events.get(next).recordTimestamp < until || until == Long.MAX_VALUE)) {
                DossierEvent e = events.get(next++);
                h.processElement(new StreamRecord<>(e, e.occurredAt));
                newest = Math.max(newest, e.occurredAt);
                if (next % 10 == 0) {
                    h.processWatermark(newest - 60_000);
                }
            }
            h.processWatermark(newest - 60_000);
        }
    }

    /** Written at 6adce86 with the previous format; see the class comment. */
    @Test
    @EnabledIfSystemProperty(named = "write.previous.savepoint", matches = "true")
    void writePreviousFormatSavepoint() throws Exception {
        var h = harness(new HashMapStateBackend());
        h.open();
        new Feed(input()).sendUntil(h, SPLIT);
        OperatorSubtaskState snapshot = h.snapshotWithLocalState(1, SPLIT, SavepointType.savepoint(SavepointFormatType.CANONICAL))
                .getJobManagerOwnedState();
        Files.createDirectories(Path.of(SAVEPOINT).getParent());
        OperatorSnapshotUtil.writeStateHandle(snapshot, SAVEPOINT);
        h.close();
    }

    /** How many keys a keyed state holds. */
    static long keys(KeyedOneInputStreamOperatorTestHarness<String, DossierEvent, UnitHourDelta> h, String state) {
        try (var keys = ((AbstractStreamOperator<?>) h.getOperator()).getKeyedStateBackend().getKeys(state, VoidNamespace.INSTANCE)) {
            return keys.count();
        }
    }

    /** Everything the operator emitted, channel by channel, each record as text. */
    record Emitted(List<String> counts, List<String> rows, List<String> alerts, List<String> refused, List<String> tallies) {
        static Emitted of(KeyedOneInputStreamOperatorTestHarness<String, DossierEvent, UnitHourDelta> h) {
            return new Emitted(texts(h.extractOutputValues()), side(h, DossierProcessor.DOSSIER_ROWS), side(h, DossierProcessor.ALERTS),
                    side(h, DossierProcessor.REFUSED), side(h, Tally.TAG));
        }

        Emitted from(Emitted before) {
            return new Emitted(counts.subList(before.counts.size(), counts.size()), rows.subList(before.rows.size(), rows.size()),
                    alerts.subList(before.alerts.size(), alerts.size()), refused.subList(before.refused.size(), refused.size()),
                    tallies.subList(before.tallies.size(), tallies.size()));
        }

        private static <X> List<String> side(KeyedOneInputStreamOperatorTestHarness<String, DossierEvent, UnitHourDelta> h, OutputTag<X> tag) {
            var records = h.getSideOutput(tag);
            return records == null ? List.of() : texts(records.stream().map(StreamRecord::getValue).toList());
        }

        private static List<String> texts(List<?> values) {
            return values.stream().map(PreviousFormatSavepointTest::text).collect(Collectors.toList());
        }
    }

    static java.util.Map<String, List<String>> byDossier(List<String> alerts) {
        return alerts.stream().collect(Collectors.groupingBy(a -> a.replaceAll(".* dossierId=(\\S+) .*", "$1"), java.util.TreeMap::new, Collectors.toList()));
    }

    /** A record's public fields as text (the records have no equals). */
    static String text(Object o) {
        StringBuilder s = new StringBuilder(o.getClass().getSimpleName()).append('{');
        for (Field f : o.getClass().getFields()) {
            if (Modifier.isStatic(f.getModifiers())) {
                continue;
            }
            try {
                Object v = f.get(o);
                s.append(f.getName()).append('=').append(v instanceof int[] a ? Arrays.toString(a)
                        : v instanceof long[] a ? Arrays.toString(a) : v instanceof byte[] b ? new String(b) : String.valueOf(v)).append(' ');
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }
        return s.append('}').toString();
    }

    /**
     * The previous format's savepoint restored: what the operator emits for the events after the split, and the state
     * it ends with, equal what an uninterrupted run of the current code emits for them.
     */
    @ParameterizedTest
    @ValueSource(strings = {"hashmap", "rocksdb"})
    void aSavepointOfThePreviousFormatCarriesOnAsAnUninterruptedRun(String backendName) throws Exception {
        List<DossierEvent> events = input();

        var uninterrupted = harness(backend(backendName));
        uninterrupted.open();
        Feed straight = new Feed(events);
        straight.sendUntil(uninterrupted, SPLIT);
        Emitted beforeSplit = Emitted.of(uninterrupted);
        long dossiersAtSplit = keys(uninterrupted, "dossier");
        straight.sendUntil(uninterrupted, Long.MAX_VALUE);
        uninterrupted.processWatermark(END_OF_TIME);
        Emitted expected = Emitted.of(uninterrupted).from(beforeSplit);
        long dossiersAtEnd = keys(uninterrupted, "dossier");
        uninterrupted.close();

        var restored = harness(backend(backendName));
        restored.initializeState(OperatorSnapshotUtil.readStateHandle(SAVEPOINT));
        restored.open();
        Feed resumed = new Feed(events);
        // The savepoint holds the events before the split; the watermark it saw is restored with the timers' state.
        while (resumed.next < events.size() && events.get(resumed.next).recordTimestamp < SPLIT) {
            resumed.newest = Math.max(resumed.newest, events.get(resumed.next++).occurredAt);
        }
        restored.processWatermark(resumed.newest - 60_000);
        assertThat(keys(restored, "dossier")).as("every dossier of the savepoint, moved to the current state")
                .isEqualTo(dossiersAtSplit).isGreaterThan(100);
        assertThat(keys(restored, "timeline") + keys(restored, "watch")).as("the previous format's states, emptied").isZero();
        resumed.sendUntil(restored, Long.MAX_VALUE);
        restored.processWatermark(END_OF_TIME);
        Emitted actual = Emitted.of(restored);
        long restoredAtEnd = keys(restored, "dossier");
        restored.close();

        // The continuation is not trivial: dossiers of the savepoint end, alert and expire after the restore.
        assertThat(expected.counts()).hasSizeGreaterThan(500);
        assertThat(expected.alerts()).isNotEmpty();
        assertThat(expected.tallies()).anyMatch(t -> t.contains("DUPLICATE"));
        assertThat(expected.refused()).anyMatch(r -> r.contains("EVENT_ID_CONFLICT"));

        assertThat(actual.counts()).isEqualTo(expected.counts());
        assertThat(actual.rows()).isEqualTo(expected.rows());
        // Timers of several dossiers due at the same instant fire in no set order (RocksDB's timer queue orders
        // them by key group and its own insertion): each dossier's alerts in order.
        assertThat(byDossier(actual.alerts())).isEqualTo(byDossier(expected.alerts()));
        assertThat(actual.alerts()).hasSameSizeAs(expected.alerts());
        assertThat(actual.refused()).isEqualTo(expected.refused());
        assertThat(actual.tallies()).isEqualTo(expected.tallies());
        assertThat(restoredAtEnd).isEqualTo(dossiersAtEnd);
    }
}

package vn.onestop.monitor;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import vn.onestop.monitor.alert.AlertKind;
import vn.onestop.monitor.alert.SlaAlert;
import vn.onestop.monitor.ingest.DeadLetter;
import vn.onestop.monitor.ingest.RawRecord;
import vn.onestop.monitor.ingest.Tally;
import vn.onestop.monitor.ingest.TallyCounts;
import vn.onestop.monitor.kpi.Measure;
import vn.onestop.monitor.kpi.DossierRow;
import vn.onestop.monitor.kpi.UnitHourCounts;
import vn.onestop.monitor.recount.Recount;
import vn.onestop.monitor.reference.JobReference;
import vn.onestop.monitor.units.UnitRegistry;
import vn.onestop.monitor.sim.SimRecord;
import vn.onestop.monitor.sim.SimulationSettings;
import vn.onestop.monitor.sim.Simulator;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole graph of {@link MonitorJob#build} in memory, in seconds: simulated records injected with
 * {@code fromData} (duplicates, out-of-order and late deliveries, malformed lines), results collected in memory on a
 * MiniCluster with parallelism 2 — no Kafka, no PostgreSQL. What the PostgreSQL sinks would leave behind (newest row
 * per key, retracted alerts deleted) must equal the independent {@link Recount} of the same well-formed lines; every
 * malformed line must be a dead letter; the reconciliation tallies must account for every record. The Kafka and
 * PostgreSQL end-to-end tests (pipeline/local) check the same on the real services.
 */
class InMemoryGraphTest {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    /** What the collecting sinks received, by sink name; static because the sink writers run in this JVM's MiniCluster. */
    static final Map<String, Queue<Object>> COLLECTED = new ConcurrentHashMap<>();

    static final List<RawRecord> dossierRecords = new ArrayList<>();
    static final List<RawRecord> feedbackRecords = new ArrayList<>();
    static final List<byte[]> malformed = new ArrayList<>();
    static final Recount recount = new Recount();

    @BeforeAll
    static void simulateAndRecount() throws Exception {
        Simulator sim = Simulator.forDefaultDistrict(SimulationSettings.defaults(11, Instant.parse("2024-02-26T00:00:00Z"))
                .withDossiersPerUnitPerDay(8)
                .withDelivery(0.03, 0.08, 0.01));
        for (SimRecord r : (Iterable<SimRecord>) sim.stream(Instant.parse("2024-03-25T00:00:00Z"))::iterator) {
            boolean dossier = r.topic().equals(SimRecord.DOSSIER_EVENTS);
            List<RawRecord> into = dossier ? dossierRecords : feedbackRecords;
            // One partition per topic, offsets in send order, the send time as the Kafka timestamp (tallies use it).
            into.add(new RawRecord(r.topic(), 0, into.size(), r.sendAt(), r.payload()));
            if (r.kind() == SimRecord.Kind.MALFORMED) {
                malformed.add(r.payload());
            } else if (dossier) {
                recount.dossierLine(r.payload());
            } else {
                recount.feedbackLine(r.payload());
            }
        }
        assertThat(malformed).as("the input must hold malformed lines").hasSizeGreaterThan(5);
        assertThat(dossierRecords).as("an input big enough to matter").hasSizeGreaterThan(5_000);
    }

    @Test
    void theWholeGraphInMemoryMatchesTheIndependentRecomputation() throws Exception {
        COLLECTED.clear();
        MonitorConfig cfg = MonitorConfig.from(new String[] {"--parallelism=2", "--checkpoint-interval=PT0S"}, Map.of());
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        MonitorJob.configure(env, cfg);
        long started = System.nanoTime();
        MonitorJob.build(env, cfg, new InjectedSources(), new CollectingSinks(), JobReference.withDefaults(UnitRegistry.default2025()));
        env.execute("in-memory graph");
        System.out.printf("[in-memory graph] %,d records through the whole graph in %.1f s%n",
                dossierRecords.size() + feedbackRecords.size(), (System.nanoTime() - started) / 1e9);

        // Counts: the newest row per unit-hour (as kpi_hourly keeps it), summed by local day as unit_kpi_daily does.
        Map<String, long[]> hours = new HashMap<>();
        for (Object o : collected("hourly")) {
            UnitHourCounts c = (UnitHourCounts) o;
            hours.put(c.unitCode + "|" + c.hourStart, c.counts);
        }
        Map<String, long[]> days = new TreeMap<>();
        hours.forEach((key, counts) -> {
            String unit = key.substring(0, key.indexOf('|'));
            LocalDate day = Instant.ofEpochMilli(Long.parseLong(key.substring(key.indexOf('|') + 1))).atZone(Recount.LOCAL).toLocalDate();
            long[] d = days.computeIfAbsent(unit + "|" + day, k -> new long[Recount.COLUMNS.size()]);
            for (int i = 0; i < d.length; i++) {
                d[i] += column(counts, Recount.COLUMNS.get(i));
            }
        });
        Map<String, List<Long>> daily = new TreeMap<>();
        days.forEach((k, v) -> {
            if (java.util.Arrays.stream(v).anyMatch(x -> x != 0)) {
                daily.put(k, java.util.Arrays.stream(v).boxed().toList());
            }
        });
        Map<String, List<Long>> expected = recount.daily();
        assertThat(expected).as("the recomputation counts something").hasSizeGreaterThan(100);
        assertThat(daily).as(Recount.describeDifferences(daily, expected, 20)).isEqualTo(expected);

        // Dead letters: exactly the malformed lines, each once.
        Map<ByteBuffer, Integer> dead = new HashMap<>();
        for (Object o : collected("deadLetters")) {
            DeadLetter d = (DeadLetter) o;
            assertThat(d.reason).isNotNull();
            assertThat(d.detail).isNotBlank();
            dead.merge(ByteBuffer.wrap(d.payload), 1, Integer::sum);
        }
        Map<ByteBuffer, Integer> bad = new HashMap<>();
        malformed.forEach(p -> bad.merge(ByteBuffer.wrap(p), 1, Integer::sum));
        assertThat(dead).isEqualTo(bad);

        // Tallies: the newest row per topic and day; every record read is accepted, a duplicate or a dead letter.
        Map<String, long[]> tallies = new HashMap<>();
        for (Object o : collected("tallies")) {
            TallyCounts.Row r = (TallyCounts.Row) o;
            tallies.put(r.topic + "|" + r.day, r.counts);
        }
        long[] dossierTotals = totals(tallies, SimRecord.DOSSIER_EVENTS);
        long[] feedbackTotals = totals(tallies, SimRecord.QR_FEEDBACK);
        assertThat(dossierTotals[Tally.Outcome.READ.ordinal()]).isEqualTo(dossierRecords.size());
        assertThat(feedbackTotals[Tally.Outcome.READ.ordinal()]).isEqualTo(feedbackRecords.size());
        assertThat(dossierTotals[Tally.Outcome.DUPLICATE.ordinal()]).as("the input re-delivers events").isPositive();
        assertThat(dossierTotals[Tally.Outcome.DEAD_LETTER.ordinal()] + feedbackTotals[Tally.Outcome.DEAD_LETTER.ordinal()]).isEqualTo(malformed.size());
        tallies.forEach((key, c) -> assertThat(c[Tally.Outcome.READ.ordinal()])
                .as("records of " + key + " unaccounted for")
                .isEqualTo(c[Tally.Outcome.ACCEPTED.ordinal()] + c[Tally.Outcome.DUPLICATE.ordinal()] + c[Tally.Outcome.DEAD_LETTER.ordinal()]));

        // Alerts: the newest state per id, retracted ones gone (as sla_alert keeps them). A dossier is overdue when its
        // clock runs out before it stops (Recount.Dossier): the alert opens when it ran out and closes when the clock
        // stopped. The input ends, so event time runs to its end and every such alert must be there, and no other.
        Map<String, SlaAlert> alerts = new HashMap<>();
        for (Object o : collected("alerts")) {
            SlaAlert a = (SlaAlert) o;
            if (a.retracted) {
                alerts.remove(a.id);
            } else {
                alerts.put(a.id, a);
            }
        }
        Map<String, String> overdue = new TreeMap<>();
        for (SlaAlert a : alerts.values()) {
            if (a.kind == AlertKind.DOSSIER_OVERDUE) {
                overdue.put(a.dossierId, a.openedAt + ".." + (a.isOpen() ? "open" : Long.toString(a.closedAt)));
            }
        }
        Map<String, String> expectedOverdue = new TreeMap<>();
        for (Recount.Dossier d : recount.dossiers()) {
            long stopped = d.clockStoppedAt();
            if (d.clockDue() < stopped) {
                expectedOverdue.put(d.id(), d.clockDue() / 1000 + ".." + (stopped == Long.MAX_VALUE ? "open" : Long.toString(stopped / 1000)));
            }
        }
        assertThat(expectedOverdue).as("the simulated history has overdue dossiers, some still open")
                .hasSizeGreaterThan(10).containsValue(expectedOverdue.values().stream().filter(v -> v.endsWith("open")).findFirst().orElse("none"));
        Set<String> differing = new java.util.TreeSet<>(overdue.keySet());
        differing.addAll(expectedOverdue.keySet());
        differing.removeIf(id -> java.util.Objects.equals(overdue.get(id), expectedOverdue.get(id)));
        assertThat(differing).as("dossiers whose overdue alert differs (id: actual ≠ expected): " + differing.stream().limit(10)
                .map(id -> id + ": " + overdue.get(id) + " ≠ " + expectedOverdue.get(id)).toList()).isEmpty();
        assertThat(alerts.values()).as("at-risk alerts are raised too").anyMatch(a -> a.kind == AlertKind.DOSSIER_AT_RISK);

        assertThat(collected("dossiers")).as("dossier rows are written").isNotEmpty();
    }

    /** A column of unit_kpi_daily from a kpi_hourly row, as the view sums it. */
    private static long column(long[] counts, String column) {
        if (column.equals("ratings_satisfied")) {
            return counts[Measure.RATING_VERY_SATISFIED.ordinal()] + counts[Measure.RATING_SATISFIED.ordinal()];
        }
        return counts[Measure.valueOf(column.toUpperCase(java.util.Locale.ROOT)).ordinal()];
    }

    private static long[] totals(Map<String, long[]> tallies, String topic) {
        long[] t = new long[Tally.Outcome.values().length];
        tallies.forEach((k, c) -> {
            if (k.startsWith(topic + "|")) {
                for (int i = 0; i < t.length; i++) {
                    t[i] += c[i];
                }
            }
        });
        return t;
    }

    private static Queue<Object> collected(String name) {
        return COLLECTED.getOrDefault(name, new ConcurrentLinkedQueue<>());
    }

    static final class InjectedSources implements MonitorSources {
        private static final long serialVersionUID = 1L;

        @Override
        public DataStream<RawRecord> dossierRecords(StreamExecutionEnvironment env) {
            return env.fromData(dossierRecords, TypeInformation.of(RawRecord.class)).name("injected dossier-events");
        }

        @Override
        public DataStream<RawRecord> feedbackRecords(StreamExecutionEnvironment env) {
            return env.fromData(feedbackRecords, TypeInformation.of(RawRecord.class)).name("injected qr-feedback");
        }

        @Override
        public boolean bounded() {
            return true;
        }
    }

    static final class CollectingSinks implements MonitorSinks {
        private static final long serialVersionUID = 1L;

        @Override
        public void hourlyCounts(DataStream<UnitHourCounts> counts) {
            // a copy: with object reuse on, the collected row must not be an object the graph might still hold
            counts.map(c -> new UnitHourCounts(c.unitCode, c.hourStart, c.counts.clone())).sinkTo(new Collect<>("hourly"));
        }

        @Override
        public void dossiers(DataStream<DossierRow> rows) {
            rows.sinkTo(new Collect<>("dossiers"));
        }

        @Override
        public void deadLetters(DataStream<DeadLetter> deadLetters) {
            deadLetters.sinkTo(new Collect<>("deadLetters"));
        }

        @Override
        public void alerts(DataStream<SlaAlert> alerts) {
            alerts.map(SlaAlert::copy).sinkTo(new Collect<>("alerts"));
        }

        @Override
        public void tallies(DataStream<TallyCounts.Row> tallies) {
            tallies.sinkTo(new Collect<>("tallies"));
        }
    }

    /** A sink that adds every element, in the order its subtask receives them, to {@link #COLLECTED}. */
    static final class Collect<T> implements Sink<T> {
        private static final long serialVersionUID = 1L;
        private final String name;

        Collect(String name) {
            this.name = name;
        }

        @Override
        public SinkWriter<T> createWriter(WriterInitContext context) {
            Queue<Object> into = COLLECTED.computeIfAbsent(name, k -> new ConcurrentLinkedQueue<>());
            return new SinkWriter<>() {
                @Override
                public void write(T element, Context c) {
                    into.add(element);
                }

                @Override
                public void flush(boolean endOfInput) {}

                @Override
                public void close() {}
            };
        }
    }
}

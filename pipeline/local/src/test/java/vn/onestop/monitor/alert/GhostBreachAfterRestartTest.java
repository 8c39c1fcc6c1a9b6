package vn.onestop.monitor.alert;

import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import vn.onestop.monitor.MonitorConfig;
import vn.onestop.monitor.kpi.KpiBreachDetector;
import vn.onestop.monitor.kpi.Measure;
import vn.onestop.monitor.kpi.UnitHourCounts;
import vn.onestop.monitor.local.LocalStack;
import vn.onestop.monitor.sink.Rows;
import vn.onestop.monitor.sink.UpsertSink;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ghost KPI breach of docs/OPERATIONS.md on a MiniCluster and real PostgreSQL, with the live {@link UpsertSink}:
 * the KPI-below-target operator (as the job runs it, live input) checkpoints after a day of on-time hours of commune
 * 11248 (24-hour window, on-time target 95 %, the numbers of {@code GhostBreachesTest}); the attempt then gets hour
 * 24's first count (40 resolved, 40 late: 460 / 500 = 92 %) and the watermark of hour 25, writes the breach opening
 * at hour 25 to {@code sla_alert} and fails. The restored attempt gets hour 24's corrected count (2 late: 99.6 %)
 * before its watermark reaches hour 25, so it never opens the breach: the row must still go. Event time is
 * scripted: a marker record (unit "~wm") sets the watermark and is then dropped.
 */
class GhostBreachAfterRestartTest {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(1).build());

    private static final String MARKER = "~wm";
    private static final long H = 3_600_000L;
    private static final long T0 = Instant.parse("2024-03-01T00:00:00Z").toEpochMilli();
    private static final String GHOST = "KPI_BELOW_TARGET|11248|ON_TIME_RATE|" + (T0 + 25 * H);
    private static LocalStack stack;

    @TempDir
    static Path dir;

    /** The first attempt has failed (set just before it throws). */
    static final AtomicBoolean FAILED = new AtomicBoolean();
    /** A checkpoint taken after the first day and its watermark has completed. */
    static final AtomicBoolean CHECKPOINTED = new AtomicBoolean();
    /** The first attempt saw the ghost row in sla_alert before failing. */
    static final AtomicBoolean GHOST_WRITTEN = new AtomicBoolean();
    static final AtomicBoolean CORRECTION_SENT = new AtomicBoolean();

    @BeforeAll
    static void start() throws Exception {
        stack = LocalStack.start(MonitorConfig.defaults().with("data-dir", dir.toString()));
    }

    @AfterAll
    static void stop() throws Exception {
        if (stack != null) {
            stack.close();
        }
    }

    static UnitHourCounts hour(int hour, int resolved, int late) {
        long[] c = new long[Measure.COUNT];
        c[Measure.RESOLVED.ordinal()] = resolved;
        c[Measure.RESOLVED_LATE.ordinal()] = late;
        c[Measure.RESOLVED_ON_TIME.ordinal()] = resolved - late;
        return new UnitHourCounts("11248", T0 + hour * H, c);
    }

    static UnitHourCounts watermark(int hour) {
        return new UnitHourCounts(MARKER, T0 + hour * H, new long[Measure.COUNT]);
    }

    /**
     * Turns the numbers 0..N into the script. Record 0: hours 0..23 and the watermark of hour 24. The first attempt
     * then waits (1 ms a record) for a checkpoint taken after them; at the next record it sends hour 24's first count
     * and the watermark of hour 25, waits until the ghost row is in PostgreSQL (at most 30 s) and fails. The restored
     * attempt goes on from the checkpoint's position and sends hour 24's corrected count, then the watermark of hour 26.
     */
    static final class Script extends ScriptedFailure<UnitHourCounts> {
        @Override
        protected AtomicBoolean checkpointed() {
            return CHECKPOINTED;
        }

        @Override
        public void flatMap(Long i, Collector<UnitHourCounts> out) throws Exception {
            if (i == 0) {
                for (int h = 0; h < 24; h++) {
                    out.collect(hour(h, 20, 0));
                }
                out.collect(watermark(24));
                scripted = true;
                return;
            }
            if (!FAILED.get()) {
                if (!CHECKPOINTED.get()) {
                    Thread.sleep(1);
                    return;
                }
                out.collect(hour(24, 40, 40));
                out.collect(watermark(25));
                for (int n = 0; n < 3_000 && !rows().contains(GHOST); n++) {
                    Thread.sleep(10);
                }
                GHOST_WRITTEN.set(rows().contains(GHOST));
                FAILED.set(true);
                throw new IllegalStateException("injected failure after the ghost breach was written");
            }
            if (CORRECTION_SENT.compareAndSet(false, true)) {
                out.collect(hour(24, 40, 2));
                out.collect(watermark(26));
            }
        }
    }

    /** Watermarks only from the markers. */
    static final class Markers implements WatermarkGenerator<UnitHourCounts> {
        @Override
        public void onEvent(UnitHourCounts c, long timestamp, WatermarkOutput output) {
            if (MARKER.equals(c.unitCode)) {
                output.emitWatermark(new Watermark(c.hourStart));
            }
        }

        @Override
        public void onPeriodicEmit(WatermarkOutput output) {}
    }

    static List<String> rows() throws Exception {
        List<String> ids = new ArrayList<>();
        try (Connection c = stack.admin().connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT id FROM sla_alert ORDER BY id")) {
            while (rs.next()) {
                ids.add(rs.getString(1));
            }
        }
        return ids;
    }

    @Test
    void theRestoredLiveJobDeletesTheGhostBreachRow() throws Exception {
        try (Connection c = stack.admin().connect(); Statement st = c.createStatement()) {
            st.execute("TRUNCATE sla_alert");
        }
        Configuration conf = new Configuration();
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 2);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(200));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(1);
        env.enableCheckpointing(200);
        SlaTargets targets = new SlaTargets(Map.of("*", new SlaTargets.Target(0.95, 0.0, 0.0, 0.0, 20)));
        DataStream<SlaAlert> breaches = env.fromSequence(0, 3_999)
                .flatMap(new Script()).returns(UnitHourCounts.class)
                .assignTimestampsAndWatermarks(WatermarkStrategy.<UnitHourCounts>forGenerator(c -> new Markers())
                        .withTimestampAssigner((c, ts) -> c.hourStart))
                .filter(c -> !MARKER.equals(c.unitCode))
                .keyBy(c -> c.unitCode)
                .transform("KPI below target", TypeInformation.of(SlaAlert.class),
                        KpiBreachDetector.operator(targets, 0.005, Duration.ofHours(24), false))
                .uid("kpi-breaches");
        breaches.keyBy(a -> a.id)
                .sinkTo(new UpsertSink<>(stack.job(), new Rows.SlaAlerts(), Duration.ofMillis(10), 1, Duration.ofSeconds(30)));
        env.execute("live restart with a ghost breach");

        assertThat(FAILED).as("the failure was injected").isTrue();
        assertThat(GHOST_WRITTEN).as("the failed attempt wrote the breach").isTrue();
        assertThat(CORRECTION_SENT).as("the restored attempt read the corrected count").isTrue();
        assertThat(rows()).isEmpty();
    }
}

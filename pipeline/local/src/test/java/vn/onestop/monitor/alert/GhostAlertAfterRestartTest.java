package vn.onestop.monitor.alert;

import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import vn.onestop.monitor.MonitorConfig;
import vn.onestop.monitor.ingest.Channel;
import vn.onestop.monitor.ingest.DossierEvent;
import vn.onestop.monitor.ingest.EventType;
import vn.onestop.monitor.kpi.DossierAlertRules;
import vn.onestop.monitor.kpi.DossierProcessor;
import vn.onestop.monitor.kpi.Lateness;
import vn.onestop.monitor.kpi.OnTimeRules;
import vn.onestop.monitor.kpi.UnitHourDelta;
import vn.onestop.monitor.local.LocalStack;
import vn.onestop.monitor.sink.Rows;
import vn.onestop.monitor.sink.UpsertSink;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ghost alert of docs/OPERATIONS.md on a MiniCluster and real PostgreSQL, with the live {@link UpsertSink}: the
 * classify-dossiers operator (as the job runs it, live input) checkpoints with dossier G received (due Wednesday
 * 2024-03-06 17:00 +07:00); the attempt then sees event time pass the due time before G's resolution, writes
 * {@code DOSSIER_OVERDUE|G} to {@code sla_alert} and fails. The restored attempt reads the resolution (Wednesday
 * 14:00) before its event time reaches the due time, so it never raises the alert: the row must still go.
 * Event time is scripted: a marker record (dossier "~wm") sets the watermark and is then dropped.
 */
class GhostAlertAfterRestartTest {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(1).build());

    private static final String MARKER = "~wm";
    private static LocalStack stack;

    @TempDir
    static Path dir;

    /** The first attempt has failed (set just before it throws). */
    static final AtomicBoolean FAILED = new AtomicBoolean();
    /** A checkpoint taken after G's receipt and the first watermark has completed. */
    static final AtomicBoolean CHECKPOINTED = new AtomicBoolean();
    /** The first attempt saw the ghost row in sla_alert before failing. */
    static final AtomicBoolean GHOST_WRITTEN = new AtomicBoolean();
    static final AtomicBoolean RESOLUTION_SENT = new AtomicBoolean();

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

    static long t(String local) {
        return OffsetDateTime.parse(local + "+07:00").toInstant().toEpochMilli();
    }

    static DossierEvent event(String id, EventType type, String at) {
        DossierEvent e = new DossierEvent();
        e.eventId = id;
        e.dossierId = "G";
        e.type = type;
        e.occurredAt = t(at);
        e.topic = "dossier-events";
        return e;
    }

    static DossierEvent watermark(String at) {
        DossierEvent e = new DossierEvent();
        e.dossierId = MARKER;
        e.occurredAt = t(at);
        return e;
    }

    /**
     * Turns the numbers 0..N into the script. Records 0 and 1: G's receipt and the watermark of Tuesday 00:00. The
     * first attempt then waits (1 ms a record) for a checkpoint taken after them; at the next record it moves event
     * time past the due time, waits until the ghost row is in PostgreSQL (at most 30 s) and fails. The restored
     * attempt goes on from the checkpoint's position and sends G's resolution, then Thursday's watermark.
     */
    static final class Script extends ScriptedFailure<DossierEvent> {
        @Override
        protected AtomicBoolean checkpointed() {
            return CHECKPOINTED;
        }

        @Override
        public void flatMap(Long i, Collector<DossierEvent> out) throws Exception {
            if (i == 0) {
                DossierEvent r = event("g-1", EventType.RECEIVED, "2024-03-04T08:00");
                r.unitCode = "11248";
                r.procedureCode = "1.001612";
                r.channel = Channel.ONLINE;
                r.dueAt = t("2024-03-06T17:00");
                r.digitised = true;
                out.collect(r);
                return;
            }
            if (i == 1) {
                out.collect(watermark("2024-03-05T00:00"));
                scripted = true;
                return;
            }
            if (!FAILED.get()) {
                if (!CHECKPOINTED.get()) {
                    Thread.sleep(1);
                    return;
                }
                out.collect(watermark("2024-03-06T18:00"));
                for (int n = 0; n < 3_000 && !ghostInTable(); n++) {
                    Thread.sleep(10);
                }
                GHOST_WRITTEN.set(ghostInTable());
                FAILED.set(true);
                throw new IllegalStateException("injected failure after the ghost alert was written");
            }
            if (RESOLUTION_SENT.compareAndSet(false, true)) {
                DossierEvent end = event("g-2", EventType.RESOLVED, "2024-03-06T14:00");
                end.resultDigitised = true;
                out.collect(end);
                out.collect(watermark("2024-03-07T00:00"));
            }
        }
    }

    /** Watermarks only from the markers. */
    static final class Markers implements WatermarkGenerator<DossierEvent> {
        @Override
        public void onEvent(DossierEvent e, long timestamp, WatermarkOutput output) {
            if (MARKER.equals(e.dossierId)) {
                output.emitWatermark(new Watermark(e.occurredAt));
            }
        }

        @Override
        public void onPeriodicEmit(WatermarkOutput output) {}
    }

    static boolean ghostInTable() throws Exception {
        return rows().contains("DOSSIER_OVERDUE|G");
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
    void theRestoredLiveJobDeletesTheGhostRow() throws Exception {
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
        SingleOutputStreamOperator<UnitHourDelta> classified = env.fromSequence(0, 3_999)
                .flatMap(new Script()).returns(DossierEvent.class)
                .assignTimestampsAndWatermarks(WatermarkStrategy.<DossierEvent>forGenerator(c -> new Markers())
                        .withTimestampAssigner((e, ts) -> e.occurredAt))
                .filter(e -> !MARKER.equals(e.dossierId))
                .keyBy(e -> e.dossierId)
                .transform("classify dossiers", TypeInformation.of(UnitHourDelta.class),
                        DossierProcessor.operator(OnTimeRules.nationalIndex(), new Lateness(Duration.ofDays(30)),
                                new DossierAlertRules(WorkingCalendar.officeWeek(Set.of(), Set.of()), Duration.ofHours(4))))
                .uid("dossier-state");
        classified.sinkTo(new DiscardingSink<>());
        classified.getSideOutput(DossierProcessor.ALERTS).keyBy(a -> a.id)
                .sinkTo(new UpsertSink<>(stack.job(), new Rows.SlaAlerts(), Duration.ofMillis(10), 1, Duration.ofSeconds(30)));
        env.execute("live restart with a ghost alert");

        assertThat(FAILED).as("the failure was injected").isTrue();
        assertThat(GHOST_WRITTEN).as("the failed attempt wrote the overdue alert").isTrue();
        assertThat(RESOLUTION_SENT).as("the restored attempt read the resolution").isTrue();
        // At risk from Wednesday 11:00 until the resolution at 14:00 did happen; overdue never did.
        assertThat(rows()).containsExactly("DOSSIER_AT_RISK|G");
    }
}

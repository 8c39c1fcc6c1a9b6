package vn.onestop.monitor;

import org.apache.flink.api.connector.sink2.Sink;
import vn.onestop.monitor.sink.CheckpointCommittedSink;
import vn.onestop.monitor.sink.Database;
import vn.onestop.monitor.sink.Rows;
import vn.onestop.monitor.sink.UpsertSink;
import vn.onestop.monitor.sink.UpsertStatement;

import org.apache.flink.streaming.api.datastream.DataStream;

import java.time.Duration;
import vn.onestop.monitor.MonitorConfig;
import vn.onestop.monitor.MonitorSinks;
import vn.onestop.monitor.alert.AlertMessages;
import vn.onestop.monitor.alert.SlaAlert;
import vn.onestop.monitor.ingest.DeadLetter;
import vn.onestop.monitor.ingest.TallyCounts;
import vn.onestop.monitor.kpi.DossierRating;
import vn.onestop.monitor.kpi.DossierRow;
import vn.onestop.monitor.kpi.UnitHourCounts;

/** Writes every result table with coalesced, idempotent upserts. */
public final class PostgresSinks implements MonitorSinks {
    private static final long serialVersionUID = 1L;
    private final Database database;
    private final MonitorConfig cfg;

    public PostgresSinks(Database database, MonitorConfig cfg) {
        this.database = database;
        this.cfg = cfg;
    }

    private boolean backfill;

    @Override
    public void inputBounded(boolean bounded) {
        this.backfill = bounded;
    }

    /** A backfill flushes less often: more updates of the same row coalesce into one write. */
    private <T> UpsertSink<T> sink(UpsertStatement<T> statement) {
        return sink(statement, UpsertSink.DEFAULT_COPY_MIN_ROWS);
    }

    /** {@code copyMinRows}: flushes of at least that many upserts are bulk-loaded (COPY), see UpsertSink. */
    private <T> UpsertSink<T> sink(UpsertStatement<T> statement, int copyMinRows) {
        return new UpsertSink<>(database, statement, backfill ? cfg.backfillFlushInterval() : cfg.sinkFlushInterval(),
                cfg.sinkMaxBuffered(), cfg.sinkRetryFor(), copyMinRows);
    }

    @Override
    public void hourlyCounts(DataStream<UnitHourCounts> counts) {
        counts.sinkTo(sink(new Rows.KpiHourly(), UpsertSink.BULK_LOAD_MIN_ROWS)).name("kpi_hourly").uid("sink-kpi-hourly");
    }

    /**
     * In a bounded run a dossier changes many times within seconds and nobody watches its row meanwhile: its rows are
     * written only before each checkpoint barrier, at the end of input and when {@link #BOUNDED_DOSSIER_ROWS} are
     * held, so most dossiers are written once (the newest version) instead of once per 2-second flush.
     */
    @Override
    public void dossiers(DataStream<DossierRow> rows) {
        UpsertSink<DossierRow> sink = backfill
                ? new UpsertSink<>(database, new Rows.Dossier(), Duration.ofHours(1), Math.max(BOUNDED_DOSSIER_ROWS, cfg.sinkMaxBuffered()),
                        cfg.sinkRetryFor(), UpsertSink.BULK_LOAD_MIN_ROWS)
                : sink(new Rows.Dossier(), UpsertSink.BULK_LOAD_MIN_ROWS);
        rows.sinkTo(sink).name("dossier").uid("sink-dossier");
    }

    /** Rows a bounded run's dossier sink holds at most (per subtask; a few hundred bytes each). */
    static final int BOUNDED_DOSSIER_ROWS = 200_000;

    @Override
    public void dossierRatings(DataStream<DossierRating> ratings) {
        ratings.sinkTo(sink(new Rows.DossierRatings())).name("dossier_rating").uid("sink-dossier-rating");
    }

    /** Alerts go to sla_alert and, when an alert topic is configured, to Kafka for other systems. */
    @Override
    public void alerts(DataStream<SlaAlert> alerts) {
        // Bounded runs write alerts with each completed checkpoint (CheckpointCommittedSink: a restart cannot leave a
        // failed attempt's alert behind); live runs at once, so that officers see them within a second.
        Rows.SlaAlerts statement = new Rows.SlaAlerts();
        Sink<SlaAlert> rows = backfill
                ? new CheckpointCommittedSink<>(database, statement, statement, cfg.sinkRetryFor()) : sink(statement);
        alerts.sinkTo(rows).name("sla_alert").uid("sink-sla-alert");
        if (cfg.alertTopic() != null && cfg.bootstrapServers() != null) {
            alerts.sinkTo(AlertMessages.sink(cfg.bootstrapServers(), cfg.alertTopic(), cfg.kafkaClientProperties())).name(cfg.alertTopic()).uid("sink-alert-topic");
        }
    }

    @Override
    public void tallies(DataStream<TallyCounts.Row> tallies) {
        tallies.sinkTo(sink(new Rows.IngestTally())).name("ingest_tally").uid("sink-ingest-tally");
    }

    @Override
    public void deadLetters(DataStream<DeadLetter> deadLetters) {
        deadLetters.sinkTo(sink(new Rows.DeadLetters())).name("dead_letter").uid("sink-dead-letter");
    }
}

package vn.onestop.monitor;

import org.apache.flink.streaming.api.datastream.DataStream;
import vn.onestop.monitor.alert.SlaAlert;
import vn.onestop.monitor.ingest.DeadLetter;
import vn.onestop.monitor.ingest.TallyCounts;
import vn.onestop.monitor.kpi.DossierRating;
import vn.onestop.monitor.kpi.DossierRow;
import vn.onestop.monitor.kpi.UnitHourCounts;

import java.io.Serializable;

/** Where the job's results go: PostgreSQL in production, anything a test injects. */
public interface MonitorSinks extends Serializable {
    void hourlyCounts(DataStream<UnitHourCounts> counts);

    void dossiers(DataStream<DossierRow> rows);

    /** Ratings naming a dossier (national index 5.4); sinks that do not keep them may ignore them. */
    default void dossierRatings(DataStream<DossierRating> ratings) {}

    void deadLetters(DataStream<DeadLetter> deadLetters);

    void alerts(DataStream<SlaAlert> alerts);

    /** The reconciliation: per topic and day, records read and what became of them. */
    void tallies(DataStream<TallyCounts.Row> tallies);

    /** Told before wiring whether the input ends (a backfill), where throughput matters more than freshness. */
    default void inputBounded(boolean bounded) {}
}

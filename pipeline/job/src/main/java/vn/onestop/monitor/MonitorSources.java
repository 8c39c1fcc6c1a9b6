package vn.onestop.monitor;

import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import vn.onestop.monitor.ingest.RawRecord;

import java.io.Serializable;

/** Where the job's raw records come from: Kafka in production, anything a test injects. */
public interface MonitorSources extends Serializable {
    DataStream<RawRecord> dossierRecords(StreamExecutionEnvironment env);

    DataStream<RawRecord> feedbackRecords(StreamExecutionEnvironment env);

    /** Bounded sources (replay, tests) get purely data-driven event time; live ones also follow the wall clock. */
    boolean bounded();

    /**
     * Whether the topic held records this job has yet to read when it started (a backlog to catch up on). Live
     * event time then waits for the records instead of following the wall clock until each source has read a
     * current record (docs/RULES.md). Injected sources have no backlog.
     */
    default boolean backlogAtStart(String topic) {
        return false;
    }

    /** The dossier topic's name, for {@link #backlogAtStart}. */
    default String dossierTopic() {
        return "dossier-events";
    }

    /** The feedback topic's name, for {@link #backlogAtStart}. */
    default String feedbackTopic() {
        return "qr-feedback";
    }
}

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
}

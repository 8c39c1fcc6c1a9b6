package vn.onestop.monitor.bench;

import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.util.Collector;
import vn.onestop.monitor.KafkaSources;
import vn.onestop.monitor.MonitorConfig;
import vn.onestop.monitor.ingest.DossierEvent;
import vn.onestop.monitor.ingest.EventParser;
import vn.onestop.monitor.ingest.Feedback;
import vn.onestop.monitor.ingest.ParseFunction;
import vn.onestop.monitor.local.LocalJob;
import vn.onestop.monitor.units.UnitRegistry;

import java.time.Duration;

/**
 * The least any Flink job with the monitor's shape can cost on this machine: the same Kafka sources, the same parser
 * and event-time watermarks, one keyed exchange by dossier id (and by rating id) with the job's own event
 * serializers, one state read and write per event on the same state backend and checkpoints, and nothing written.
 * Its rate, beside the plain consumer's ceiling, says how much of the gap between the ceiling and the whole job is
 * Flink's own per-record cost, which no change to the job's logic can remove.
 */
final class FlinkFloor {
    private FlinkFloor() {}

    /** Runs the floor job over what the topics hold (bounded) and returns its events per second, start-up included. */
    static double run(MonitorConfig cfg, UnitRegistry units, long expected) throws Exception {
        StreamExecutionEnvironment env = LocalJob.environment(cfg);
        KafkaSources sources = new KafkaSources(cfg, true);
        EventParser parser = new EventParser(units, cfg.maxFutureSkew(), cfg.maxRecordBytes());
        Duration outOfOrder = cfg.watermarkOutOfOrderness();
        DataStream<DossierEvent> dossiers = sources.dossierRecords(env)
                .process(new ParseFunction.DossierEvents(parser)).name("parse dossier events")
                .assignTimestampsAndWatermarks(WatermarkStrategy.<DossierEvent>forBoundedOutOfOrderness(outOfOrder)
                        .withTimestampAssigner((e, ts) -> e.occurredAt));
        DataStream<Feedback> feedback = sources.feedbackRecords(env)
                .process(new ParseFunction.FeedbackRecords(parser)).name("parse feedback")
                .assignTimestampsAndWatermarks(WatermarkStrategy.<Feedback>forBoundedOutOfOrderness(outOfOrder)
                        .withTimestampAssigner((f, ts) -> f.submittedAt));
        dossiers.keyBy(e -> e.dossierId).process(new CountPerKey<>()).name("count per dossier")
                .sinkTo(new DiscardingSink<>()).name("discard");
        feedback.keyBy(f -> f.feedbackId).process(new CountPerKey<>()).name("count per rating")
                .sinkTo(new DiscardingSink<>()).name("discard");
        long t0 = System.nanoTime();
        JobExecutionResult result = env.execute("onestop-monitor bench: Flink floor");
        double secs = (System.nanoTime() - t0) / 1e9;
        long read = Bench.count(result, "dossier-events.read") + Bench.count(result, "qr-feedback.read");
        if (read != expected) {
            throw new IllegalStateException("the Flink floor read " + read + " records of " + expected);
        }
        System.out.printf("Flink floor read %,d records in %.1f s%n", read, secs);
        return read / secs;
    }

    /** One state read and one write per record, the least a per-dossier job does; emits nothing. */
    static final class CountPerKey<T> extends KeyedProcessFunction<String, T, Long> {
        private transient ValueState<Long> seen;

        @Override
        public void open(OpenContext ctx) {
            seen = getRuntimeContext().getState(new ValueStateDescriptor<>("seen", Types.LONG));
        }

        @Override
        public void processElement(T value, Context ctx, Collector<Long> out) throws Exception {
            Long n = seen.value();
            seen.update(n == null ? 1L : n + 1);
        }
    }
}

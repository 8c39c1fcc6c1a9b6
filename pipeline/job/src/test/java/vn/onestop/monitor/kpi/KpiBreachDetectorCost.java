package vn.onestop.monitor.kpi;

import vn.onestop.monitor.alert.SlaAlert;
import vn.onestop.monitor.alert.SlaTargets;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * A one-off cost run, not a test (no assertion on time): the breach detector before ({@link KpiBreachDetectorReference})
 * and after it kept its window sums, fed the same backfill in Flink's operator harness (heap state): 20 units,
 * hourly counts for two years in event-time order, 1 % of the counts late (an hour up to three days back), a
 * watermark after every 50 counts, the production window of 30 days. Prints the thread CPU time per count and per
 * watermark of each, after a warm-up on 60 days, and checks that both sent the same alerts.
 *
 * <p>Run: {@code mvn -o -q -pl pipeline/job -am test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt
 * -Dmdep.includeScope=test}, then {@code java -cp pipeline/job/target/test-classes:pipeline/job/target/classes:$(cat
 * /tmp/cp.txt) vn.onestop.monitor.kpi.KpiBreachDetectorCost [days]}.
 */
public final class KpiBreachDetectorCost {
    private static final long H = 3_600_000L;
    private static final long T0 = Instant.parse("2023-01-01T00:00:00Z").toEpochMilli();
    private static final int UNITS = 20;
    private static final int PER_WATERMARK = 50;
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

    private KpiBreachDetectorCost() {}

    public static void main(String[] args) throws Exception {
        int days = args.length > 0 ? Integer.parseInt(args[0]) : 730;
        SlaTargets targets = new SlaTargets(java.util.Map.of("*", SlaTargets.SPEC_DEFAULTS));
        Duration window = Duration.ofDays(30);
        List<UnitHourCounts> warmUp = backfill(60, 7);
        List<UnitHourCounts> input = backfill(days, 11);
        for (String which : new String[] {"old", "new"}) {
            run(which, detector(which, targets, window), warmUp);
        }
        List<String> alerts = new ArrayList<>();
        for (String which : new String[] {"old", "new"}) {
            alerts.add(run(which, detector(which, targets, window), input));
        }
        System.out.println(alerts.get(0).equals(alerts.get(1)) ? "same alerts: " + alerts.get(0).length() + " chars" : "ALERTS DIFFER");
    }

    private static KeyedProcessFunction<String, UnitHourCounts, SlaAlert> detector(String which, SlaTargets targets, Duration window) {
        return which.equals("old") ? new KpiBreachDetectorReference(targets, 0.005, window) : new KpiBreachDetector(targets, 0.005, window);
    }

    /** Counts in the order a backfill delivers them, with {@code null} where a watermark goes. */
    private static List<UnitHourCounts> backfill(int days, long seed) {
        Random rnd = new Random(seed);
        List<UnitHourCounts> out = new ArrayList<>();
        double[] lateShare = new double[UNITS];
        int sinceWatermark = 0;
        for (long h = 0; h < days * 24L; h++) {
            for (int u = 0; u < UNITS; u++) {
                lateShare[u] = Math.max(0, Math.min(0.2, lateShare[u] + (rnd.nextDouble() - 0.5) * 0.01));
                long hour = T0 + h * H;
                if (rnd.nextDouble() < 0.01 && h > 72) {
                    hour -= (1 + rnd.nextInt(72)) * H;
                }
                long[] c = new long[Measure.COUNT];
                int received = rnd.nextInt(8);
                int resolved = rnd.nextInt(8);
                int late = 0;
                for (int i = 0; i < resolved; i++) {
                    late += rnd.nextDouble() < lateShare[u] ? 1 : 0;
                }
                c[Measure.RECEIVED.ordinal()] = received;
                c[Measure.RECEIVED_ONLINE.ordinal()] = received / 2 + rnd.nextInt(received / 2 + 1);
                c[Measure.RECEIVED_DIGITISED.ordinal()] = received - rnd.nextInt(2);
                c[Measure.RESOLVED.ordinal()] = resolved;
                c[Measure.RESOLVED_LATE.ordinal()] = late;
                c[Measure.RESOLVED_ON_TIME.ordinal()] = resolved - late;
                out.add(new UnitHourCounts("u" + u, hour, c));
                if (++sinceWatermark == PER_WATERMARK) {
                    out.add(null);
                    sinceWatermark = 0;
                }
            }
        }
        return out;
    }

    private static String run(String which, KeyedProcessFunction<String, UnitHourCounts, SlaAlert> f, List<UnitHourCounts> input) throws Exception {
        var harness = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(f), (UnitHourCounts c) -> c.unitCode, Types.STRING);
        harness.open();
        long countNs = 0;
        long watermarkNs = 0;
        long counts = 0;
        long watermarks = 0;
        long newest = Long.MIN_VALUE;
        long start = CPU.getCurrentThreadCpuTime();
        for (UnitHourCounts c : input) {
            if (c == null) {
                long t = CPU.getCurrentThreadCpuTime();
                countNs += t - start;
                // The watermark trails the newest hour seen by an hour, as a backfill's does.
                harness.processWatermark(newest);
                watermarks++;
                start = CPU.getCurrentThreadCpuTime();
                watermarkNs += start - t;
            } else {
                newest = Math.max(newest, c.hourStart);
                harness.processElement(new StreamRecord<>(new UnitHourCounts(c.unitCode, c.hourStart, c.counts.clone()), c.hourStart));
                counts++;
            }
        }
        countNs += CPU.getCurrentThreadCpuTime() - start;
        StringBuilder alerts = new StringBuilder();
        for (SlaAlert a : harness.extractOutputValues()) {
            alerts.append(a.id).append(' ').append(a.closedAt).append(' ').append(a.retracted).append(' ').append(a.details).append('\n');
        }
        harness.close();
        System.out.printf(Locale.ROOT, "%s: %,d counts, %,d watermarks, %,d alerts; CPU %,.0f ms: %,.0f ns per count, %,.0f ns per watermark, %,.0f ns per count all in%n",
                which, counts, watermarks, alerts.chars().filter(ch -> ch == '\n').count(), (countNs + watermarkNs) / 1e6,
                (double) countNs / counts, (double) watermarkNs / watermarks, (double) (countNs + watermarkNs) / counts);
        return alerts.toString();
    }
}

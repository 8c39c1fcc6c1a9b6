package vn.onestop.monitor.bench;

import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * {@code make jmh} (and the first part of {@code make bench}): runs the JMH benchmarks of this package with JMH's
 * own command line ({@code JMH_ARGS}, e.g. {@code -f 1 -wi 2 -w 1s -i 3 -r 1s ParseBenchmark}), then prints every
 * score both as ns/op and as ops/s, whatever mode it was measured in.
 */
public final class JmhMain {
    private JmhMain() {}

    public static void main(String[] args) throws Exception {
        CommandLineOptions cmd;
        try {
            cmd = new CommandLineOptions(args);
        } catch (CommandLineOptionException e) {
            System.err.println("JMH arguments: " + e.getMessage());
            System.exit(2);
            return;
        }
        if (cmd.shouldHelp() || cmd.shouldList() || cmd.shouldListWithParams() || cmd.shouldListProfilers()
                || cmd.shouldListResultFormats()) {
            org.openjdk.jmh.Main.main(args);
            return;
        }
        OptionsBuilder options = new OptionsBuilder();
        options.parent(cmd);
        if (cmd.getIncludes().isEmpty()) {
            options.include(JmhMain.class.getPackageName().replace(".", "\\.") + "\\..*Benchmark\\.");
        }
        Collection<RunResult> results = new Runner(options.build()).run();
        System.out.println();
        System.out.println("JMH summary (measured on " + Runtime.getRuntime().availableProcessors() + " cores; see JMH's own table above for errors per mode)");
        System.out.printf("%-58s %14s %12s %16s%n", "benchmark", "ns/op", "± ns/op", "ops/s");
        List<RunResult> sorted = new ArrayList<>(results);
        sorted.sort((a, b) -> a.getParams().getBenchmark().compareTo(b.getParams().getBenchmark()));
        for (RunResult r : sorted) {
            Result<?> score = r.getPrimaryResult();
            double[] ns = nanosPerOp(score.getScore(), score.getScoreError(), score.getScoreUnit());
            String name = r.getParams().getBenchmark();
            name = name.substring(name.lastIndexOf('.', name.lastIndexOf('.') - 1) + 1);
            if (ns == null) {
                System.out.printf("%-58s %s %s%n", name, score.getScore(), score.getScoreUnit());
            } else {
                System.out.printf("%-58s %,14.1f %,12.1f %,16.0f%n", name, ns[0], ns[1], 1e9 / ns[0]);
            }
        }
    }

    /** Score and error in ns/op, from a time per operation ("us/op") or a throughput ("ops/ms"); null if neither. */
    static double[] nanosPerOp(double score, double error, String unit) {
        if (unit.endsWith("/op")) {
            double f = nanos(unit.substring(0, unit.length() - 3));
            return f < 0 ? null : new double[] {score * f, error * f};
        }
        if (unit.startsWith("ops/")) {
            double f = nanos(unit.substring(4));
            if (f < 0 || score <= 0) {
                return null;
            }
            double ns = f / score;
            // error of 1/x: first order, |d(1/x)| = dx / x²
            return new double[] {ns, Double.isNaN(error) ? Double.NaN : f * error / (score * score)};
        }
        return null;
    }

    private static double nanos(String timeUnit) {
        return switch (timeUnit) {
            case "ns" -> 1;
            case "us" -> 1e3;
            case "ms" -> 1e6;
            case "s" -> 1e9;
            case "min" -> 60e9;
            case "hr" -> 3600e9;
            case "day" -> 86400e9;
            default -> -1;
        };
    }
}

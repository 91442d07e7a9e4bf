//DEPS info.picocli:picocli:4.7.7
//DEPS me.tongfei:progressbar:0.10.2
//SOURCES ChildJvm.java ../out/Table.java ../out/Charts.java

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** The options every comparison driver shares (picocli mixin): runs, warm-ups, output format, chart, time limit. */
class ComparisonOptions {
    @Option(names = "--runs", description = "Measured runs per model, each in a fresh JVM (default: ${DEFAULT-VALUE}).")
    int runs = 3;
    @Option(names = "--warmup", description = "Discarded runs per model before the measured ones (default: ${DEFAULT-VALUE}).")
    int warmup = 1;
    @Option(names = "--format", description = "table, markdown, csv or json (default: ${DEFAULT-VALUE}).")
    Table.Format format = Table.Format.table;
    @Option(names = "--chart", paramLabel = "FILE", description = "Also write a bar chart: FILE ending in .png or .svg.")
    Path chart;
    @Option(names = "--run-limit", paramLabel = "SECONDS",
            description = "A model's run that takes longer is killed and reported (default: ${DEFAULT-VALUE}).")
    double runLimitSeconds = 600;

    /** What a table or a chart shows: "median of 3 runs", or "1 run". */
    String medianOfRuns() {
        return runs == 1 ? "1 run" : "median of " + runs + " runs";
    }

    /** What is wrong with the models asked for or the numbers, in one line naming the bad value; null when nothing is. */
    String problem(List<String> asked, List<String> known) {
        if (asked.isEmpty() || asked.stream().anyMatch(String::isBlank)) return "--models needs model names, got " + asked + "; pick from " + known;
        List<String> unknown = asked.stream().filter(m -> !known.contains(m)).toList();
        if (!unknown.isEmpty()) return "unknown model(s) " + unknown + "; pick from " + known;
        List<String> twice = asked.stream().filter(m -> asked.indexOf(m) != asked.lastIndexOf(m)).distinct().toList();
        if (!twice.isEmpty()) return "model(s) " + twice + " asked for twice";
        return problem();
    }

    /** What is wrong with the run counts, the time limit or the chart file; null when nothing is. */
    String problem() {
        if (runs < 1) return "--runs must be at least 1, got " + runs;
        if (warmup < 0) return "--warmup must be at least 0, got " + warmup;
        if (!(runLimitSeconds > 0)) return "--run-limit must be positive, got " + runLimitSeconds;
        return Charts.fileProblem(chart, "--chart");
    }

    Duration runLimit() {
        return Duration.ofMillis((long) (runLimitSeconds * 1000));
    }
}

/**
 * The one fresh-JVM comparison harness: every driver and benchmark hands it jobs (a model's main class, the
 * JVM flags it needs, its arguments); it runs each job's warm-up runs and measured runs, each in a fresh JVM
 * so no model inherits another's warm JIT, heap or threads, shows progress, and hands back typed reports
 * with the median and range of their seconds.
 */
final class FreshJvm {
    private FreshJvm() {}

    /** One model to run: its main class, the JVM flags it needs (e.g. one carrier), its arguments (with --json). */
    record Job(String model, String mainClass, List<String> jvmFlags, List<String> args) {
        Job(String model, String mainClass, List<String> args) {
            this(model, mainClass, List.of(), args);
        }
    }

    /** A model's measured runs (warm-up runs dropped), with the median and range of their seconds. */
    record Measured<R>(String model, List<R> runs, double median, double min, double max) {
        R last() {
            return runs.getLast();
        }

        /** The median of a figure some runs report (null in the others); null when none did. */
        Double medianOf(java.util.function.Function<R, Double> figure) {
            List<Double> values = runs.stream().map(figure).filter(java.util.Objects::nonNull).toList();
            return values.isEmpty() ? null : FreshJvm.median(values);
        }
    }

    /**
     * Runs every job {@code warmup + runs} times, one after another, each in a fresh JVM within {@code limit};
     * {@code beforeEachRun} runs first each time (e.g. evicting files from the page cache).
     */
    static <R> List<Measured<R>> compare(List<Job> jobs, int warmup, int runs, Duration limit, Class<R> report,
                                         ToDoubleFunction<R> seconds, Runnable beforeEachRun) throws IOException, InterruptedException {
        List<Measured<R>> measured = new ArrayList<>();
        try (ProgressBar progress = progress("models", (long) jobs.size() * (warmup + runs))) {
            for (Job job : jobs) {
                List<R> reports = new ArrayList<>();
                for (int i = 0; i < warmup + runs; i++) {
                    progress.setExtraMessage(job.model() + (i < warmup ? " (warm-up)" : " run " + (i - warmup + 1)));
                    beforeEachRun.run();
                    R result = ChildJvm.runToEnd(job.model(), ChildJvm.command(job.mainClass(), job.jvmFlags(), job.args()), report, limit);
                    if (i >= warmup) reports.add(result);
                    progress.step();
                }
                List<Double> times = reports.stream().map(seconds::applyAsDouble).toList();
                measured.add(new Measured<>(job.model(), reports, median(times),
                        times.stream().mapToDouble(Double::doubleValue).min().orElseThrow(),
                        times.stream().mapToDouble(Double::doubleValue).max().orElseThrow()));
            }
        }
        return measured;
    }

    static <R> List<Measured<R>> compare(List<Job> jobs, ComparisonOptions options, Class<R> report, ToDoubleFunction<R> seconds)
            throws IOException, InterruptedException {
        return compare(jobs, options.warmup, options.runs, options.runLimit(), report, seconds, () -> { });
    }

    /**
     * For a driver's CommandLine: a run that failed (a model's JVM died, or passed --run-limit) ends the driver
     * with one line naming it and its stderr, exit code 1, instead of a stack trace.
     */
    static int oneLine(Exception failure, CommandLine command, CommandLine.ParseResult parsed) {
        command.getErr().println(command.getCommandName() + ": " + failure.getMessage());
        return CommandLine.ExitCode.SOFTWARE;
    }

    static double median(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int n = sorted.length;
        if (n == 0) return Double.NaN;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /** A progress bar on stderr when a person is watching; nothing when output goes to a file or CI. */
    private static ProgressBar progress(String task, long steps) {
        ProgressBarBuilder builder = new ProgressBarBuilder().setTaskName(task).setInitialMax(steps)
                .setStyle(ProgressBarStyle.ASCII).continuousUpdate();
        if (System.console() == null) builder.setConsumer(new me.tongfei.progressbar.DelegatingProgressBarConsumer(line -> { }));
        return builder.build();
    }
}

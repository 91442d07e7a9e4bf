///usr/bin/env "$(dirname "$0")/../jbang" "$0" "$@" ; exit $?
//JAVA 25
//PREVIEW
//RUNTIME_OPTIONS --enable-native-access=ALL-UNNAMED -XX:+ExitOnOutOfMemoryError -XX:+DisplayVMOutputToStderr
//DESCRIPTION File loading: every model (io_serial.java, io_virtual.java, ...) in a fresh JVM, beside a plain sequential reader.
//SOURCES lib/files/FileRun.java lib/files/PageCache.java lib/run/FreshJvm.java lib/out/HtmlReport.java
//SOURCES io_baseline.java io_serial.java io_threads.java io_virtual.java io_processes.java io_completable.java io_structured.java

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

// //JAVA 25 and //PREVIEW: it compiles io_structured, which uses the JDK 25 preview StructuredTaskScope.
@Command(name = "io_comparison", mixinStandardHelpOptions = true, version = "io_comparison 1.0",
        description = {"Loads every file in --data with each model in its own fresh JVM, beside 'baseline', one plain",
                "sequential reader; --warmup runs discarded, then --runs measured; one table of medians.",
                "Models: baseline, serial, threads, virtual, processes, completable, structured."})
class io_comparison implements Callable<Integer> {
    static final List<String> MODELS = List.of("baseline", "serial", "threads", "virtual", "processes", "completable", "structured");

    @Mixin FileRun run;
    @Option(names = "--models", split = ",", description = "Models to compare, in order (default: all).")
    List<String> models = MODELS;
    @Mixin ComparisonOptions compare;
    @Mixin ReportOption report;
    @Option(names = "--cold", description = "Evict the files from the page cache before every run (GNU dd iflag=nocache; "
            + "no root needed), so each model reads from the disk.")
    boolean cold;

    record Row(String model, double medianSeconds, double minSeconds, double maxSeconds, double peakRssMiB,
               Double xBaseline, int files, int failed) {}

    public static void main(String[] args) {
        System.exit(new CommandLine(new io_comparison()).setExecutionExceptionHandler(FreshJvm::oneLine).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        String problem = compare.problem(models, MODELS);
        if (problem == null) problem = report.problem();
        if (problem != null) {
            System.err.println("io_comparison: " + problem);
            return CommandLine.ExitCode.USAGE;
        }
        List<Path> files = run.filesOrSay("io_comparison");
        if (files == null) return CommandLine.ExitCode.USAGE;
        long total = 0;
        for (Path file : files) if (Files.isRegularFile(file)) total += Files.size(file);
        System.err.printf("%d files, %,d bytes in %s; page cache before: %s%n", files.size(), total, run.folder(), PageCache.describe(files));
        List<String> args = List.of("--json", "--data", run.folder().toString(), "--jit-warmup", String.valueOf(run.jitWarmupMb));
        var measured = FreshJvm.compare(models.stream().map(model -> new FreshJvm.Job(model, "io_" + model, args)).toList(),
                compare.warmup, compare.runs, compare.runLimit(), FileRun.IoReport.class, FileRun.IoReport::seconds, () -> {
                    if (cold) evict(files);
                });
        String cache = cold ? "cold: evicted before every run" : PageCache.describe(files);
        Double baseline = measured.stream().filter(m -> m.model().equals("baseline")).map(FreshJvm.Measured::median).findFirst().orElse(null);
        List<Row> rows = new ArrayList<>();
        for (var m : measured)
            rows.add(new Row(m.model(), m.median(), m.min(), m.max(), m.runs().stream().mapToDouble(FileRun.IoReport::peakRssMiB).max().orElseThrow(),
                    baseline == null ? null : m.median() / baseline, m.last().files().size(),
                    (int) m.last().files().stream().filter(f -> f.error() != null).count()));
        print(rows, files.size(), total, cache);
        String chartTitle = "Loading " + files.size() + " files (" + compare.medianOfRuns() + ")";
        var chart = Charts.barChart(chartTitle, rows.stream().map(Row::model).toList(), rows.stream().map(Row::medianSeconds).toList(),
                rows.stream().map(r -> (Double) null).toList());
        if (compare.chart != null) Charts.save(chart, compare.chart, "--chart");
        if (report.file != null) {
            HtmlReport page = report.start(chartTitle + String.format(", %,d bytes: which model reads fastest", total))
                    .table(headers(), cells(rows)).paragraph(note(files.size(), total, cache))
                    .paragraph("x baseline: the median over the baseline's, one plain sequential read of every file's bytes with no counting (io_baseline): the floor.")
                    .chart("chart", chartTitle + ": each model's median wall time", chart);
            report.write(page);
        }
        return CommandLine.ExitCode.OK;
    }

    private static void evict(List<Path> files) {
        try {
            PageCache.evict(files);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    void print(List<Row> rows, int files, long total, String cache) {
        if (compare.format == Table.Format.json || run.json.on) {
            System.out.println(ChildJvm.JSON.toJson(Map.of("files", files, "bytes", total, "pageCache", cache, "rows", rows)));
            return;
        }
        System.out.print(Table.render(compare.format, headers(), cells(rows)));
        if (compare.format == Table.Format.table) System.out.println(note(files, total, cache));
    }

    static List<String> headers() {
        return List.of("model", "files", "failed", "median s", "min-max s", "x baseline", "peak RSS MiB");
    }

    static List<List<String>> cells(List<Row> rows) {
        return rows.stream().map(r -> List.of(r.model(), String.valueOf(r.files()), String.valueOf(r.failed()),
                String.format("%.3f", r.medianSeconds()), String.format("%.3f-%.3f", r.minSeconds(), r.maxSeconds()),
                r.xBaseline() == null ? "-" : String.format("%.2f", r.xBaseline()), String.format("%.0f", r.peakRssMiB()))).toList();
    }

    String note(int files, long total, String cache) {
        return String.format("%d files, %,d bytes; page cache after the runs: %s; %s after %d warm-up run(s), each in a fresh JVM.",
                files, total, cache, compare.medianOfRuns(), compare.warmup);
    }
}

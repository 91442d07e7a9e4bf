///usr/bin/env "$(dirname "$0")/../jbang" "$0" "$@" ; exit $?
//JAVA 25
//PREVIEW
//RUNTIME_OPTIONS --enable-native-access=ALL-UNNAMED -XX:+ExitOnOutOfMemoryError -XX:+DisplayVMOutputToStderr
//DESCRIPTION The scale sweep: every web-scrape model at N = 10 ... 16,000 downloads, each in a fresh JVM; time, peak RSS and peak OS threads against N.
//SOURCES lib/scrape/ScrapeRun.java lib/run/FreshJvm.java lib/out/HtmlReport.java
//SOURCES ws_serial.java ws_threads.java ws_virtual.java ws_processes.java ws_completable.java ws_structured.java ws_eventloop.java ws_reactive.java

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

// //JAVA 25 and //PREVIEW: it compiles ws_structured, which uses the JDK 25 preview API.
@Command(name = "ws_sweep", mixinStandardHelpOptions = true, version = "ws_sweep 1.0",
        description = {"Runs each web-scrape model at every N of --sizes against the simulator (its sites repeated to N URLs),",
                "each run in a fresh JVM with the driver's heap; threads runs twice, with a pool of 10 (threads-10) and of N",
                "(threads-N). A run whose latency bound passes --max-seconds is skipped and said so. Prints one table and draws",
                "time, peak RSS and peak OS threads against N: FILE-time.png, FILE-rss.png, FILE-threads.png (--chart FILE.png)."})
class ws_sweep implements Callable<Integer> {
    static final List<String> MODELS = List.of("serial", "threads-10", "threads-N", "virtual", "processes", "completable", "structured", "eventloop", "reactive");

    @Option(names = "--sizes", split = ",", description = "The N to run (default: ${DEFAULT-VALUE}).")
    List<Integer> sizes = List.of(10, 100, 1_000, 5_000, 10_000, 16_000);
    @Option(names = "--models", split = ",", description = "Models, in order (default: all): serial, threads-10, threads-N, virtual, processes, completable, structured, eventloop, reactive.")
    List<String> models = MODELS;
    @Option(names = "--max-seconds", description = "Skip a run whose latency bound is longer than this (default: ${DEFAULT-VALUE}).")
    double maxSeconds = 60;
    @Mixin TimeoutOption timeout = new TimeoutOption();
    @Mixin ComparisonOptions compare = new ComparisonOptions();
    @Mixin ReportOption report = new ReportOption();

    ws_sweep() {   // a sweep's defaults: one run each, no warm-up run, and time for 16,000 answers to queue up
        compare.runs = 1;
        compare.warmup = 0;
        timeout.seconds = 60;
    }

    /** One model at one N: its median run, or why it has none. */
    record Point(String model, int n, Double medianSeconds, Double peakRssMiB, Integer peakThreads, Integer ok,
                 Double latencyBoundSeconds, Double workBoundSeconds, String skipped) {
        /** The larger bound; the work bound is calibrated by the model's JVM before its clock (from 1,000 downloads on). */
        double bound() {
            return LowerBound.larger(latencyBoundSeconds, null, workBoundSeconds);
        }
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new ws_sweep()).setExecutionExceptionHandler(FreshJvm::oneLine).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        String problem = compare.problem(models, MODELS);
        if (problem == null) problem = timeout.problem();
        if (problem == null) problem = report.problem();
        if (problem == null && sizes.stream().anyMatch(n -> n < 1 || n > 18_000))
            problem = "--sizes are 1..18000 (open files here are capped at 20,000 a process), got " + sizes;
        if (problem != null) {
            System.err.println("ws_sweep: " + problem);
            return CommandLine.ExitCode.USAGE;
        }
        List<Point> points = new ArrayList<>();
        for (int n : sizes) {
            try (SimProcess sim = SimProcess.start(Math.min(n, 1_000))) {
                Map<String, Integer> latencyOf = sim.latencies();
                List<String> sites = List.copyOf(latencyOf.keySet());
                List<String> urls = new ArrayList<>();
                for (int i = 0; i < n; i++) urls.add(sites.get(i % sites.size()));
                List<Integer> latencies = urls.stream().map(latencyOf::get).toList();
                Path list = Files.write(Files.createTempFile("sweep-urls", ".txt"), urls, StandardCharsets.UTF_8);
                try {
                    for (String model : models) points.add(point(model, n, list, latencies, sim.baseUrl()));
                } finally {
                    Files.deleteIfExists(list);
                }
            }
        }
        print(points);
        var charts = charts(points);
        if (compare.chart != null)
            for (var c : charts.entrySet()) {
                Path file = Charts.perModel(compare.chart, c.getKey());
                Charts.save(c.getValue(), file, "--chart");
                System.err.println(c.getKey() + " chart written to " + file);
            }
        if (report.file != null) {
            HtmlReport page = report.start("Web scrape at scale: " + models.size() + " models at N = " + sizes + " downloads")
                    .table(headers(), cells(points)).paragraph(note());
            page.paragraph("Lines stop where a model was skipped (its latency bound over --max-seconds) or failed; the table says which."
                    + " No timelines here: at 10,000 downloads a timeline has 10,000 lanes (run one model with --timeline).");
            for (var c : charts.entrySet()) page.chart("chart-" + c.getKey(), c.getValue().getTitle(), c.getValue());
            report.write(page);
        }
        return CommandLine.ExitCode.OK;
    }

    /** One model at N: skipped when even a perfect run would take longer than --max-seconds; a failed run is said, not fatal. */
    Point point(String model, int n, Path list, List<Integer> latencies, String simUrl) {
        Integer lanes = switch (model) {
            case "serial" -> 1;
            case "threads-10" -> 10;
            case "threads-N" -> n;
            case "processes" -> Runtime.getRuntime().availableProcessors();
            case "reactive" -> 256;   // its flatMap's concurrency, Reactor's default
            default -> null;
        };
        double bound = LowerBound.seconds(latencies, lanes);
        if (bound > maxSeconds)
            return new Point(model, n, null, null, null, null, bound, null, String.format("latency bound %.0f s > --max-seconds", bound));
        List<String> args = new ArrayList<>(List.of("--json", "--urls", list.toString(), "--repeat", "1", "--timeout", String.valueOf(timeout.seconds),
                "--sim-url", simUrl));
        if (model.startsWith("threads")) args.addAll(List.of("--threads", String.valueOf(lanes)));
        String script = "ws_" + model.replaceFirst("-.*", "");
        try {
            var measured = FreshJvm.compare(List.of(new FreshJvm.Job(model, script, ScrapeRun.jvmFlags(n), args)), compare, ScrapeReport.class,
                    ScrapeReport::seconds).getFirst();
            return new Point(model, n, measured.median(), measured.runs().stream().mapToDouble(ScrapeReport::peakRssMiB).max().orElseThrow(),
                    measured.runs().stream().mapToInt(ScrapeReport::peakThreads).max().orElseThrow(), measured.last().ok(), bound,
                    measured.medianOf(ScrapeReport::workBoundSeconds), null);
        } catch (IOException | InterruptedException e) {
            return new Point(model, n, null, null, null, null, bound, null, "failed: " + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    void print(List<Point> points) {
        if (compare.format == Table.Format.json) {
            System.out.println(ChildJvm.JSON.toJson(Map.of("runs", compare.runs, "points", points)));
            return;
        }
        System.out.print(Table.render(compare.format, headers(), cells(points)));
        if (compare.format == Table.Format.table) System.out.println(note());
    }

    static List<String> headers() {
        return List.of("model", "N", "ok", "median s", "latency bound s", "work bound s", "x bound", "peak RSS MiB", "peak threads", "note");
    }

    static List<List<String>> cells(List<Point> points) {
        return points.stream().map(p -> List.of(p.model(), String.format("%,d", p.n()),
                p.ok() == null ? "-" : String.format("%,d", p.ok()), p.medianSeconds() == null ? "-" : String.format("%.2f", p.medianSeconds()),
                String.format("%.2f", p.latencyBoundSeconds()),
                p.workBoundSeconds() == null ? "-" : String.format("%.2f", p.workBoundSeconds()),
                p.medianSeconds() == null ? "-" : String.format("%.2f", p.medianSeconds() / p.bound()),
                p.peakRssMiB() == null ? "-" : String.format("%.0f", p.peakRssMiB()), p.peakThreads() == null ? "-" : String.valueOf(p.peakThreads()),
                p.skipped() == null ? "" : p.skipped())).toList();
    }

    String note() {
        return String.format("%s after %d warm-up run(s) each, every run in a fresh JVM with -Xmx256m up to 10,000 downloads,"
                + " 24 KB more a download past it; the simulator's sites (50-400 ms) repeated to N.", compare.medianOfRuns(), compare.warmup);
    }

    /** Three pictures against N on a log axis, a line per model: seconds, peak RSS, peak OS threads (by name: time, rss, threads). */
    Map<String, XYChart> charts(List<Point> points) {
        record Measure(String name, String axis, java.util.function.Function<Point, Number> value) {}
        Map<String, XYChart> charts = new java.util.LinkedHashMap<>();
        for (Measure m : List.of(new Measure("time", "seconds (median)", Point::medianSeconds),
                new Measure("rss", "peak RSS, MiB", Point::peakRssMiB), new Measure("threads", "peak live OS threads", Point::peakThreads))) {
            XYChart chart = new XYChartBuilder().width(900).height(500).title("Web scrape at scale: " + m.axis() + " against N downloads")
                    .xAxisTitle("N (log scale)").yAxisTitle(m.axis()).build();
            chart.getStyler().setXAxisLogarithmic(true).setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNW)
                    .setSeriesColors(Charts.PALETTE).setDecimalPattern(Charts.NUMBERS);
            for (String model : models) {
                List<Point> mine = points.stream().filter(p -> p.model().equals(model) && m.value().apply(p) != null).toList();
                if (mine.isEmpty()) continue;
                chart.addSeries(model, mine.stream().map(p -> (double) p.n()).toList(), mine.stream().map(p -> m.value().apply(p).doubleValue()).toList());
            }
            charts.put(m.name(), chart);
        }
        return charts;
    }
}

///usr/bin/env "$(dirname "$0")/../jbang" "$0" "$@" ; exit $?
//JAVA 25
//PREVIEW
//RUNTIME_OPTIONS --enable-native-access=ALL-UNNAMED -XX:+ExitOnOutOfMemoryError -XX:+DisplayVMOutputToStderr
//DESCRIPTION Runs every web-scrape model in its own fresh JVM, several times, and prints one table: which model wins, by how much, at what cost.
//SOURCES lib/scrape/ScrapeRun.java lib/run/FreshJvm.java lib/out/HtmlReport.java
//SOURCES ws_serial.java ws_threads.java ws_virtual.java ws_processes.java ws_completable.java ws_structured.java ws_eventloop.java ws_reactive.java ws_cluster.java

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

// //JAVA 25 and //PREVIEW: it compiles ws_structured, which uses the JDK 25 preview API.
@Command(name = "webscrape_comparison", mixinStandardHelpOptions = true, version = "webscrape_comparison 1.0",
        description = {"Runs each web-scrape model in a fresh JVM (--warmup runs discarded, then --runs measured)",
                "and prints one table of medians. Models: serial, threads, virtual, processes, completable, structured, eventloop, reactive, cluster."})
class webscrape_comparison implements Callable<Integer> {
    static final List<String> MODELS = List.of("serial", "threads", "virtual", "processes", "completable", "structured", "eventloop", "reactive", "cluster");

    @Mixin ScrapeRun run;

    @Option(names = "--models", split = ",", description = "Models to run, in order (default: all nine).")
    List<String> models = MODELS;
    @Mixin ComparisonOptions compare;
    @Mixin ReportOption report;
    @Option(names = "--threads", description = "Pool size for the threads model (default: ${DEFAULT-VALUE}).")
    int threads = 10;
    @Option(names = "--processes", description = "Child JVMs for the processes model (default: one per core, ${DEFAULT-VALUE}).")
    int processes = Runtime.getRuntime().availableProcessors();

    /** One model's line of the table, from its measured runs. */
    record Row(String model, int tasks, int ok, int failed, double medianSeconds, double minSeconds, double maxSeconds,
               Double speedup, double cpuSeconds, double peakRssMiB, int peakThreads, Double latencyBoundSeconds,
               Double costBoundSeconds, Double workBoundSeconds, Double ratioToBound) {
        /** The largest bound: what the chart draws beside the time. */
        Double bound() {
            return LowerBound.larger(latencyBoundSeconds, costBoundSeconds, workBoundSeconds);   // null off the simulator
        }
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new webscrape_comparison()).setExecutionExceptionHandler(FreshJvm::oneLine).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        String problem = compare.problem(models, MODELS);
        if (problem == null && threads < 1) problem = "--threads must be at least 1, got " + threads;
        if (problem == null && processes < 1) problem = "--processes must be at least 1, got " + processes;
        if (problem == null) problem = report.problem();
        if (problem != null) {
            System.err.println("webscrape_comparison: " + problem);
            return CommandLine.ExitCode.USAGE;
        }
        if (!run.optionsValid("webscrape_comparison")) return CommandLine.ExitCode.USAGE;
        try (SimProcess sim = run.sim ? SimProcess.start(run.sites) : null) {
            Map<String, Integer> latencies = sim != null ? sim.latencies() : Map.of();
            // A URL file goes to every model as it is, with --repeat: each model reads it as its script does, and a line
            // that is no URL or a host that does not resolve is a failed result in every model, said there.
            int repeat = run.repeat != null ? run.repeat : run.sim ? 1 : 10;
            Path list;
            int downloads;
            if (sim != null) {
                list = Files.createTempFile("webscrape-urls", ".txt");
                List<String> urls = UrlList.repeat(new ArrayList<>(latencies.keySet()), repeat);
                Files.write(list, urls, StandardCharsets.UTF_8);
                downloads = urls.size();
            } else {
                list = run.urls != null ? run.urls : UrlList.defaultFile();
                List<UrlList.Line> lines = UrlList.read(list);
                if (!anyHostResolves(lines)) {
                    System.err.println("webscrape_comparison: no URL left: no host resolved (no internet? try --sim)");
                    return CommandLine.ExitCode.SOFTWARE;
                }
                downloads = lines.size() * repeat;
            }
            try {
                String simUrl = sim == null ? null : sim.baseUrl();
                int repeats = sim != null ? 1 : repeat;   // the simulator's list is written out repeated
                var measured = FreshJvm.compare(models.stream().map(model -> job(model, list, repeats, downloads, simUrl)).toList(), compare,
                        ScrapeReport.class, ScrapeReport::seconds);
                List<Row> rows = rows(measured);
                print(rows, downloads, sim != null);
                if (run.timeline.file != null)   // each model's last measured run
                    for (var model : measured)
                        System.err.println(model.last().drawTimeline(Charts.perModel(run.timeline.file, model.model())));
                String chartTitle = "Downloading " + downloads + " sites (" + compare.medianOfRuns() + ")";
                var chart = Charts.barChart(chartTitle, rows.stream().map(Row::model).toList(), rows.stream().map(Row::medianSeconds).toList(),
                        rows.stream().map(Row::bound).toList());
                if (compare.chart != null) {
                    Charts.save(chart, compare.chart, "--chart");
                    System.err.println("chart written to " + compare.chart);
                }
                if (report.file != null) {
                    HtmlReport page = report.start(chartTitle + (sim != null ? " on the simulator" : "") + ": which model wins, by how much, at what cost")
                            .table(headers(sim != null), cells(rows, sim != null));
                    notes(rows, downloads, sim != null).forEach(page::paragraph);
                    page.chart("chart", chartTitle + ": each model's median wall time beside its lower bound", chart);
                    for (var model : measured) page.model(model.model(), WHY.get(model.model()), model.last().timelineTitle(), model.last().spans());
                    report.write(page);
                }
            } finally {
                if (sim != null) Files.deleteIfExists(list);
            }
            return CommandLine.ExitCode.OK;
        } catch (UrlList.BadInput e) {
            System.err.println(e.getMessage());
            return CommandLine.ExitCode.USAGE;
        }
    }

    /**
     * One row per model: the median of its runs, its speedup over serial, its bounds (the latency bound, and the work
     * bound each run calibrated before its clock: their median) and how far it is from the larger.
     */
    static List<Row> rows(List<FreshJvm.Measured<ScrapeReport>> measured) {
        Double serial = measured.stream().filter(m -> m.model().equals("serial")).map(FreshJvm.Measured::median).findFirst().orElse(null);
        List<Row> rows = new ArrayList<>();
        for (var m : measured) {
            ScrapeReport last = m.last();
            Double work = m.medianOf(ScrapeReport::workBoundSeconds);
            Double cost = m.medianOf(ScrapeReport::costBoundSeconds);
            Double latency = last.latencyBoundSeconds();
            Double bound = LowerBound.larger(latency, cost, work);
            boolean complete = m.runs().stream().allMatch(r -> r.failed() == 0);   // no ratio for a run that skipped work
            rows.add(new Row(m.model(), last.tasks(), last.ok(), last.failed(), m.median(), m.min(), m.max(),
                    serial == null ? null : serial / m.median(),
                    FreshJvm.median(m.runs().stream().map(ScrapeReport::cpuSeconds).toList()),
                    m.runs().stream().mapToDouble(ScrapeReport::peakRssMiB).max().orElseThrow(),
                    m.runs().stream().mapToInt(ScrapeReport::peakThreads).max().orElseThrow(),
                    latency, cost, work, bound == null || !complete ? null : m.median() / bound));
        }
        return rows;
    }

    /** The model's script in a fresh JVM on this JVM's classpath (plain java: no second JBang start). */
    FreshJvm.Job job(String model, Path list, int repeat, int downloads, String simUrl) {
        List<String> args = new ArrayList<>(List.of("--json", "--urls", list.toString(), "--repeat", String.valueOf(repeat),
                "--jit-warmup", String.valueOf(run.jitWarmupPages)));
        args.addAll(run.scraperArgs());
        if (simUrl != null) args.addAll(List.of("--sim-url", simUrl));   // the bounds are measured in the model's JVM
        if (run.calibratePages != null) args.addAll(List.of("--calibrate", String.valueOf(run.calibratePages)));
        if (model.equals("threads")) args.addAll(List.of("--threads", String.valueOf(threads)));
        if (model.equals("processes")) args.addAll(List.of("--processes", String.valueOf(processes)));
        List<String> jvmFlags = new ArrayList<>(ScrapeRun.jvmFlags(downloads));
        if (model.equals("cluster")) jvmFlags.addAll(Cluster.JVM_FLAGS);   // its members are started with them too
        return new FreshJvm.Job(model, "ws_" + model, jvmFlags, args);
    }

    /**
     * Whether any host of the file's URLs resolves; says once on stderr which do not (each of their URLs will fail in
     * every model as "host does not resolve"), so that a machine without internet stops here, before the models.
     */
    static boolean anyHostResolves(List<UrlList.Line> lines) throws InterruptedException {
        Set<String> hosts = new LinkedHashSet<>();
        for (UrlList.Line line : lines) if (line.ok()) hosts.add(hostOf(line.url()));
        Map<String, Boolean> resolves = new ConcurrentHashMap<>();
        try (ExecutorService lookups = Executors.newVirtualThreadPerTaskExecutor()) {
            for (String host : hosts)
                lookups.submit(() -> {
                    try {
                        InetAddress.getByName(host);
                        resolves.put(host, true);
                    } catch (IOException e) {
                        resolves.put(host, false);
                    }
                });
            lookups.shutdown();
            lookups.awaitTermination(10, TimeUnit.SECONDS);   // a lookup still hanging then counts as failed
            lookups.shutdownNow();
        }
        List<String> unresolved = hosts.stream().filter(host -> !resolves.getOrDefault(host, false)).toList();
        if (!unresolved.isEmpty() && unresolved.size() < hosts.size())
            System.err.printf("webscrape_comparison: %d of %d hosts do not resolve (%s%s): their URLs fail in every model%n", unresolved.size(),
                    hosts.size(), String.join(", ", unresolved.subList(0, Math.min(3, unresolved.size()))), unresolved.size() > 3 ? ", ..." : "");
        return unresolved.size() < hosts.size();
    }

    private static String hostOf(String url) {
        try {
            String host = URI.create(url.strip()).getHost();
            return host == null ? "" : host;
        } catch (IllegalArgumentException e) {
            return "";
        }
    }

    void print(List<Row> rows, int tasks, boolean onSimulator) {
        if (compare.format == Table.Format.json || run.json.on) {
            System.out.println(ChildJvm.JSON.toJson(Map.of("tasks", tasks, "runs", compare.runs, "warmup", compare.warmup, "rows", rows)));
            return;
        }
        System.out.print(Table.render(compare.format, headers(onSimulator), cells(rows, onSimulator)));
        if (compare.format == Table.Format.table) notes(rows, tasks, onSimulator).forEach(System.out::println);
    }

    static List<String> headers(boolean onSimulator) {
        List<String> headers = new ArrayList<>(List.of("model", "tasks", "ok", "failed", "median s", "min-max s",
                "speedup", "CPU s", "peak RSS MiB", "peak threads"));
        if (onSimulator) headers.addAll(List.of("latency bound s", "cost bound s", "work bound s", "x bound"));
        return headers;
    }

    static List<List<String>> cells(List<Row> rows, boolean onSimulator) {
        List<List<String>> cells = new ArrayList<>();
        for (Row r : rows) {
            List<String> line = new ArrayList<>(List.of(r.model(), String.format("%,d", r.tasks()), String.format("%,d", r.ok()),
                    String.format("%,d", r.failed()), String.format("%.2f", r.medianSeconds()),
                    String.format("%.2f-%.2f", r.minSeconds(), r.maxSeconds()),
                    r.speedup() == null ? "-" : String.format("%.1fx", r.speedup()), String.format("%.2f", r.cpuSeconds()),
                    String.format("%.0f", r.peakRssMiB()), String.valueOf(r.peakThreads())));
            if (onSimulator) line.addAll(List.of(String.format("%.2f", r.latencyBoundSeconds()),
                    r.costBoundSeconds() == null ? "-" : String.format("%.2f", r.costBoundSeconds()),
                    r.workBoundSeconds() == null ? "-" : String.format("%.2f", r.workBoundSeconds()),
                    r.ratioToBound() == null ? "-" : String.format("%.2f", r.ratioToBound())));
            cells.add(line);
        }
        return cells;
    }

    /** The lines under the table: what was run, what the bounds are, which model was fastest and why. */
    List<String> notes(List<Row> rows, int tasks, boolean onSimulator) {
        List<String> notes = new ArrayList<>();
        notes.add(String.format("%,d downloads per run; %s after %d warm-up run(s), each in a fresh JVM;"
                + " time excludes JVM start and a %d-page JIT warm-up; heap at most %s.", tasks, compare.medianOfRuns(), compare.warmup,
                run.jitWarmupPages, ScrapeRun.jvmFlags(tasks).getFirst().substring("-Xmx".length())));
        if (onSimulator)
            notes.add(rows.stream().anyMatch(r -> r.workBoundSeconds() != null)
                    ? "Bounds: latency, what the sites' latencies allow the model's lanes; cost, the same with each request holding its"
                      + " lane for the CPU a page costs here and in the simulator; work, that CPU x downloads / cores (each JVM measured"
                      + " the CPU before its clock: estimates, not floors); x bound is to the largest."
                    : "Bounds: latency, what the sites' latencies allow the model's lanes (the cost and work bounds are measured from"
                      + " 1,000 downloads on, or with --calibrate PAGES); x bound is to it.");
        rows.stream().min((a, b) -> Double.compare(a.medianSeconds(), b.medianSeconds()))
                .ifPresent(best -> notes.add(String.format("Fastest: %s. %s", best.model(), WHY.get(best.model()))));
        return notes;
    }

    static final Map<String, String> WHY = Map.of(
            "serial", "Only one site at a time: each download waits for the one before.",
            "threads", "The waits overlap, but only as many at once as the pool has threads.",
            "virtual", "Every download waits on its own cheap virtual thread: all the waits overlap.",
            "processes", "Whole JVMs per worker: the waits overlap only as many as there are processes.",
            "completable", "No thread waits at all: the HttpClient's selector watches every socket at once.",
            "structured", "Every download is a virtual-thread subtask of one scope: all the waits overlap.",
            "eventloop", "One thread sends every request and parses every page: the waits overlap, the parsing does not.",
            "reactive", "A stream of non-blocking requests, up to its concurrency limit in flight at once.",
            "cluster", "Chunks of URLs handed to member JVMs, virtual threads inside each: the waits overlap across machines.");
}

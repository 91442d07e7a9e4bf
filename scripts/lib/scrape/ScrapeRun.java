//DEPS info.picocli:picocli:4.7.7
//SOURCES Scraper.java TimeoutOption.java UrlList.java LowerBound.java ../sim/SimProcess.java ../run/ChildJvm.java ../run/JvmUsage.java ../out/OutputOptions.java ../run/Models.java

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** A model: download every URL, return one result per URL in input order. */
@FunctionalInterface
interface DownloadAll {
    List<SiteResult> downloadAll(Scraper scraper, List<String> urls) throws Exception;
}

/** What every ws_ script prints with --json, and what the driver reads back. */
record ScrapeReport(String model, String laneKind, int tasks, int ok, int failed, double seconds, double startedAt, Integer lanes,
                    Double latencyBoundSeconds, LowerBound.PageCost pageCost, Double costBoundSeconds, Double workBoundSeconds, Double simCpuSeconds,
                    double cpuSeconds, double peakRssMiB, double maxHeapMiB, int peakThreads, List<SiteResult> results) {
    /**
     * The run as timeline spans, one lane per thread that waited for a page (per child process, per request
     * when no thread waited): thin while the site answers, thick while the page is parsed. Seconds from
     * {@code startedAt}, when the clock started; lanes in the order they started.
     */
    List<Charts.Span> spans() {
        List<Charts.Span> spans = new ArrayList<>();
        for (int i = 0; i < results.size(); i++) {
            SiteResult.Trace trace = results.get(i).trace();
            if (trace == null) continue;   // never started: nothing ran
            String lane = trace.thread() != null ? trace.thread() : "request " + (i + 1);
            spans.add(new Charts.Span(lane, trace.sentAt() - startedAt, trace.receivedAt() - startedAt, false));
            spans.add(new Charts.Span(lane, trace.receivedAt() - startedAt, trace.doneAt() - startedAt, true));
        }
        spans.sort(java.util.Comparator.comparingDouble(Charts.Span::start));
        return spans;
    }

    String timelineTitle() {
        return Models.name(model) + ", " + tasks + " downloads: one lane per " + laneKind + "; thin: waiting for the site, thick: parsing";
    }

    /** Draws the spans, and says in one line what the picture shows: how many lanes, how long they waited and worked. */
    String drawTimeline(Path file) throws IOException {
        List<Charts.Span> spans = spans();
        List<String> lanes = Charts.timeline(file, timelineTitle(), spans);
        double waiting = spans.stream().filter(s -> !s.running()).mapToDouble(s -> s.end() - s.start()).sum();
        double parsing = spans.stream().filter(Charts.Span::running).mapToDouble(s -> s.end() - s.start()).sum();
        return String.format("%s timeline written to %s: %d lanes, %.2f s waiting for sites and %.2f s parsing in all",
                Models.name(model), file, lanes.size(), waiting, parsing);
    }
}

/**
 * The options every web-scrape script shares (picocli mixin), and the one place that loads the URLs,
 * times the model and prints its report, so that each ws_ script holds nothing but its model.
 */
class ScrapeRun {
    /**
     * The heap a web-scrape JVM gets, chosen: 10,000 downloads in flight fit in 256 MiB (bodies are read only when a
     * core can parse them; measured ~24 KB of heap a download in flight), and a default heap (1/4 of RAM) would let
     * G1 grow to gigabytes first. Past 10,000 it grows by 24 KB a download (16,000: 416 MiB). The scripts say
     * 256 MiB in //RUNTIME_OPTIONS; the drivers pass this to every model's JVM.
     */
    static List<String> jvmFlags(int downloads) {
        long mib = Math.max(256, (16 + downloads * 24L / 1024 + 31) / 32 * 32);
        return List.of("-Xmx" + mib + "m");
    }

    @Option(names = "--urls", paramLabel = "FILE",
            description = "URL list, one per line, # for comments (default: url_list at the repo root).")
    Path urls;
    @Option(names = "--repeat", description = "Download the list this many times over (default: 10 for a URL file, 1 with --sim).")
    Integer repeat;
    @Option(names = "--sim", description = "Start the site simulator in its own JVM and download its sites.")
    boolean sim;
    @Option(names = "--sim-url", paramLabel = "URL",
            description = "Use a site simulator already running on this machine (the site simulator script prints its URL; the drivers pass theirs):"
                    + " its sites, or the --urls on it, with both bounds.")
    String simUrl;
    @Option(names = "--calibrate", paramLabel = "PAGES",
            description = "Before the clock, download this many pages from the simulator, a batch at a time, all in flight at once on"
                    + " connections of their own, and measure the CPU a page costs here (first two thirds: JIT warm-up, last"
                    + " third: measured); that x downloads, plus the simulator's CPU, / cores is the work bound. Default: 3000 when the run downloads 1,000 pages or more"
                    + " from a simulator, else 0 (no work bound; below that the latency bound is the larger).")
    Integer calibratePages;
    @Option(names = "--sites", description = "Sites the simulator serves, with --sim (default: ${DEFAULT-VALUE}).")
    int sites = 80;
    @Mixin TimeoutOption timeout = new TimeoutOption();
    @Option(names = "--max-bytes", description = "Read at most this much of a body; a longer one is cut and reported (default: ${DEFAULT-VALUE}).")
    long maxBytes = Scraper.DEFAULT_MAX_BYTES;
    @Option(names = "--jit-warmup", paramLabel = "PAGES",
            description = "Before the clock starts, download and parse this many pages from a simulator inside this JVM,"
                    + " with the model itself, so the time is the model's, not class loading's and the JIT's; 0 shows a cold JVM (default: ${DEFAULT-VALUE}).")
    int jitWarmupPages = 1000;   // 50 left the JIT cold: serial spent ~9 ms of its own a request, 1,000 ~5 (docs/measuring.md)
    @Option(names = {"-v", "--verbose"}, description = "Print every site, each ok one and each failed one (without it: the failed ones, grouped by reason past 20).")
    boolean verbose;
    @Mixin JsonOption json = new JsonOption();
    @Mixin TimelineOption timeline = new TimelineOption();

    private final CountDownLatch reported = new CountDownLatch(1);
    private volatile JvmUsage usage;

    /** Ctrl-C interrupts the thread that runs the model, then waits (10 s at most) for its report. */
    void cancelOnCtrlC() {
        Thread owner = Thread.currentThread();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (reported.getCount() == 0) return;
            owner.interrupt();
            try {
                reported.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                // the JVM is going anyway
            }
        }));
    }

    /** Checks the numbers a user can get wrong; says in one line on stderr which one is wrong and what it got. */
    boolean optionsValid(String command) {
        String problem = timeout.problem() != null ? timeout.problem()
                : maxBytes < 1 ? "--max-bytes must be at least 1, got " + maxBytes
                : sites < 1 ? "--sites must be at least 1, got " + sites
                : jitWarmupPages < 0 ? "--jit-warmup must be at least 0, got " + jitWarmupPages
                : repeat != null && repeat < 1 ? "--repeat must be at least 1, got " + repeat
                : calibratePages != null && calibratePages < 0 ? "--calibrate must be at least 0, got " + calibratePages
                : sim && simUrl != null ? "--sim starts a simulator and --sim-url uses a running one: choose one"
                : timeline.problem();
        if (problem == null) return true;
        System.err.println(command + ": " + problem);
        return false;
    }

    /**
     * Loads the URLs, runs the model once and prints its report; returns the exit code. The script says what
     * only it knows: its model's key (the report carries it; what is printed is its {@link Models#name}), its lanes
     * (null: unbounded), and what one lane of its timeline is.
     */
    int measure(String model, Integer lanes, String laneKind, DownloadAll downloadAll) {
        String name = Models.name(model);
        ChildJvm.exitWithParent();   // a driver's fresh JVM ends with its driver
        if (!optionsValid(name)) {
            reported.countDown();
            return CommandLine.ExitCode.USAGE;
        }
        try (SimProcess simulator = sim ? SimProcess.start(sites) : simUrl != null ? SimProcess.attach(simUrl) : null) {
            List<UrlList.Line> list;
            Map<String, Integer> latencies = simulator == null ? Map.of() : simulator.latencies();
            if (simulator != null && urls == null) {
                list = new ArrayList<>();
                for (String url : latencies.keySet()) list.add(new UrlList.Line(list.size() + 1, url, null));
            } else {
                list = UrlList.read(urls);
            }
            list = UrlList.repeat(list, repeat != null ? repeat : simulator != null ? 1 : 10);
            ScrapeReport report = time(model, lanes, laneKind, list, latencies, simulator, downloadAll);
            print(report);
            System.out.flush();
            if (timeline.file != null) System.err.println(report.drawTimeline(timeline.file));
            return CommandLine.ExitCode.OK;
        } catch (UrlList.BadInput e) {
            System.err.println(e.getMessage());
            return CommandLine.ExitCode.USAGE;
        } catch (InterruptedException e) {   // Ctrl-C outside the model (a script that asked for it: cancelOnCtrlC)
            System.err.println(name + ": interrupted (Ctrl-C)");
            return 130;
        } catch (Exception e) {
            System.err.println(name + ": " + e);
            return CommandLine.ExitCode.SOFTWARE;
        } finally {
            reported.countDown();
        }
    }

    /** True once the clock runs: the model's call is the measured one, not the JIT warm-up's. */
    boolean timing() {
        return usage != null;
    }

    /** A model that runs child JVMs tells the run what each used, when it exits (their CPU is not this JVM's). */
    void childUsed(ChildJvm.Usage child) {
        if (usage != null) usage.addChild(child);   // null: a child of the warm-up, before the clock
    }

    /**
     * Times the model on the lines that can be downloaded; a line that cannot (not UTF-8, not an http URL) is a
     * failed result in its place, with its line number, and never reaches the model.
     */
    private ScrapeReport time(String model, Integer lanes, String laneKind, List<UrlList.Line> list, Map<String, Integer> latencies,
                              SimProcess simulator, DownloadAll downloadAll) throws Exception {
        if (!json.on) System.out.printf("Starting %s download of %,d sites...%n", Models.name(model), list.size());
        double startedAt;
        List<SiteResult> results;
        double seconds;
        double simCpuBefore;
        LowerBound.PageCost cost = null;
        List<String> downloadable = list.stream().filter(UrlList.Line::ok).map(UrlList.Line::url).toList();
        try (Scraper scraper = newScraper()) {
            double warmUp = warmUp(scraper, downloadAll);
            if (!json.on && jitWarmupPages > 0)
                System.out.printf("  (JIT warm-up, not timed: %d pages in %.2f s)%n", jitWarmupPages, warmUp);
            int pages = calibratePages != null ? calibratePages : downloadable.size() >= 1000 ? 3000 : 0;
            if (simulator != null && pages > 1) {
                long calibrating = System.nanoTime();
                try {
                    cost = calibrate(simulator, pages);
                    if (!json.on)
                        System.out.printf("  (calibrated, not timed: %d pages in %.2f s, %.2f ms of CPU a page here and %.2f ms in the simulator)%n",
                                pages, (System.nanoTime() - calibrating) / 1e9, cost.clientMs(), cost.simMs());
                } catch (ExecutionException e) {   // the run goes on, without a work bound
                    System.err.println(Models.name(model) + ": no work bound: " + e.getCause().getMessage());
                }
            }
            simCpuBefore = simulator == null ? 0 : simulator.cpuSeconds();
            usage = JvmUsage.start();
            startedAt = SiteResult.Trace.now();
            long start = System.nanoTime();
            results = downloadAll.downloadAll(scraper, downloadable);
            seconds = (System.nanoTime() - start) / 1e9;
        }
        if (results.size() != downloadable.size())
            throw new IllegalStateException("the model returned " + results.size() + " results for " + downloadable.size() + " URLs");
        List<SiteResult> all = new ArrayList<>();
        int next = 0;
        for (UrlList.Line line : list) all.add(line.ok() ? results.get(next++) : SiteResult.failed(line.url(), 0, line.why()));
        results = all;
        int ok = (int) results.stream().filter(SiteResult::ok).count();
        List<Integer> latencyOf = latencies.isEmpty() || list.stream().anyMatch(line -> !latencies.containsKey(line.url())) ? null
                : list.stream().map(line -> latencies.get(line.url())).toList();
        Double bound = latencyOf == null ? null : LowerBound.seconds(latencyOf, lanes);
        Double costBound = latencyOf == null || cost == null ? null : LowerBound.seconds(latencyOf, lanes, cost.requestMs());
        Double simCpu = simulator == null ? null : simulator.cpuSeconds() - simCpuBefore;
        Double workBound = cost == null ? null : cost.seconds(downloadable.size(), simCpu, Runtime.getRuntime().availableProcessors());
        return new ScrapeReport(model, laneKind, list.size(), ok, list.size() - ok, seconds, startedAt, lanes, bound, cost, costBound, workBound,
                simCpu, usage.cpuSeconds(), usage.peakRssMiB(),
                Runtime.getRuntime().maxMemory() / (1024.0 * 1024), usage.peakThreads(), results);
    }

    Scraper newScraper() {
        return new Scraper(timeout.duration(), maxBytes);
    }

    /** The options a model's JVM (a driver's fresh one) needs to download exactly as this one does. */
    List<String> scraperArgs() {
        return List.of("--timeout", String.valueOf(timeout.seconds), "--max-bytes", String.valueOf(maxBytes));
    }

    /**
     * Loads and compiles what the model runs (its own code, the HttpClient, Jsoup; a pool's child JVMs, once, train
     * their AOT cache) on pages from a zero-latency simulator in this JVM.
     */
    private double warmUp(Scraper scraper, DownloadAll model) throws Exception {
        if (jitWarmupPages == 0) return 0;
        long start = System.nanoTime();
        try (var local = new SiteSim.Server(new SiteSim.Plan(jitWarmupPages, 0, 0, 40, 7), 0)) {
            List<String> urls = local.siteList().stream().map(SiteSim.SiteInfo::url).toList();
            for (SiteResult page : model.downloadAll(scraper, urls))
                if (!page.ok()) throw new IOException("a download before the clock failed: " + page.error());
        }
        return (System.nanoTime() - start) / 1e9;
    }

    /**
     * What one download and parse costs in CPU, here and in the simulator, measured as the run spends it: a batch of
     * the simulator's own sites sent at once (its /calibrate/ path: the same latencies and pages, not counted), on a
     * fresh client's new connections, none closed while measured. The first two thirds of the pages warm the
     * JIT up (a fresh JVM costs 3-5x more a page for its first few hundred, and compiles for thousands more); the
     * last third is measured. Both on clients of their own, so that the run's client finds no connection open.
     */
    private LowerBound.PageCost calibrate(SimProcess simulator, int pages) throws ExecutionException, InterruptedException {
        int measured = pages / 3;
        try (Scraper warming = newScraper()) {
            downloadAtOnce(warming, simulator, pages - measured);
        }
        try (Scraper fresh = newScraper()) {
            long cpu = JvmUsage.processCpuNanos();
            double simCpu = simulator.cpuSeconds();
            downloadAtOnce(fresh, simulator, measured);
            return new LowerBound.PageCost(measured, (JvmUsage.processCpuNanos() - cpu) / 1e6 / measured,
                    (simulator.cpuSeconds() - simCpu) * 1000 / measured);
        }
    }

    private static void downloadAtOnce(Scraper scraper, SimProcess simulator, int pages) throws ExecutionException, InterruptedException {
        try (var lanes = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < pages; i++) {
                String url = simulator.baseUrl() + "calibrate/" + i;
                done.add(lanes.submit(() -> download(scraper, url)));
            }
            for (var page : done) page.get();
        }
    }

    private static Void download(Scraper scraper, String url) throws IOException {
        SiteResult page = scraper.download(url);
        if (!page.ok()) throw new IOException("a download before the clock failed: " + page.error());
        return null;
    }

    /** ": 1.17x of it", or nothing for a run that did not download every page. */
    private static String ratio(ScrapeReport report, double bound) {
        return report.failed() > 0 ? "" : String.format(": %.2fx of it", report.seconds() / bound);
    }

    /** Failures listed one by one up to this many; past it, grouped by reason. */
    private static final int FAILURES_SHOWN = 20;

    void print(ScrapeReport report) {
        if (json.on) {
            System.out.println(ChildJvm.JSON.toJson(report));
            return;
        }
        boolean eachFailure = verbose || report.failed() <= FAILURES_SHOWN;
        for (SiteResult r : report.results()) {
            if (r.ok() && verbose)
                System.out.printf("  ok     %-45s %3d %,9d B %5d ms  %s (%d links)%n", r.url(), r.status(), r.bytes(), r.millis(), r.title(), r.links());
            else if (!r.ok() && eachFailure)
                System.out.printf("  FAILED %-45s %s%n", r.url(), r.error());
        }
        if (!eachFailure) {   // hundreds of lines (the url_list offline: 800) say less than a count per reason
            Map<String, List<SiteResult>> byReason = new java.util.LinkedHashMap<>();
            for (SiteResult r : report.results()) if (!r.ok()) byReason.computeIfAbsent(r.error(), k -> new ArrayList<>()).add(r);
            byReason.entrySet().stream().sorted((a, b) -> b.getValue().size() - a.getValue().size())
                    .forEach(e -> System.out.printf("  FAILED %,6d x %s (e.g. %s)%n", e.getValue().size(), e.getKey(), e.getValue().getFirst().url()));
            System.out.printf("  (%,d failures, grouped by reason: --verbose lists each, --json gives every result)%n", report.failed());
        }
        System.out.printf("%s download of %,d sites - Duration: %.2f seconds%n", Models.name(report.model()), report.tasks(), report.seconds());
        System.out.printf("  %,d ok, %,d failed; CPU %.2f s, peak RSS %.0f MiB (heap at most %.0f MiB), peak live platform threads %d%n",
                report.ok(), report.failed(), report.cpuSeconds(), report.peakRssMiB(), report.maxHeapMiB(), report.peakThreads());
        boolean complete = report.failed() == 0;
        if (report.latencyBoundSeconds() != null) {
            System.out.printf("  latency bound %.2f s (%s)%s%n", report.latencyBoundSeconds(),
                    report.lanes() == null ? "the longest latency" : report.lanes() + " lane(s)", ratio(report, report.latencyBoundSeconds()));
            LowerBound.PageCost cost = report.pageCost();
            if (cost != null && report.costBoundSeconds() != null)
                System.out.printf("  cost bound %.2f s (each request also holds its lane for its CPU: %.2f ms here + %.2f ms in the simulator)%s%n",
                        report.costBoundSeconds(), cost.clientMs(), cost.simMs(), ratio(report, report.costBoundSeconds()));
            if (cost != null)
                System.out.printf("  work bound %.2f s (%.2f ms of CPU a page here x %,d pages, + the simulator's %.2f s, / %d cores)%s%n",
                        report.workBoundSeconds(), cost.clientMs(), report.tasks(), report.simCpuSeconds(),
                        Runtime.getRuntime().availableProcessors(), ratio(report, report.workBoundSeconds()));
            if (!complete) System.out.println("  no ratio to the bounds: the run did not download every page");
        }
        if (report.simCpuSeconds() != null) {   // the simulator shares the cores: how busy were they?
            int cores = Runtime.getRuntime().availableProcessors();
            double busy = (report.cpuSeconds() + report.simCpuSeconds()) / cores;
            // the CPU clocks are read a moment apart from the wall clock: a hair over 100% is 100%
            System.out.printf("  the simulator used %.2f s of CPU; with this run's %.2f s, the %d cores were busy %.0f%% of the run%n",
                    report.simCpuSeconds(), report.cpuSeconds(), cores, Math.min(100, 100 * busy / report.seconds()));
        }
    }
}


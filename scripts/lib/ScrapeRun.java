//DEPS info.picocli:picocli:4.7.7
//DEPS com.google.code.gson:gson:2.13.2
//SOURCES Scraper.java ChildJvm.java JvmUsage.java Comparison.java ../site_sim.java

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.reflect.TypeToken;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** A model: download every URL, return one result per URL in input order. */
@FunctionalInterface
interface DownloadAll {
    List<SiteResult> downloadAll(Scraper scraper, List<String> urls) throws Exception;
}

/** What every ws_ script prints with --json, and what the driver reads back. */
record ScrapeReport(String model, int tasks, int ok, int failed, double seconds, double startedAt, Integer lanes,
                    Double lowerBoundSeconds, double cpuSeconds, double peakRssMiB, int peakThreads,
                    List<SiteResult> results) {
    static final Gson JSON = new GsonBuilder().serializeNulls().create();

    /**
     * The run as timeline spans, one lane per thread that waited for a page (per child process, per request
     * when no thread waited): thin while the site answers, thick while the page is parsed. Seconds from
     * {@code startedAt}, when the clock started; lanes in the order they started.
     */
    List<Comparison.Span> spans() {
        List<Comparison.Span> spans = new ArrayList<>();
        for (int i = 0; i < results.size(); i++) {
            SiteResult.Trace trace = results.get(i).trace();
            if (trace == null) continue;   // never started: nothing ran
            String lane = trace.thread() != null ? trace.thread() : "request " + (i + 1);
            spans.add(new Comparison.Span(lane, trace.sentAt() - startedAt, trace.receivedAt() - startedAt, false));
            spans.add(new Comparison.Span(lane, trace.receivedAt() - startedAt, trace.doneAt() - startedAt, true));
        }
        spans.sort(java.util.Comparator.comparingDouble(Comparison.Span::start));
        return spans;
    }

    /** Draws the spans, and says in one line what the picture shows: how many lanes, how long they waited and worked. */
    String drawTimeline(Path file) throws IOException {
        List<Comparison.Span> spans = spans();
        List<String> lanes = Comparison.timeline(file, model + ", " + tasks + " downloads: one lane per "
                + (model.equals("CompletableFuture") ? "request (no thread waits)" : model.equals("Processes") ? "process" : "thread")
                + "; thin: waiting for the site, thick: parsing", spans);
        double waiting = spans.stream().filter(s -> !s.running()).mapToDouble(s -> s.end() - s.start()).sum();
        double parsing = spans.stream().filter(Comparison.Span::running).mapToDouble(s -> s.end() - s.start()).sum();
        return String.format("%s timeline written to %s: %d lanes, %.2f s waiting for sites and %.2f s parsing in all",
                model, file, lanes.size(), waiting, parsing);
    }
}

/**
 * The options every web-scrape script shares (picocli mixin), and the one place that loads the URLs,
 * times the model and prints its report, so that each ws_ script holds nothing but its model.
 */
class ScrapeRun {
    @Option(names = "--urls", paramLabel = "FILE",
            description = "URL list, one per line, # for comments (default: url_list at the repo root).")
    Path urls;
    @Option(names = "--repeat", description = "Download the list this many times over (default: 10 for a URL file, 1 with --sim).")
    Integer repeat;
    @Option(names = "--sim", description = "Start the site simulator (scripts/site_sim.java) in its own JVM and download its sites.")
    boolean sim;
    @Option(names = "--sites", description = "Sites the simulator serves, with --sim (default: ${DEFAULT-VALUE}).")
    int sites = 80;
    @Option(names = "--timeout", paramLabel = "SECONDS",
            description = "Per request: for the headers, then again for the body (default: ${DEFAULT-VALUE}).")
    double timeoutSeconds = 10;
    @Option(names = "--max-bytes", description = "Read at most this much of a body; a longer one is cut and reported (default: ${DEFAULT-VALUE}).")
    long maxBytes = 5L * 1024 * 1024;
    @Option(names = "--json", description = "Print one JSON object on stdout and nothing else there.")
    boolean json;
    @Option(names = "--jit-warmup", paramLabel = "PAGES",
            description = "Before the clock starts, download and parse this many pages from a simulator inside this JVM,"
                    + " so the time is the model's, not class loading's and the JIT's; 0 shows a cold JVM (default: ${DEFAULT-VALUE}).")
    int jitWarmupPages = 50;
    @Option(names = {"-v", "--verbose"}, description = "Print every site, not only the failed ones.")
    boolean verbose;
    @Option(names = "--timeline", paramLabel = "FILE",
            description = "Also draw the run, one lane per thread (per process; per request when none waits): FILE.png or FILE.svg;"
                    + " the driver draws each model's last run to FILE-model.png.")
    Path timeline;

    private final CountDownLatch reported = new CountDownLatch(1);

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

    /** Checks the numbers a user can get wrong; says what is wrong in one line on stderr. */
    boolean optionsValid(String command) {
        String problem = timeoutSeconds >= 0.001 && maxBytes > 0 && sites > 0 && jitWarmupPages >= 0 && (repeat == null || repeat > 0)
                ? Comparison.chartFileProblem(timeline, "--timeline")
                : "--timeout, --max-bytes, --sites and --repeat must be positive, --jit-warmup at least 0";
        if (problem == null) return true;
        System.err.println(command + ": " + problem);
        return false;
    }

    /** Loads the URLs, runs the model once and prints its report. Returns the exit code. */
    int measure(String model, Integer lanes, DownloadAll downloadAll) {
        if (!optionsValid(model)) {
            reported.countDown();
            return CommandLine.ExitCode.USAGE;
        }
        try (SimProcess simulator = sim ? SimProcess.start(sites) : null) {
            List<String> list;
            Map<String, Integer> latencies = Map.of();
            if (simulator != null) {
                latencies = simulator.latencies();
                list = new ArrayList<>(latencies.keySet());
            } else {
                list = UrlList.read(urls);
            }
            list = UrlList.repeat(list, repeat != null ? repeat : sim ? 1 : 10);
            ScrapeReport report = time(model, lanes, list, latencies, downloadAll);
            print(report);
            System.out.flush();
            if (timeline != null) System.err.println(report.drawTimeline(timeline));
            return CommandLine.ExitCode.OK;
        } catch (UrlList.BadInput e) {
            System.err.println(e.getMessage());
            return CommandLine.ExitCode.USAGE;
        } catch (Exception e) {
            System.err.println(model + ": " + e);
            return CommandLine.ExitCode.SOFTWARE;
        } finally {
            reported.countDown();
        }
    }

    private ScrapeReport time(String model, Integer lanes, List<String> list, Map<String, Integer> latencies,
                      DownloadAll downloadAll) throws Exception {
        if (!json) System.out.printf("Starting %s download of %,d sites...%n", model, list.size());
        JvmUsage usage;
        double startedAt;
        List<SiteResult> results;
        double seconds;
        try (Scraper scraper = newScraper()) {
            double warmUp = warmUp(scraper);
            if (!json && jitWarmupPages > 0)
                System.out.printf("  (JIT warm-up, not timed: %d pages in %.2f s)%n", jitWarmupPages, warmUp);
            usage = JvmUsage.start();
            startedAt = SiteResult.Trace.now();
            long start = System.nanoTime();
            results = downloadAll.downloadAll(scraper, list);
            seconds = (System.nanoTime() - start) / 1e9;
        }
        if (results.size() != list.size())
            throw new IllegalStateException("the model returned " + results.size() + " results for " + list.size() + " URLs");
        int ok = (int) results.stream().filter(SiteResult::ok).count();
        Double bound = latencies.isEmpty() ? null : LowerBound.seconds(list.stream().map(latencies::get).toList(), lanes);
        return new ScrapeReport(model, list.size(), ok, list.size() - ok, seconds, startedAt, lanes, bound,
                usage.cpuSeconds(), usage.peakRssMiB(), usage.peakThreads(), results);
    }

    Scraper newScraper() {
        return new Scraper(Duration.ofMillis((long) (timeoutSeconds * 1000)), maxBytes);
    }

    /** The options a child JVM needs to download exactly as this one does. */
    List<String> scraperArgs() {
        return List.of("--timeout", String.valueOf(timeoutSeconds), "--max-bytes", String.valueOf(maxBytes));
    }

    /** Loads and compiles what a download runs (HttpClient, Jsoup) on pages from a zero-latency simulator. */
    private double warmUp(Scraper scraper) throws IOException {
        if (jitWarmupPages == 0) return 0;
        long start = System.nanoTime();
        try (var local = new site_sim.Server(new site_sim.Plan(jitWarmupPages, 0, 0, 40, 7), 0)) {
            for (site_sim.SiteInfo site : local.siteList()) {
                SiteResult page = scraper.download(site.url());
                if (!page.ok()) throw new IOException("JIT warm-up download failed: " + page.error());
            }
        }
        return (System.nanoTime() - start) / 1e9;
    }

    void print(ScrapeReport report) {
        if (json) {
            System.out.println(ScrapeReport.JSON.toJson(report));
            return;
        }
        for (SiteResult r : report.results()) {
            if (r.ok() && verbose)
                System.out.printf("  ok     %-45s %3d %,9d B %5d ms  %s (%d links)%n", r.url(), r.status(), r.bytes(), r.millis(), r.title(), r.links());
            else if (!r.ok())
                System.out.printf("  FAILED %-45s %s%n", r.url(), r.error());
        }
        System.out.printf("%s download of %,d sites - Duration: %.2f seconds%n", report.model(), report.tasks(), report.seconds());
        System.out.printf("  %,d ok, %,d failed; CPU %.2f s, peak RSS %.0f MiB, peak live platform threads %d%n",
                report.ok(), report.failed(), report.cpuSeconds(), report.peakRssMiB(), report.peakThreads());
        if (report.lowerBoundSeconds() != null)
            System.out.printf("  lower bound %.2f s (%s): %.2fx of it%n", report.lowerBoundSeconds(),
                    report.lanes() == null ? "the longest latency" : report.lanes() + " lane(s)",
                    report.seconds() / report.lowerBoundSeconds());
    }
}

/** The URL list file: one URL per line; blank lines and # comments are skipped. */
final class UrlList {
    static final class BadInput extends Exception {
        BadInput(String message) { super(message); }
    }

    /** The default list is the repo's url_list, whether the user runs from the repo root or scripts/. */
    static Path defaultFile() {
        for (Path candidate : List.of(Path.of("url_list"), Path.of("..", "url_list")))
            if (Files.isRegularFile(candidate)) return candidate;
        return Path.of("url_list");
    }

    static List<String> read(Path file) throws BadInput, IOException {
        Path path = file != null ? file : defaultFile();
        if (!Files.isRegularFile(path))
            throw new BadInput("URL file not found: " + path + " (run from the repo root, pass --urls FILE, or use --sim)");
        List<String> urls = Files.readAllLines(path, StandardCharsets.UTF_8).stream()
                .map(String::strip).filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();
        if (urls.isEmpty()) throw new BadInput("no URLs in " + path + " (only blank lines and # comments)");
        return urls;
    }

    static List<String> repeat(List<String> urls, int times) throws BadInput {
        if (times < 1) throw new BadInput("--repeat must be at least 1, got " + times);
        List<String> repeated = new ArrayList<>(urls.size() * times);
        for (int i = 0; i < times; i++) repeated.addAll(urls);
        return repeated;
    }
}

/**
 * The fastest a model could be on the simulator, whose latencies are known. Unbounded concurrency
 * (lanes == null): the longest latency. A pool of k lanes (serial is k = 1): the schedule a perfect pool
 * follows, each URL in list order to the first free lane, which is never less than max(longest, sum / k).
 */
final class LowerBound {
    static double seconds(List<Integer> latenciesMs, Integer lanes) {
        if (lanes == null) return latenciesMs.stream().mapToInt(Integer::intValue).max().orElse(0) / 1000.0;
        PriorityQueue<Long> freeAt = new PriorityQueue<>();
        for (int i = 0; i < lanes; i++) freeAt.add(0L);
        long end = 0;
        for (int latency : latenciesMs) {
            long done = freeAt.poll() + latency;
            freeAt.add(done);
            end = Math.max(end, done);
        }
        return end / 1000.0;
    }
}

/** The site simulator in its own JVM (never inside the measured one), stopped on close or on exit. */
final class SimProcess implements AutoCloseable {
    private final Process process;
    private final String baseUrl;
    private final Thread stopOnExit;

    private SimProcess(Process process, String baseUrl) {
        this.process = process;
        this.baseUrl = baseUrl;
        this.stopOnExit = new Thread(process::destroyForcibly);
        Runtime.getRuntime().addShutdownHook(stopOnExit);
    }

    static SimProcess start(int sites, String... extraArgs) throws IOException {
        List<String> args = new ArrayList<>(List.of("--port", "0", "--sites", String.valueOf(sites)));
        args.addAll(List.of(extraArgs));
        Process process = new ProcessBuilder(ChildJvm.command("site_sim", args))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        var stdout = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String ready = stdout.readLine();    // "site_sim listening on http://127.0.0.1:PORT/ ..."
        if (ready == null || !ready.startsWith("site_sim listening on ")) {
            process.destroyForcibly();
            throw new IOException("the site simulator did not start (exit code " + waitFor(process) + ")");
        }
        Thread.ofVirtual().start(() -> stdout.lines().forEach(line -> { }));   // keep its pipe drained
        return new SimProcess(process, ready.split(" ")[3]);
    }

    String baseUrl() {
        return baseUrl;
    }

    /** URL to latency in ms of every site, as the simulator itself reports them. */
    Map<String, Integer> latencies() throws IOException, InterruptedException {
        try (HttpClient client = HttpClient.newHttpClient()) {
            String body = client.send(HttpRequest.newBuilder(URI.create(baseUrl + "sites")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            List<site_sim.SiteInfo> sites = new Gson().fromJson(body, new TypeToken<List<site_sim.SiteInfo>>() {}.getType());
            Map<String, Integer> latencies = new LinkedHashMap<>();   // in site order
            sites.forEach(site -> latencies.put(site.url(), site.latencyMs()));
            return latencies;
        }
    }

    @Override
    public void close() {
        process.destroy();
        waitFor(process);
        try {
            Runtime.getRuntime().removeShutdownHook(stopOnExit);
        } catch (IllegalStateException e) {
            // already shutting down: the hook runs anyway
        }
    }

    private static int waitFor(Process process) {
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly();
            return process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}

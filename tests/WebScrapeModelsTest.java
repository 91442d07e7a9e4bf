//SOURCES ../scripts/ws_serial.java ../scripts/ws_threads.java ../scripts/ws_virtual.java ../scripts/ws_processes.java ../scripts/ws_completable.java ../scripts/ws_structured.java ../scripts/ws_eventloop.java ../scripts/ws_reactive.java

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The six models, called in the test JVM against the simulator: same answers, real concurrency, clear failures. */
class WebScrapeModelsTest {
    static SiteSim.Server sim;
    static TestSupport.HostileServer hostile;
    static Scraper scraper;
    static String base;

    @BeforeAll
    static void start() throws IOException {
        hostile = new TestSupport.HostileServer();
        sim = TestSupport.simulator(20, 5, 30);
        base = sim.baseUrl();
        scraper = new Scraper(Duration.ofSeconds(1), 100_000);
    }

    @AfterAll
    static void stop() throws IOException {
        scraper.close();
        sim.close();
        hostile.close();
    }

    static final List<String> CHILD_ARGS = ws_processes.childArgs(java.time.Duration.ofSeconds(1), 100_000);

    static DownloadAll model(String name) {
        return switch (name) {
            case "serial" -> ws_serial::downloadAll;
            case "threads" -> (s, urls) -> ws_threads.downloadAll(s, urls, 10);
            case "virtual" -> ws_virtual::downloadAll;
            case "processes" -> (s, urls) -> ws_processes.downloadAll(urls, 2, CHILD_ARGS, usage -> { });
            case "completable" -> ws_completable::downloadAll;
            case "structured" -> (s, urls) -> ws_structured.downloadAll(s, urls, null);
            case "eventloop" -> ws_eventloop::downloadAll;
            case "reactive" -> (s, urls) -> ws_reactive.downloadAll(s, urls, 256);
            default -> throw new IllegalArgumentException(name);
        };
    }

    /** Every kind of bad input, with the words its result must carry. */
    static Map<String, String> faults() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Map<String, String> faults = new LinkedHashMap<>();
        faults.put("not a url at all", "malformed URL");
        faults.put("www.example.com/no-scheme", "malformed URL: no scheme");
        faults.put("file:///etc/passwd", "unsupported scheme 'file'");
        faults.put("ftp://ftp.example.com/file.txt", "unsupported scheme 'ftp'");
        faults.put("http://no-such-host.invalid/", "host does not resolve");
        faults.put("http://127.0.0.1:" + closedPort + "/", "connection refused");
        faults.put(base + "status/404", "HTTP 404");
        faults.put(base + "status/500", "HTTP 500");
        faults.put(base + "stall/headers", "no response headers within 1.0 s");
        faults.put(base + "stall/body", "body stalled");
        faults.put(base + "big/200000", "body larger than --max-bytes 100,000");
        faults.put(base + "reset", "connection closed by the server");
        faults.put(base + "redirect/loop", "HTTP 302: too many redirects");
        faults.put(base + "redirect/file", "HTTP 302: redirect to an unsupported scheme 'file' (file:///etc/passwd): not followed");
        faults.put(hostile.baseUrl() + "cut/chunked", "body cut short: the connection ended before the chunked body's last chunk");
        faults.put(hostile.baseUrl() + "cut/length", "body cut short: the connection ended after 1043 of 40000 bytes (Content-Length)");
        faults.put("http://bücher.invalid/ü", "host does not resolve");   // an IDN host is a host, not a malformed URL
        return faults;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"serial", "threads", "virtual", "processes", "completable", "structured", "reactive"})
    void everyUrlAppearsOnceOkOrFailedWithItsReason(String name) throws Exception {
        Map<String, String> faults = faults();
        List<String> good = TestSupport.concat(TestSupport.siteUrls(sim), List.of(base + "redirect/3"));   // a redirect followed is ok
        List<String> urls = TestSupport.concat(good, new ArrayList<>(faults.keySet()));
        List<SiteResult> results = model(name).downloadAll(scraper, urls);
        assertEquals(urls, results.stream().map(SiteResult::url).toList(), "one result per URL, in input order");
        for (SiteResult r : results) {
            String expected = faults.get(r.url());
            if (expected == null) {
                assertNull(r.error(), r.url());
                assertEquals(200, r.status());
                assertTrue(r.title().startsWith("Simulated site "), r.title());
                assertTrue(r.links() >= 10 && r.bytes() > 20_000, r.toString());
            } else {
                assertTrue(r.error() != null && r.error().contains(expected), r.url() + ": expected '" + expected + "', got: " + r.error());
            }
        }
        SiteResult cut = results.stream().filter(r -> r.url().endsWith("big/200000")).findFirst().orElseThrow();
        assertEquals(100_000, cut.bytes(), "a body over --max-bytes is cut there, not read whole");
    }

    @Test
    void aSiteResultCrossesThePipeWholeAndAnythingElseIsRefused() {
        var trace = new SiteResult.Trace("ws_processes child 4242", 1_764_200_000.125, 1_764_200_000.5, 1_764_200_000.625);
        for (var result : List.of(new SiteResult("http://127.0.0.1:1/site/0", 200, 40_960, "Site \"0\" é", 12, 312, null, trace),
                SiteResult.failed("http://127.0.0.1:1/site/1", 10_000, "no response headers within 10.0 s")))
        {
            assertEquals(result, SiteResult.fromJson(JsonParser.parseString(ChildJvm.JSON.toJson(result.toJson()))));
            assertEquals(result, SiteResult.fromJson(ChildJvm.JSON.toJsonTree(result)));   // the fields of the --json report
        }
        for (String notOne : List.of("\"word\"", "{\"url\":\"u\"}",
                "{\"url\":\"u\",\"status\":200,\"bytes\":1,\"title\":null,\"links\":0,\"millis\":1,\"error\":null,\"trace\":7}"))
            assertThrows(JsonParseException.class, () -> SiteResult.fromJson(JsonParser.parseString(notOne)), notOne);
    }

    @Test
    void everyModelReturnsTheSameResultsForTheSameUrls() throws Exception {
        List<String> urls = TestSupport.concat(TestSupport.siteUrls(sim), new ArrayList<>(faults().keySet()));
        List<String> expected = null;
        for (String name : List.of("serial", "threads", "virtual", "processes", "completable", "structured", "reactive")) {
            // everything but the time, which is the point of comparing them
            List<String> results = model(name).downloadAll(scraper, urls).stream()
                    .map(r -> String.join("|", r.url(), "" + r.status(), "" + r.bytes(), "" + r.title(), "" + r.links(), "" + r.error()))
                    .toList();
            if (expected == null) expected = results;
            else assertEquals(expected, results, name + " differs from serial");
        }
    }

    /** The simulator counts requests in flight: the peak shows how many downloads really overlapped. */
    @ParameterizedTest(name = "{0}: peak in flight {1}..{2}")
    @CsvSource({"serial, 1, 1, 8", "threads, 10, 10, 80", "virtual, 80, 80, 80", "completable, 80, 80, 80",
            "structured, 80, 80, 80", "processes, 1, 2, 8", "eventloop, 80, 80, 80", "reactive, 80, 80, 80"})
    void concurrencyIsRealAsTheSimulatorSeesIt(String name, int least, int most, int urls) throws Exception {
        try (SiteSim.Server slow = TestSupport.simulator(80, 300, 400)) {
            List<SiteResult> results = model(name).downloadAll(scraper, TestSupport.siteUrls(slow).subList(0, urls));
            assertTrue(results.stream().allMatch(SiteResult::ok), results.toString());
            int peak = slow.stats().peakInFlight();
            assertTrue(peak >= least && peak <= most, name + ": peak in flight " + peak + ", expected " + least + ".." + most);
        }
    }

    /**
     * At scale: 2,000 downloads from a simulator that answers after 3 s, every result once and ok, and the
     * unbounded models really have them all waiting at once (the bodies are read only when a core is free,
     * but no limit applies to how many wait).
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"virtual", "completable", "structured", "eventloop"})
    void twoThousandDownloadsAllWaitAtOnceAndEachComesBackOnce(String name) throws Exception {
        // the simulator in its own JVM, as --sim runs it: this JVM has the scripts' 256 MiB heap for the client alone
        try (SimProcess slow = SimProcess.start(new SiteSim.Plan(2_000, 3_000, 3_000, 40, 42));
             Scraper patient = new Scraper(Duration.ofSeconds(60), 100_000)) {
            List<String> urls = List.copyOf(slow.latencies().keySet());
            List<SiteResult> results = model(name).downloadAll(patient, urls);
            assertEquals(urls, results.stream().map(SiteResult::url).toList(), "one result per URL, in input order");
            assertTrue(results.stream().allMatch(SiteResult::ok), results.stream().filter(r -> !r.ok()).findFirst().toString());
            int peak = slow.peakInFlight();
            assertTrue(peak >= 1_800, name + ": only " + peak + " of 2,000 in flight at once");
        }
    }

    /** What --timeline draws: a lane per thread that waited (per child process; per request when none did). */
    @ParameterizedTest(name = "{0}: {1} lane(s) named {2}")
    @CsvSource({"serial, 1, main", "threads, 10, pool-", "virtual, 20, virtual #", "structured, 20, virtual #",
            "completable, 20, request ", "processes, 2, process ", "reactive, 20, request "})
    void everyDownloadSaysWhichThreadWaitedForItAndWhen(String name, int lanes, String laneName) throws Exception {
        List<String> urls = TestSupport.siteUrls(sim);
        double before = SiteResult.Trace.now();
        List<SiteResult> results = model(name).downloadAll(scraper, urls);
        double after = SiteResult.Trace.now();
        for (SiteResult r : results) {
            var t = r.trace();
            assertTrue(before <= t.sentAt() && t.sentAt() <= t.receivedAt() && t.receivedAt() <= t.doneAt() && t.doneAt() <= after,
                    "sent, received and parsed in that order, within the run: " + r);
        }
        var report = new ScrapeReport(name, "thread", urls.size(), urls.size(), 0, after - before, before, null, null, null, null, null, null, 0, 0, 0, 0, results);
        Map<String, List<Charts.Span>> byLane = report.spans().stream()
                .collect(java.util.stream.Collectors.groupingBy(Charts.Span::lane, LinkedHashMap::new, java.util.stream.Collectors.toList()));
        assertEquals(lanes, byLane.size(), byLane.keySet().toString());
        String expected = name.equals("serial") ? Thread.currentThread().getName() : laneName;
        assertTrue(byLane.keySet().stream().allMatch(lane -> lane.startsWith(expected)), byLane.keySet().toString());
        if (name.equals("processes"))
            assertTrue(byLane.keySet().stream().noneMatch(lane -> lane.equals("process " + ProcessHandle.current().pid())), "the children's pids");
        for (List<Charts.Span> lane : byLane.values())   // a thread waits for one page at a time
            for (int i = 1; i < lane.size(); i++)
                assertTrue(lane.get(i).start() >= lane.get(i - 1).end() - 1e-6, "overlapping spans in one lane: " + lane);
    }

    /**
     * The event loop: every callback on one thread, so every page parsed there one after another (its parse spans
     * never overlap, its waits all do); every URL once, the good ones as every model returns them, each fault
     * failed with a reason (Vert.x words some differently), a body over --max-bytes cut there as in every model.
     */
    @Test
    void theEventLoopRunsEveryCallbackOnOneThreadAndReportsEveryUrlOnce() throws Exception {
        Map<String, String> faults = faults();
        List<String> urls = TestSupport.concat(TestSupport.siteUrls(sim), new ArrayList<>(faults.keySet()));
        List<SiteResult> results = model("eventloop").downloadAll(scraper, urls);
        assertEquals(urls, results.stream().map(SiteResult::url).toList(), "one result per URL, in input order");
        List<SiteResult> serial = model("serial").downloadAll(scraper, TestSupport.siteUrls(sim));
        for (int i = 0; i < serial.size(); i++) {
            SiteResult loop = results.get(i), reference = serial.get(i);
            assertEquals(List.of(reference.status(), reference.bytes(), reference.title(), reference.links()),
                    List.of(loop.status(), loop.bytes(), loop.title(), loop.links()), loop.url());
            assertNull(loop.error(), loop.url());
        }
        for (SiteResult r : results.subList(serial.size(), results.size()))
            assertTrue(r.error() != null && !r.error().isBlank(), r.url() + " failed without a reason: " + r);
        for (String same : List.of("not a url at all", "file:///etc/passwd", "http://no-such-host.invalid/", base + "status/404", base + "big/200000"))
            assertTrue(results.get(urls.indexOf(same)).error().contains(faults.get(same)), same + ": " + results.get(urls.indexOf(same)).error());
        SiteResult cut = results.get(urls.indexOf(base + "big/200000"));
        assertEquals(100_000, cut.bytes(), "a body over --max-bytes is cut there, not held whole: " + cut);
        assertTrue(cut.error().endsWith(": cut there"), cut.error());
        Set<String> threads = results.stream().map(r -> r.trace().thread()).collect(java.util.stream.Collectors.toSet());
        assertEquals(1, threads.size(), "every callback on one thread: " + threads);
        assertTrue(threads.iterator().next().startsWith("vert.x-eventloop-thread-"), threads.toString());
        List<SiteResult> parsed = results.stream().filter(r -> r.trace().doneAt() > r.trace().receivedAt())
                .sorted(java.util.Comparator.comparingDouble(r -> r.trace().receivedAt())).toList();
        for (int i = 1; i < parsed.size(); i++)
            assertTrue(parsed.get(i).trace().receivedAt() >= parsed.get(i - 1).trace().doneAt() - 1e-6, "two pages parsed at once on one loop");
    }

    @Test
    void aChildProcessThatDiesHasItsUnfinishedUrlsFailedWithItsExitCode() throws Exception {
        // a simulator of its own: the other tests leave stalled requests in flight on the shared one
        try (SiteSim.Server sim = TestSupport.simulator(3, 5, 20)) {
            childDiesWhileStalled(sim, sim.baseUrl());
        }
    }

    private static void childDiesWhileStalled(SiteSim.Server sim, String base) throws Exception {
        List<String> urls = List.of(base + "site/0", base + "stall/headers", base + "site/1", base + "site/2");
        List<String> slowChild = ws_processes.childArgs(java.time.Duration.ofSeconds(60), 100_000);
        var run = CompletableFuture.supplyAsync(() -> {
            try {
                return ws_processes.downloadAll(urls, 1, slowChild, usage -> { });
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        ProcessHandle child = null;
        while (child == null && System.nanoTime() < deadline) {   // the child is stuck on the stalled URL
            Thread.sleep(100);
            if (sim.stats().served() > 0 && sim.stats().inFlight() > 0)   // site/0 done, stalled on the next
                child = ProcessHandle.current().children().filter(p -> p.info().commandLine().orElse("").contains("ws_processes"))
                        .findFirst().orElse(null);
        }
        assertTrue(child != null, "the child process never reached the stalled URL");
        child.destroyForcibly();
        List<SiteResult> results = run.get(30, TimeUnit.SECONDS);
        assertEquals(urls, results.stream().map(SiteResult::url).toList());
        assertNull(results.get(0).error());
        assertTrue(results.get(1).error().matches("child process \\d+ died \\(exit code 137\\)"), results.get(1).error());
        assertTrue(results.get(2).error().contains("every child process died (last exit code 137)"), results.get(2).error());
        assertEquals(results.get(2).error(), results.get(3).error());
    }

    @Test
    void structuredDeadlineCancelsWhatIsUnfinishedAndSaysSo() throws Exception {
        List<String> urls = TestSupport.concat(TestSupport.siteUrls(sim).subList(0, 5), List.of(base + "stall/headers"));
        long start = System.nanoTime();
        try (Scraper patient = new Scraper(Duration.ofSeconds(60), 100_000)) {
            List<SiteResult> results = ws_structured.downloadAll(patient, urls, Duration.ofSeconds(1));
            double seconds = (System.nanoTime() - start) / 1e9;
            assertTrue(seconds < 10, "the deadline did not stop the run: " + seconds + " s");
            assertEquals(urls, results.stream().map(SiteResult::url).toList());
            assertTrue(results.subList(0, 5).stream().allMatch(SiteResult::ok), results.toString());
            assertEquals("cancelled: --deadline of 1.0 s passed", results.get(5).error());
        }
    }

    @Test
    void structuredCtrlCCancelsWhatIsUnfinishedAndStillPrintsTheReport() throws Exception {
        try (SiteSim.Server sim = TestSupport.simulator(3, 5, 20)) {
            ctrlCWhileStalled(sim, sim.baseUrl());
        }
    }

    private static void ctrlCWhileStalled(SiteSim.Server sim, String base) throws Exception {
        var urls = TestSupport.urlFile(List.of(base + "site/0", base + "stall/headers"));
        Process run = new ProcessBuilder(ChildJvm.command("ws_structured", List.of(),
                List.of("--urls", urls.toString(), "--repeat", "1", "--timeout", "60", "--jit-warmup", "0"))).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!(sim.stats().served() > 0 && sim.stats().inFlight() > 0) && System.nanoTime() < deadline) Thread.sleep(100);
        assertTrue(sim.stats().inFlight() > 0, "the run never reached the stalled URL");
        Thread.sleep(1000);   // let the cold JVM finish parsing site/0: only the stalled URL is unfinished
        new ProcessBuilder("kill", "-INT", String.valueOf(run.pid())).start().waitFor();
        // A shell that starts jobs in the background makes them ignore SIGINT; SIGTERM runs the same shutdown hook.
        if (!run.waitFor(5, TimeUnit.SECONDS)) new ProcessBuilder("kill", "-TERM", String.valueOf(run.pid())).start().waitFor();
        assertTrue(run.waitFor(20, TimeUnit.SECONDS), "Ctrl-C did not end the run");
        String out = new String(run.getInputStream().readAllBytes());
        assertTrue(out.contains("cancelled: interrupted (Ctrl-C)"), out);
        assertTrue(out.contains("1 ok, 1 failed"), out);
    }
}

//SOURCES ../scripts/webscrape_comparison.java ../scripts/ws_sweep.java

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ComparisonDriverTest {
    static SiteSim.Server sim;
    static Path urls;

    @BeforeAll
    static void start() throws Exception {
        sim = TestSupport.simulator(5, 5, 20);
        urls = TestSupport.urlFile(TestSupport.concat(TestSupport.siteUrls(sim), List.of("http://no-such-host.invalid/")));
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    @Test
    void lowerBoundIsTheLongestLatencyOrThePerfectKLaneSchedule() {
        List<Integer> ms = List.of(100, 200, 300, 400);
        assertEquals(0.4, LowerBound.seconds(ms, null), 1e-9, "unbounded: the longest");
        assertEquals(1.0, LowerBound.seconds(ms, 1), 1e-9, "one lane: the sum");
        // two lanes, in list order to the first free lane: A 100+300, B 200+400
        assertEquals(0.6, LowerBound.seconds(ms, 2), 1e-9, "two lanes: the perfect pool's schedule");
        assertEquals(0.5, LowerBound.seconds(List.of(100, 100, 100, 100, 100, 100, 100, 100, 100, 100), 2), 1e-9, "even tasks: sum / k");
        assertEquals(0.4, LowerBound.seconds(ms, 10), 1e-9, "more lanes than tasks: the longest");
    }

    @Test
    void theCostBoundIsTheSameScheduleWithEachRequestHoldingItsLaneForItsCpu() {
        List<Integer> ms = List.of(100, 200, 300, 400);
        assertEquals(1.0 + 4 * 0.005, LowerBound.seconds(ms, 1, 5), 1e-9, "serial: the sum plus n requests' CPU");
        // two lanes: A 105 + 305, B 205 + 405
        assertEquals(0.61, LowerBound.seconds(ms, 2, 5), 1e-9, "two lanes: the perfect pool's schedule, each request 5 ms longer");
        assertEquals(0.405, LowerBound.seconds(ms, null, 5), 1e-9, "unbounded: the longest, and its own CPU");
        assertEquals(0.6, LowerBound.larger(0.4, 0.5, 0.6), 1e-9, "x bound is to the largest");
        assertEquals(0.4, LowerBound.larger(0.4, null, null), 1e-9, "only the latency bound when nothing was measured");
    }

    @Test
    void csvTableHasARowPerModelAndAHostThatDoesNotResolveFailsInEveryModelAsInItsScript() throws Exception {
        var run = TestSupport.runScript("webscrape_comparison", "--urls", urls.toString(), "--repeat", "2", "--runs", "2",
                "--warmup", "0", "--models", "serial,threads,virtual", "--format", "csv", "--jit-warmup", "0");
        assertEquals(0, run.exitCode(), run.stderr());
        assertTrue(run.stderr().contains("1 of 2 hosts do not resolve (no-such-host.invalid): their URLs fail in every model"), run.stderr());
        List<String> lines = run.stdout().lines().toList();
        assertEquals("model,tasks,ok,failed,median s,min-max s,speedup,CPU s,peak RSS MiB,peak threads", lines.get(0));
        assertEquals(4, lines.size(), run.stdout());
        for (String line : lines.subList(1, 4)) {
            String[] cells = line.split(",");
            assertEquals(List.of("12", "10", "2"), Arrays.asList(cells).subList(1, 4), line);
        }
        assertTrue(lines.get(1).startsWith("serial,") && lines.get(1).contains(",1.0x,"), lines.get(1));
    }

    @Test
    void whenNoHostResolvesTheDriverSaysSoInOneLineAndRunsNoModel() throws Exception {
        Path offline = TestSupport.urlFile(List.of("http://no-such-host.invalid/", "https://nor-this.invalid/"));
        var run = TestSupport.runScript("webscrape_comparison", "--urls", offline.toString(), "--runs", "1", "--warmup", "0");
        assertEquals(1, run.exitCode(), run.stderr());
        assertEquals("webscrape_comparison: no URL left: no host resolved (no internet? try --sim)", run.stderr().strip());
        assertEquals("", run.stdout());
    }

    @Test
    void onTheSimulatorNoModelBeatsItsLowerBound() throws Exception {
        var run = TestSupport.runScript("webscrape_comparison", "--sim", "--sites", "12", "--runs", "1", "--warmup", "0",
                "--models", "threads,virtual,completable,structured", "--threads", "4", "--format", "json", "--jit-warmup", "0");
        assertEquals(0, run.exitCode(), run.stderr());
        var rows = JsonParser.parseString(run.stdout()).getAsJsonObject().getAsJsonArray("rows");
        assertEquals(4, rows.size());
        for (var row : rows) {
            var r = row.getAsJsonObject();
            assertEquals(12, r.get("ok").getAsInt(), r.toString());
            assertTrue(r.get("ratioToBound").getAsDouble() >= 1.0, "beat the physical bound? " + r);
            assertTrue(r.get("ratioToBound").getAsDouble() < 3.0, "far from the bound: " + r);
        }
    }

    @Test
    void withCalibrateEachModelsJvmMeasuresTheCostAndWorkBoundsOnTheDriversSimulator() throws Exception {
        var run = TestSupport.runScript("webscrape_comparison", "--sim", "--sites", "12", "--runs", "1", "--warmup", "0",
                "--models", "virtual,completable", "--calibrate", "40", "--format", "json", "--jit-warmup", "0");
        assertEquals(0, run.exitCode(), run.stderr());
        for (var row : JsonParser.parseString(run.stdout()).getAsJsonObject().getAsJsonArray("rows")) {
            var r = row.getAsJsonObject();
            assertEquals(12, r.get("ok").getAsInt(), r.toString());
            assertTrue(r.get("latencyBoundSeconds").getAsDouble() > 0.3, r.toString());
            assertTrue(r.get("workBoundSeconds").getAsDouble() > 0, r.toString());
            assertTrue(r.get("costBoundSeconds").getAsDouble() > r.get("latencyBoundSeconds").getAsDouble(), "a request costs CPU: " + r);
            double largest = Math.max(r.get("costBoundSeconds").getAsDouble(), r.get("workBoundSeconds").getAsDouble());
            assertEquals(r.get("medianSeconds").getAsDouble() / largest, r.get("ratioToBound").getAsDouble(), 1e-9, "x bound is to the largest");
        }
    }

    @Test
    void markdownAndChartOutputs() throws Exception {
        Path png = Files.createTempFile("chart", ".png");
        Path svg = Files.createTempFile("chart", ".svg");
        for (Path chart : List.of(png, svg)) {
            var run = TestSupport.runScript("webscrape_comparison", "--urls", urls.toString(), "--repeat", "1", "--runs", "1",
                    "--warmup", "0", "--models", "virtual,completable", "--format", "markdown", "--chart", chart.toString(), "--jit-warmup", "0");
            assertEquals(0, run.exitCode(), run.stderr());
            assertTrue(run.stdout().startsWith("| model | tasks | ok |"), run.stdout());
            assertTrue(run.stdout().contains("| virtual | 6 | 5 | 1 |"), run.stdout());
        }
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, Arrays.copyOf(Files.readAllBytes(png), 4));
        assertTrue(Files.readString(svg).contains("<svg"));
    }

    @Test
    void timelineDrawsEachModelsLastRunInItsOwnFile() throws Exception {
        Path folder = Files.createTempDirectory("timelines");
        var run = TestSupport.runScript("webscrape_comparison", "--urls", urls.toString(), "--repeat", "1", "--runs", "1",
                "--warmup", "0", "--models", "threads,processes,completable", "--threads", "2", "--jit-warmup", "0",
                "--timeline", folder.resolve("run.png").toString());
        assertEquals(0, run.exitCode(), run.stderr());
        for (String model : List.of("threads", "processes", "completable"))
            assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, Arrays.copyOf(Files.readAllBytes(folder.resolve("run-" + model + ".png")), 4), model);
        try (var files = Files.list(folder)) {
            assertEquals(3, files.count(), "one file per model, nothing else");
        }
    }

    @Test
    void theReportIsOnePageWithEveryModelsRowChartSentenceAndTimeline() throws Exception {
        Path html = Files.createTempDirectory("report").resolve("run.html");
        List<String> models = List.of("serial", "threads", "processes", "completable");
        var run = TestSupport.runScript("webscrape_comparison", "--urls", urls.toString(), "--repeat", "1", "--runs", "1",
                "--warmup", "0", "--models", String.join(",", models), "--threads", "2", "--jit-warmup", "0", "--report", html.toString());
        assertEquals(0, run.exitCode(), run.stderr());
        assertTrue(run.stderr().contains("report written to " + html), run.stderr());
        var page = TestSupport.modelReport(html, "webscrape_comparison", models, webscrape_comparison.WHY);
        assertTrue(page.select("p").text().contains("Fastest: "), page.select("p").text());
    }

    @Test
    void namedLanesAreInCountingOrderNotStartOrder() {
        List<String> lanes = List.of("platform Thread-10", "platform Thread-2", "worker 3 (pid 7)", "platform Thread-1", "worker 12 (pid 5)");
        assertEquals(List.of("platform Thread-1", "platform Thread-2", "platform Thread-10", "worker 3 (pid 7)", "worker 12 (pid 5)"),
                lanes.stream().sorted(Charts.NATURAL).toList());
        var spans = lanes.stream().map(lane -> new Charts.Span(lane, 0, 1, true, "#1")).toList();
        assertEquals(lanes.stream().sorted(Charts.NATURAL).toList(), Charts.timeline("lanes", spans).lanes());
    }

    @Test
    void aTimelineOfThousandsOfThreadsDrawsTheFirst400Lanes() throws Exception {
        List<Charts.Span> spans = new java.util.ArrayList<>();
        for (int i = 0; i < 2_000; i++) spans.add(new Charts.Span("virtual #" + i, i / 1000.0, 1 + i / 1000.0, false));
        Path png = Files.createTempDirectory("timeline").resolve("many.png");
        Charts.timeline(png, "2,000 lanes", spans);
        int height = java.nio.ByteBuffer.wrap(Files.readAllBytes(png), 20, 4).getInt();   // the PNG header's height
        assertEquals(150 + 3 * Charts.MAX_LANES, height, "400 lanes of 3 pixels, not 2,000");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "--models serial,gevent | unknown model(s) [gevent]",
            "--models serial,serial | model(s) [serial] asked for twice",
            "--models , | --models needs model names",
            "--threads 0 | --threads must be at least 1, got 0",
            "--report run.txt | --report takes a .html file name, got run.txt",
            "--chart /proc/chart.png | --chart: cannot write to the folder /proc"})
    void badArgumentsAreUsageErrorsFoundBeforeAnyRun(String args, String message) throws Exception {
        Path simOnly = TestSupport.urlFile(TestSupport.siteUrls(sim));   // were a check missed, the run would stay on 127.0.0.1
        var run = TestSupport.runScript("webscrape_comparison", (args.strip() + " --urls " + simOnly).split(" "));
        assertEquals(2, run.exitCode(), run.stderr());
        assertTrue(run.stderr().contains(message), run.stderr());
        assertEquals(1, run.stderr().strip().lines().count(), run.stderr());
    }

    @Test
    void aRunPastTheRunLimitIsKilledAndSaidInOneLine() throws Exception {
        Path stall = TestSupport.urlFile(List.of(sim.baseUrl() + "stall/headers"));
        var run = TestSupport.runScript("webscrape_comparison", "--urls", stall.toString(), "--repeat", "1", "--runs", "1",
                "--warmup", "0", "--models", "serial", "--jit-warmup", "0", "--timeout", "60", "--run-limit", "3");
        assertEquals(1, run.exitCode(), run.stderr());
        assertEquals("webscrape_comparison: serial did not finish within 3 s: killed", run.stderr().strip());
    }

    @Test
    void aStoppedDriverLeavesNoModelOrChildRunning() throws Exception {
        Path stalls = TestSupport.urlFile(List.of(sim.baseUrl() + "stall/headers", sim.baseUrl() + "stall/headers"));
        Process driver = new ProcessBuilder(ChildJvm.command("webscrape_comparison", List.of(), List.of("--urls", stalls.toString(),
                "--repeat", "1", "--runs", "1", "--warmup", "0", "--models", "processes", "--jit-warmup", "0", "--timeout", "60"))).start();
        List<ProcessHandle> all = List.of();
        for (int i = 0; i < 600 && all.size() < 3; i++) {   // the model's JVM and its two child JVMs
            Thread.sleep(100);
            all = driver.toHandle().descendants().toList();
        }
        assertEquals(3, all.size(), "the model and its children never started: " + all);
        Thread.sleep(1000);
        driver.destroy();   // SIGTERM
        assertTrue(driver.waitFor(30, TimeUnit.SECONDS));
        for (ProcessHandle p : all) assertTrue(TestSupport.endsWithin(p, 20), "pid " + p.pid() + " outlived the driver");
    }

    @Test
    void theSweepRunsEveryModelAtEveryNSkipsWhatWouldTakeTooLongAndDrawsThreePictures() throws Exception {
        Path folder = Files.createTempDirectory("sweep");
        var run = TestSupport.runScript("ws_sweep", "--sizes", "10,40", "--models", "serial,threads-N,virtual", "--max-seconds", "3",
                "--format", "csv", "--chart", folder.resolve("sweep.png").toString(), "--report", folder.resolve("sweep.html").toString());
        assertEquals(0, run.exitCode(), run.stderr());
        List<String> lines = run.stdout().lines().toList();
        assertEquals("model,N,ok,median s,latency bound s,work bound s,x bound,peak RSS MiB,peak threads,note", lines.get(0));
        assertEquals(7, lines.size(), "a row per model and N: " + run.stdout());
        for (String line : lines.subList(1, 7)) {
            String[] cells = line.split(",", -1);
            if (cells[0].equals("serial") && cells[1].equals("40"))
                assertTrue(cells[9].contains("> --max-seconds"), "40 sites one after another take longer than 3 s: " + line);
            else
                assertEquals(cells[1], cells[2], "every download ok: " + line);
            if (cells[0].equals("threads-N") && cells[1].equals("40"))
                assertTrue(Integer.parseInt(cells[8]) >= 40, "a platform thread per download: " + line);
        }
        var page = TestSupport.report(folder.resolve("sweep.html"), "ws_sweep", List.of("serial", "threads-N", "virtual"));
        assertEquals(6, page.select("tbody tr").size(), "the same rows as the table");
        for (String picture : List.of("time", "rss", "threads")) {
            assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, Arrays.copyOf(Files.readAllBytes(folder.resolve("sweep-" + picture + ".png")), 4), picture);
            assertEquals(1, page.select("figure#chart-" + picture + " svg").size(), picture + " in the report");
        }
    }
}

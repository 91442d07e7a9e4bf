//SOURCES ../scripts/ws_serial.java ../scripts/ws_threads.java ../scripts/ws_virtual.java ../scripts/ws_processes.java ../scripts/ws_completable.java ../scripts/ws_structured.java ../scripts/ws_eventloop.java ../scripts/ws_reactive.java ../scripts/lab/request_cost.java

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The scripts as a user runs them: in their own JVM, with arguments, exit codes and output. */
class WebScrapeCliTest {
    static SiteSim.Server sim;

    @BeforeAll
    static void start() throws Exception {
        sim = TestSupport.simulator(3, 5, 20);
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    @Test
    void jsonPrintsOneObjectWithEveryResultAndNothingElse() throws Exception {
        Path urls = TestSupport.urlFile(TestSupport.concat(List.of("# a comment", ""),
                TestSupport.concat(TestSupport.siteUrls(sim), List.of(sim.baseUrl() + "status/404"))));
        var run = TestSupport.runScript("ws_serial", "--json", "--urls", urls.toString(), "--repeat", "2", "--jit-warmup", "0");
        assertEquals(0, run.exitCode(), "a run that completed exits 0 even when a site failed: " + run.stderr());
        JsonObject report = JsonParser.parseString(run.stdout()).getAsJsonObject();   // fails on anything else on stdout
        assertEquals("serial", report.get("model").getAsString());
        assertEquals(8, report.get("tasks").getAsInt());
        assertEquals(6, report.get("ok").getAsInt());
        assertEquals(2, report.get("failed").getAsInt());
        assertTrue(report.get("seconds").getAsDouble() > 0);
        var results = report.getAsJsonArray("results");
        assertEquals(8, results.size());
        for (var result : results)
            assertEquals(Set.of("url", "status", "bytes", "title", "links", "millis", "error", "trace"), result.getAsJsonObject().keySet());
        assertEquals(Set.of("thread", "sentAt", "receivedAt", "doneAt"), results.get(0).getAsJsonObject().getAsJsonObject("trace").keySet());
        assertTrue(results.get(3).getAsJsonObject().get("error").getAsString().contains("HTTP 404"));
        assertTrue(results.get(0).getAsJsonObject().get("error").isJsonNull());
    }

    /**
     * The client makes its TLS context at the first https URL (LazyTls), and that context is the JDK's default one:
     * a certificate it does not trust fails the download; javax.net.ssl.trustStore is honoured. An HTTPS server of
     * the test's own on 127.0.0.1, its key made by the JDK's keytool.
     */
    @Test
    void httpsIsCheckedAsByTheJdksDefaultClient() throws Exception {
        Path dir = java.nio.file.Files.createTempDirectory("tls");
        Path keys = dir.resolve("keys.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-genkeypair",
                "-keyalg", "EC", "-alias", "local", "-dname", "CN=localhost", "-ext", "san=ip:127.0.0.1", "-validity", "2",
                "-storetype", "PKCS12", "-keystore", keys.toString(), "-storepass", "changeit").redirectErrorStream(true).start();
        keytool.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
        assertEquals(0, keytool.waitFor());
        var keyStore = java.security.KeyStore.getInstance("PKCS12");
        try (var in = java.nio.file.Files.newInputStream(keys)) {
            keyStore.load(in, "changeit".toCharArray());
        }
        var keyManagers = javax.net.ssl.KeyManagerFactory.getInstance("PKIX");
        keyManagers.init(keyStore, "changeit".toCharArray());
        var tls = javax.net.ssl.SSLContext.getInstance("TLS");
        tls.init(keyManagers.getKeyManagers(), null, null);
        var server = com.sun.net.httpserver.HttpsServer.create(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new com.sun.net.httpserver.HttpsConfigurator(tls));
        server.createContext("/", exchange -> {
            byte[] page = "<html><head><title>over TLS</title></head><body></body></html>".getBytes(java.nio.charset.StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, page.length);
            exchange.getResponseBody().write(page);
            exchange.close();
        });
        server.start();
        try {
            Path urls = TestSupport.urlFile(List.of("https://127.0.0.1:" + server.getAddress().getPort() + "/"));
            String[] args = {"--json", "--urls", urls.toString(), "--repeat", "1", "--jit-warmup", "0", "--timeout", "10"};
            var untrusted = JsonParser.parseString(TestSupport.runScript("ws_serial", args).stdout()).getAsJsonObject()
                    .getAsJsonArray("results").get(0).getAsJsonObject();
            assertTrue(untrusted.get("error").getAsString().contains("unable to find valid certification path"), untrusted.toString());
            var trusted = JsonParser.parseString(TestSupport.runScript("ws_serial",
                    List.of("-Djavax.net.ssl.trustStore=" + keys, "-Djavax.net.ssl.trustStorePassword=changeit"), args).stdout())
                    .getAsJsonObject().getAsJsonArray("results").get(0).getAsJsonObject();
            assertTrue(trusted.get("error").isJsonNull(), trusted.toString());
            assertEquals("over TLS", trusted.get("title").getAsString());
        } finally {
            server.stop(0);
        }
    }

    @Test
    void textOutputSaysWhatItDidAndHowLongItTook() throws Exception {
        Path urls = TestSupport.urlFile(TestSupport.siteUrls(sim));
        var run = TestSupport.runScript("ws_virtual", "--urls", urls.toString(), "--jit-warmup", "0");
        assertEquals(0, run.exitCode(), run.stderr());
        assertTrue(run.stdout().contains("Starting Virtual threads download of 30 sites..."), run.stdout());
        assertTrue(run.stdout().matches("(?s).*Virtual threads download of 30 sites - Duration: \\d+\\.\\d\\d seconds.*"), run.stdout());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"--urls /no/such/file", "--urls EMPTY", "--repeat 0", "--timeout 0", "--no-such-option", "--repeat many",
            "--timeline run.jpg", "--timeline /no/such/folder/run.png", "--calibrate -1", "--sim --sim-url http://127.0.0.1:9/"})
    void badArgumentsGiveAUsageExitAndOneClearLine(String args) throws Exception {
        String resolved = args.replace("EMPTY", TestSupport.urlFile(List.of("# only a comment", "   ")).toString());
        var run = TestSupport.runScript("ws_virtual", resolved.split(" "));
        assertEquals(2, run.exitCode(), run.stdout() + run.stderr());
        assertTrue(run.stdout().isEmpty(), run.stdout());
        String firstLine = run.stderr().lines().findFirst().orElse("");
        assertTrue(firstLine.length() > 10, "no message: " + run.stderr());
    }

    /** request_cost: a row per client, each with its phases; and against the simulator, a socket and the Scraper. */
    @Test
    void requestCostTimesEveryClientPhaseByPhase() throws Exception {
        var run = TestSupport.runScript("request_cost", "--requests", "5", "--wait-ms", "2", "--rounds", "2");
        assertEquals(0, run.exitCode(), run.stderr());
        String number = " +-?\\d+\\.\\d\\d";
        for (String client : List.of("blocking socket", "HttpClient, virtual threads \\(Scraper\\)", "HttpClient, its default executor",
                "HttpClient, executor Runnable::run"))
            assertTrue(run.stdout().matches("(?s).*\\n" + client + " *" + number.repeat(4) + "\\n.*"), client + ": " + run.stdout());
        assertTrue(run.stdout().matches("(?s).*From the site simulator.*\\nblocking socket *" + number.repeat(2) + "\\n"
                + "Scraper.download \\(\\+ Jsoup's parse\\) *" + number.repeat(2) + "\\n.*"), run.stdout());
        String seconds = " +\\d\\.\\d\\d\\d +\\d\\.\\d\\d";   // the 80 sites at once: seconds and x the longest latency
        assertTrue(run.stdout().matches("(?s).*80 sites all at once.*\\nblocking socket" + seconds + "\\n"
                + "Scraper.download \\(\\+ Jsoup's parse\\)" + seconds + "\\n"), run.stdout());
        assertEquals(2, TestSupport.runScript("request_cost", "--requests", "0").exitCode());
        assertEquals(2, TestSupport.runScript("request_cost", "--rounds", "0").exitCode());
        assertEquals(2, TestSupport.runScript("request_cost", "--wait-ms", "-1").exitCode());
    }

    @Test
    void modelOptionsRejectNonsense() throws Exception {
        assertEquals(2, TestSupport.runScript("ws_threads", "--threads", "0").exitCode());
        assertEquals(2, TestSupport.runScript("ws_processes", "--processes", "0").exitCode());
        assertEquals(2, TestSupport.runScript("ws_structured", "--deadline", "-1").exitCode());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"ws_serial", "ws_threads", "ws_virtual", "ws_processes", "ws_completable", "ws_structured", "ws_eventloop", "ws_reactive", "webscrape_comparison"})
    void helpListsTheSharedOptions(String script) throws Exception {
        var run = TestSupport.runScript(script, "--help");
        assertEquals(0, run.exitCode());
        for (String option : List.of("--urls", "--repeat", "--sim", "--sites", "--timeout", "--max-bytes", "--json", "--version"))
            assertTrue(run.stdout().contains(option), script + " --help lacks " + option);
        assertEquals(0, TestSupport.runScript(script, "--version").exitCode());
    }

    @Test
    void defaultUrlListIsFoundFromTheRepoRootAndFromScripts() throws Exception {
        Path root = TestSupport.repoRoot();
        for (Path dir : List.of(root, root.resolve("scripts"))) {
            // with a 1 ms timeout every download fails at once, internet or not: only the list's size matters
            Process p = new ProcessBuilder(ChildJvm.command("ws_serial", List.of(), List.of("--repeat", "1", "--timeout", "0.001", "--jit-warmup", "0")))
                    .directory(dir.toFile()).start();
            String out = new String(p.getInputStream().readAllBytes());
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
            assertTrue(out.contains("Starting Serial download of 80 sites..."), dir + ": " + out + new String(p.getErrorStream().readAllBytes()));
        }
    }

    @Test
    void simFlagRunsTheSimulatorInItsOwnProcessThroughJBang() throws Exception {
        Path root = TestSupport.repoRoot();
        Process run = new ProcessBuilder(root.resolve("jbang").toString(), "scripts/ws_virtual.java", "--sim", "--json",
                "--jit-warmup", "0").directory(root.toFile()).start();
        String out = new String(run.getInputStream().readAllBytes());
        assertTrue(run.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, run.exitValue(), new String(run.getErrorStream().readAllBytes()));
        JsonObject report = JsonParser.parseString(out).getAsJsonObject();
        assertEquals(80, report.get("ok").getAsInt());
        assertTrue(report.get("latencyBoundSeconds").getAsDouble() > 0.3);
        assertTrue(report.get("seconds").getAsDouble() >= report.get("latencyBoundSeconds").getAsDouble(), "nothing beats the bound");
    }

    @Test
    void aRunningSimulatorGivesBothBoundsAndItsCalibrationPagesAreNotTheModels() throws Exception {
        sim.resetStats();
        var run = TestSupport.runScript("ws_virtual", "--sim-url", sim.baseUrl(), "--calibrate", "40", "--json", "--jit-warmup", "0");
        assertEquals(0, run.exitCode(), run.stderr());
        JsonObject report = JsonParser.parseString(run.stdout()).getAsJsonObject();
        assertEquals(3, report.get("ok").getAsInt(), "the simulator's own sites, once each");
        double bound = report.get("latencyBoundSeconds").getAsDouble();
        assertTrue(bound >= 0.005 && bound <= 0.020, "its longest latency, 5-20 ms: " + bound);
        assertEquals(13, report.getAsJsonObject("pageCost").get("pages").getAsInt(), "two thirds of the pages warm up, a third is measured");
        assertTrue(report.get("workBoundSeconds").getAsDouble() > 0, report.toString());
        assertTrue(report.has("simCpuSeconds"), "the simulator's CPU is read from its process");
        assertEquals(3, sim.stats().served(), "the 40 calibration pages are not counted as the model's traffic");
    }

    @Test
    void aUrlFileWithBadLinesReportsEachOnceWithItsLineNumberAndRunsTheRest() throws Exception {
        List<String> sites = TestSupport.siteUrls(sim);
        var bytes = new java.io.ByteArrayOutputStream();
        bytes.write(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});   // a UTF-8 BOM before the first comment
        bytes.write(("# a comment\n" + sites.get(0) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        bytes.write("http://caf".getBytes());
        bytes.write(0xE9);                                               // a Latin-1 é: not UTF-8
        bytes.write((".invalid/\nnot a url\n" + sites.get(1) + "\r\nhttp://bücher.invalid/\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        Path urls = java.nio.file.Files.write(java.nio.file.Files.createTempFile("bad-lines", ".txt"), bytes.toByteArray());
        var run = TestSupport.runScript("ws_serial", "--json", "--urls", urls.toString(), "--repeat", "1", "--jit-warmup", "0", "--timeout", "5");
        assertEquals(0, run.exitCode(), run.stderr());
        JsonObject report = JsonParser.parseString(run.stdout()).getAsJsonObject();
        assertEquals(5, report.get("tasks").getAsInt(), "every line once: " + run.stdout());
        assertEquals(2, report.get("ok").getAsInt(), run.stdout());
        var results = report.getAsJsonArray("results");
        assertEquals("line 3: not valid UTF-8 (byte 0xE9 at column 11): save the file as UTF-8",
                results.get(1).getAsJsonObject().get("error").getAsString());
        assertTrue(results.get(2).getAsJsonObject().get("error").getAsString().startsWith("line 4: malformed URL"), results.get(2).toString());
        assertEquals("host does not resolve", results.get(4).getAsJsonObject().get("error").getAsString(), "an IDN host is a host");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"DIRECTORY", "/dev/null", "/dev/zero", "/no/such/list"})
    void aUrlFileThatCannotBeReadIsOneLineNamingItAndExit2(String file) throws Exception {
        String path = file.equals("DIRECTORY") ? java.nio.file.Files.createTempDirectory("not-a-list").toString() : file;
        var run = TestSupport.runScript("ws_virtual", "--urls", path, "--jit-warmup", "0");
        assertEquals(2, run.exitCode(), run.stdout() + run.stderr());
        assertEquals(1, run.stderr().strip().lines().count(), run.stderr());
        assertTrue(run.stderr().contains(path) && (run.stderr().contains("is a directory") || run.stderr().contains("not a regular file")
                || run.stderr().contains("not found")), run.stderr());
    }

    /** A password in a URL is sent, never shown: not in the JSON, the text, the failures, or the pool's lines. */
    @Test
    void aUrlsPasswordIsUsedButNeverPrinted() throws Exception {
        String withSecret = sim.baseUrl().replace("http://", "http://user:s3cret@") + "site/0";
        int closed;
        try (var socket = new java.net.ServerSocket(0)) { closed = socket.getLocalPort(); }
        Path urls = TestSupport.urlFile(List.of(withSecret, "http://user:s3cret@127.0.0.1:" + closed + "/",
                "http://user:s3cret@exa mple.com/"));
        var json = TestSupport.runScript("ws_virtual", "--urls", urls.toString(), "--repeat", "1", "--jit-warmup", "0", "--json");
        assertEquals(0, json.exitCode(), json.stderr());
        var results = JsonParser.parseString(json.stdout()).getAsJsonObject().getAsJsonArray("results");
        assertEquals(sim.baseUrl().replace("http://", "http://***@") + "site/0", results.get(0).getAsJsonObject().get("url").getAsString());
        assertTrue(results.get(0).getAsJsonObject().get("error").isJsonNull(), "the request itself kept its userinfo: " + results.get(0));
        var text = TestSupport.runScript("ws_serial", "--urls", urls.toString(), "--repeat", "1", "--jit-warmup", "0", "-v");
        var pool = TestSupport.runScript("worker_pool", "--json", withSecret, "http://user:s3cret@exa mple.com/");
        for (var run : List.of(json, text, pool)) {
            assertFalse((run.stdout() + run.stderr()).contains("s3cret"), run.stdout() + run.stderr());
            assertTrue(run.stdout().contains("***@"), run.stdout());
        }
    }

    @Test
    void aUrlFileBiggerThanTheHeapCanHoldIsOneLineNotAnOutOfMemoryError() throws Exception {
        Path big = Files.createTempFile("huge", ".txt");
        big.toFile().deleteOnExit();
        try (var out = Files.newBufferedWriter(big)) {
            for (int i = 0; i < 200_000; i++) out.write("# a comment line of fifty characters, no URL in it\n");
        }
        var run = TestSupport.runScript("ws_virtual", List.of("-Xmx32m"), "--urls", big.toString(), "--jit-warmup", "0");
        assertEquals(2, run.exitCode(), run.stdout() + run.stderr());
        assertEquals(1, run.stderr().strip().lines().count(), run.stderr());
        assertTrue(run.stderr().contains(big + " is 9 MiB, more than a quarter of this JVM's heap"), run.stderr());
    }

    @Test
    void aCancelledRunGivesNoRatioToTheLowerBoundAndItsWarmUpIsNotCancelled() throws Exception {
        var run = TestSupport.runScript("ws_structured", "--sim", "--deadline", "0.2");   // the deadline leaves the JIT warm-up alone
        assertEquals(0, run.exitCode(), run.stderr());
        assertTrue(run.stdout().contains("latency bound 0.40 s (the longest latency)"), run.stdout());
        assertTrue(run.stdout().contains("no ratio to the bounds: the run did not download every page"), run.stdout());
    }

    /** However the parent ends, SIGKILL included, no child JVM or simulator outlives it. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"ws_processes SIGKILL", "ws_processes SIGTERM", "ws_serial --sim SIGKILL"})
    void noChildOutlivesItsParent(String how) throws Exception {
        String[] words = how.split(" ");
        List<String> args = new java.util.ArrayList<>(List.of("--jit-warmup", "0", "--timeout", "60", "--repeat", "1"));
        if (how.contains("--sim")) args.add("--sim");
        else args.addAll(List.of("--processes", "2", "--urls", TestSupport.urlFile(List.of(sim.baseUrl() + "stall/headers",
                sim.baseUrl() + "stall/headers", sim.baseUrl() + "stall/headers")).toString()));
        Process parent = new ProcessBuilder(ChildJvm.command(words[0], List.of(), args)).start();
        int expected = how.contains("--sim") ? 1 : 2;
        List<ProcessHandle> children = List.of();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (children.size() < expected && System.nanoTime() < deadline) {
            Thread.sleep(200);
            children = parent.toHandle().descendants().toList();
        }
        assertEquals(expected, children.size(), "the children never started");
        Thread.sleep(1500);   // they are at work (stalled downloads, a serial run)
        if (how.endsWith("SIGKILL")) parent.destroyForcibly(); else parent.destroy();
        assertTrue(parent.waitFor(30, TimeUnit.SECONDS));
        for (ProcessHandle child : children)
            assertTrue(TestSupport.endsWithin(child, 20), "child " + child.pid() + " still runs after its parent ended (" + how + ")");
    }

    /**
     * Out of memory, a run ends at once with one line (or reports every URL): it never hangs half-dead. Run as a user
     * runs it (JBang, the script's own //RUNTIME_OPTIONS, a smaller heap after them): the JVM's own line goes to
     * stderr, so --json's stdout is JSON or nothing.
     */
    @Test
    void outOfMemoryEndsTheRunItNeverHangsAndStdoutStaysJson() throws Exception {
        List<String> big = java.util.Collections.nCopies(40, sim.baseUrl() + "big/5000000");
        Path urls = TestSupport.urlFile(big);
        Path root = TestSupport.repoRoot();
        Process run = new ProcessBuilder(root.resolve("jbang").toString(), "-R-Xmx48m", "scripts/ws_virtual.java",
                "--urls", urls.toString(), "--repeat", "1", "--jit-warmup", "0", "--json").directory(root.toFile()).start();
        var err = run.errorReader();
        String out = new String(run.getInputStream().readAllBytes());
        assertTrue(run.waitFor(120, TimeUnit.SECONDS), "the run hangs out of memory");
        String errors = err.lines().collect(java.util.stream.Collectors.joining("\n"));
        if (run.exitValue() == 0) {
            assertEquals(40, JsonParser.parseString(out).getAsJsonObject().get("tasks").getAsInt());
        } else {
            assertEquals(3, run.exitValue(), errors);
            assertTrue(errors.contains("Terminating due to java.lang.OutOfMemoryError"), errors);
            assertTrue(out.isBlank() || JsonParser.parseString(out).isJsonObject(), "stdout is --json's, not the JVM's: " + out);
        }
    }
}

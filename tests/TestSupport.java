//SOURCES ../scripts/lib/sim/SiteSim.java ../scripts/lib/run/ChildJvm.java

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Assertions;

/** Helpers the tests share: a simulator in the test JVM, a script in a child JVM, a URL file. */
final class TestSupport {
    private TestSupport() {}

    /** A simulator inside the test JVM, with short latencies unless a test needs longer ones. */
    static SiteSim.Server simulator(int sites, int minMs, int maxMs) throws IOException {
        return new SiteSim.Server(new SiteSim.Plan(sites, minMs, maxMs, 40, 42), 0);
    }

    static List<String> siteUrls(SiteSim.Server sim) {
        return sim.siteList().stream().map(SiteSim.SiteInfo::url).toList();
    }

    static Path urlFile(List<String> lines) throws IOException {
        Path file = Files.createTempFile("urls", ".txt");
        file.toFile().deleteOnExit();
        return Files.write(file, lines, StandardCharsets.UTF_8);
    }

    /**
     * Parses a driver's --report page and checks what every report must have: the command as the user would type it,
     * this machine and JDK, a table row for each model, and nothing fetched from anywhere (no script, style sheet, image
     * or frame; every id once, so that no picture borrows another's clip path). Returns the page for the rest.
     */
    static Document report(Path file, String driver, List<String> models) throws IOException {
        Document page = Jsoup.parse(file.toFile(), "UTF-8");
        String run = page.select("dl.run").text();
        Assertions.assertTrue(page.select("dl.run code").text().startsWith("./jbang scripts/" + driver + ".java --"), run);
        Assertions.assertTrue(run.contains(Runtime.getRuntime().availableProcessors() + " cores"), run);
        Assertions.assertTrue(run.contains(Runtime.version().toString()), run);
        for (String model : models) Assertions.assertFalse(page.select("tr[data-model=" + model + "]").isEmpty(), model + " has a row");
        Assertions.assertTrue(page.select("script, link, img, iframe, object, embed").isEmpty(), "self-contained");
        List<String> ids = page.select("[id]").eachAttr("id");
        Assertions.assertEquals(ids.size(), ids.stream().distinct().count(), "ids unique");
        return page;
    }

    /** A comparison driver's page: the bar chart, and for each model one row, its sentence and its timeline. */
    static Document modelReport(Path file, String driver, List<String> models, Map<String, String> sentences) throws IOException {
        Document page = report(file, driver, models);
        Assertions.assertEquals(models.size(), page.select("tbody tr").size(), "a row per model");
        Assertions.assertEquals(1, page.select("figure#chart svg").size(), "the bar chart");
        for (String model : models) {
            Assertions.assertEquals(1, page.select("figure#timeline-" + model + " svg").size(), model + "'s timeline");
            Assertions.assertEquals(sentences.get(model), page.select("h2:containsOwn(" + model + ") + p").text(), model + "'s sentence");
        }
        return page;
    }

    /** How a script run in its own JVM finished. */
    record Finished(int exitCode, String stdout, String stderr) {}

    /** Runs a script's main class in a fresh JVM, as a user would, with a 120 s limit. */
    static Finished runScript(String mainClass, String... args) throws IOException, InterruptedException {
        return runScript(mainClass, List.of(), args);
    }

    /** The same, with these JVM flags (what a script's //RUNTIME_OPTIONS would give it). */
    static Finished runScript(String mainClass, List<String> jvmFlags, String... args) throws IOException, InterruptedException {
        Path out = Files.createTempFile("stdout", ".txt");
        Path err = Files.createTempFile("stderr", ".txt");
        try {
            Process process = new ProcessBuilder(ChildJvm.command(mainClass, jvmFlags, List.of(args)))
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(mainClass + " did not finish within 120 s");
            }
            return new Finished(process.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /**
     * A hostile server of the tests' own on 127.0.0.1, for what the JDK's HttpServer will not do: bodies cut before
     * their end. /cut/chunked: chunked, the connection closed before the last chunk; /cut/length: Content-Length 40,000,
     * 1,000 bytes sent, then closed.
     */
    static final class HostileServer implements AutoCloseable {
        private final java.net.ServerSocket socket;

        HostileServer() throws IOException {
            socket = new java.net.ServerSocket(0, 100, java.net.InetAddress.getLoopbackAddress());
            Thread.ofVirtual().start(this::serve);
        }

        String baseUrl() {
            return "http://127.0.0.1:" + socket.getLocalPort() + "/";
        }

        private void serve() {
            while (!socket.isClosed()) {
                try {
                    java.net.Socket client = socket.accept();
                    Thread.ofVirtual().start(() -> answer(client));
                } catch (IOException e) {
                    return;   // closed
                }
            }
        }

        private static void answer(java.net.Socket client) {
            try (client) {
                var in = new java.io.BufferedReader(new java.io.InputStreamReader(client.getInputStream(), StandardCharsets.ISO_8859_1));
                String request = in.readLine();
                for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) { }
                String page = "<html><head><title>cut</title></head><body>" + "x".repeat(1000);
                String head = request != null && request.contains("/cut/chunked")
                        ? "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n"
                                + Integer.toHexString(page.length()) + "\r\n" + page + "\r\n"   // and never the 0-length last chunk
                        : "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 40000\r\n\r\n" + page;
                client.getOutputStream().write(head.getBytes(StandardCharsets.ISO_8859_1));
                client.getOutputStream().flush();
            } catch (IOException e) {
                // the client went away: nothing to cut
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    /** True when the process has ended, or ends within the seconds given. */
    static boolean endsWithin(ProcessHandle process, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (process.isAlive() && System.nanoTime() < deadline) Thread.sleep(100);
        return !process.isAlive();
    }

    /** The repository's root, from the tests' working directory (root or tests/). */
    static Path repoRoot() {
        Path here = Path.of("").toAbsolutePath();
        return Files.exists(here.resolve("scripts")) ? here : here.getParent();
    }

    static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}

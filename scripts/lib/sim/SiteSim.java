//DEPS com.google.code.gson:gson:2.13.2
//SOURCES ../run/ChildJvm.java

import com.google.gson.Gson;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

/**
 * The web the comparison runs against when there is no internet, or when results must be reproducible.
 * Site i answers after latency(i) with a page of size(i): both fixed by (seed, i), so every model meets the
 * same web and the lower bound of every model can be computed from {@code /sites}.
 * Paths: /site/{i}, /status/{code}, /stall/headers, /stall/body, /reset, /big/{bytes}, /redirect/{i|loop|file},
 * /sites, /stats, /stats/reset, and /calibrate/{i}: /site/{i} not counted in /stats, which a model's JVM downloads
 * by the hundred before its clock starts to measure what a page costs.
 */
final class SiteSim {
    private SiteSim() {}

    /**
     * The child JVM that {@link SimProcess} starts: args are the plan as JSON; it answers one line, its base URL,
     * and serves until its stdin closes (its parent is done, or died).
     */
    public static void main(String[] args) throws Exception {
        ChildJvm.exitWithParent();
        try (Server server = new Server(ChildJvm.JSON.fromJson(args[0], Plan.class), 0)) {
            server.warmUp();
            System.out.println(ChildJvm.JSON.toJson(server.baseUrl()));
            System.out.flush();
            while (System.in.read() >= 0) { }   // until EOF
        }
    }

    /** Latency and page of every site: pure functions of (seed, site), so anyone can recompute them. */
    record Plan(int sites, int minMs, int maxMs, int pageKb, long seed) {
        int latencyMs(int site) {
            // u² skews towards short latencies, as on the real web: the 80 default sites sum to 14.0 s, near the original's 13.0 s serial run.
            double u = new SplittableRandom(seed * 1_000_003L + site).nextDouble();
            return minMs + (int) Math.round((maxMs - minMs) * u * u);
        }

        int links(int site) {
            return 10 + new SplittableRandom(seed * 7_919L + site).nextInt(90);
        }

        String title(int site) {
            return "Simulated site " + site;
        }

        /** ~pageKb of HTML: a title, links(site) links, and paragraphs of filler text. */
        byte[] page(int site) {
            SplittableRandom random = new SplittableRandom(seed * 31L + site);
            int targetBytes = (int) (pageKb * 1024L * (0.75 + random.nextDouble() / 2));
            StringBuilder html = new StringBuilder(targetBytes + 256)
                    .append("<!doctype html><html><head><meta charset=\"utf-8\"><title>")
                    .append(title(site)).append("</title></head><body><h1>").append(title(site)).append("</h1>\n");
            for (int i = 0; i < links(site); i++)
                html.append("<p><a href=\"/site/").append(random.nextInt(sites)).append("\">link ").append(i).append("</a></p>\n");
            while (html.length() < targetBytes)
                html.append("<p>Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor.</p>\n");
            return html.append("</body></html>\n").toString().getBytes(StandardCharsets.UTF_8);
        }
    }

    record SiteInfo(String url, int latencyMs) {}

    /** What /stats answers; pid: the simulator's process, whose CPU a model's JVM reads (it shares the cores). */
    record Stats(long served, int inFlight, int peakInFlight, long pid) {}

    /**
     * The JDK's HttpServer, set up not to be the bottleneck: by default it runs every exchange on its one
     * dispatcher thread and queues 50 connections. Here each exchange gets a virtual thread (a stalled
     * path costs nothing) and the accept backlog is in the thousands (the kernel caps it at somaxconn).
     */
    static final class Server implements AutoCloseable {
        private static final int BACKLOG = 16_384;
        private final Plan plan;
        private final HttpServer http;
        private final ExecutorService exchanges = Executors.newVirtualThreadPerTaskExecutor();
        private final CountDownLatch closed = new CountDownLatch(1);
        private final AtomicLong served = new AtomicLong();
        private final AtomicInteger inFlight = new AtomicInteger();
        private final AtomicInteger peakInFlight = new AtomicInteger();
        private final Gson gson = new Gson();
        private final Map<Integer, byte[]> pages = new ConcurrentHashMap<>();

        Server(Plan plan, int port) throws IOException {
            // Without TCP_NODELAY the body waits behind the headers for the client's delayed ACK: +40 ms a
            // request, which would add 3 s to a serial run. Read once, when the first server is made.
            System.setProperty("sun.net.httpserver.nodelay", "true");
            this.plan = plan;
            http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), BACKLOG);
            http.setExecutor(exchanges);
            http.createContext("/", this::handle);
            http.start();
        }

        String baseUrl() {
            return "http://127.0.0.1:" + http.getAddress().getPort() + "/";
        }

        List<SiteInfo> siteList() {
            return IntStream.range(0, plan.sites())
                    .mapToObj(i -> new SiteInfo(baseUrl() + "site/" + i, plan.latencyMs(i))).toList();
        }

        Stats stats() {
            return new Stats(served.get(), inFlight.get(), peakInFlight.get(), ProcessHandle.current().pid());
        }

        /** Serves itself a few hundred pages, so that the first model measured does not meet a cold server. */
        void warmUp() throws IOException, InterruptedException {
            try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
                for (int i = 0; i < 300; i++)
                    client.send(HttpRequest.newBuilder(URI.create(baseUrl() + "big/40000")).build(),
                            HttpResponse.BodyHandlers.discarding());
            }
            resetStats();
        }

        void resetStats() {
            served.set(0);
            peakInFlight.set(inFlight.get());
        }

        void awaitClose() throws InterruptedException {
            closed.await();
        }

        @Override
        public void close() {
            if (closed.getCount() == 0) return;
            closed.countDown();       // wakes every stalled exchange
            http.stop(0);
            exchanges.shutdownNow();
        }

        private void handle(HttpExchange exchange) throws IOException {
            String path = exchange.getRequestURI().getPath();
            try (exchange) {
                switch (path) {
                    case "/sites" -> sendJson(exchange, siteList());
                    case "/stats" -> sendJson(exchange, stats());
                    case "/stats/reset" -> { resetStats(); sendJson(exchange, stats()); }
                    default -> {
                        if (path.startsWith("/calibrate/")) serveCalibration(exchange, path.substring("/calibrate/".length()));
                        else serveCounted(exchange, path);
                    }
                }
            }
        }

        /** Site i as /site/i serves it, latency and page, but not counted: what a model's JVM measures a page by. */
        private void serveCalibration(HttpExchange exchange, String site) throws IOException {
            serveSite(exchange, Math.floorMod(parseOr(site, 0), plan.sites()));
        }

        /** Site i: its page after its latency (nothing, if the server closes meanwhile). */
        private void serveSite(HttpExchange exchange, int site) throws IOException {
            if (stall(plan.latencyMs(site))) return;
            send(exchange, 200, pages.computeIfAbsent(site, plan::page));
        }

        /** The paths a model downloads: counted in /stats while they are in flight. */
        private void serveCounted(HttpExchange exchange, String path) throws IOException {
            peakInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            var left = new java.util.concurrent.atomic.AtomicBoolean();
            Runnable leave = () -> { if (left.compareAndSet(false, true)) inFlight.decrementAndGet(); };
            try {
                String[] parts = path.split("/");
                String kind = parts.length > 1 ? parts[1] : "";
                String arg = parts.length > 2 ? parts[2] : "";
                switch (kind) {
                    case "site" -> {
                        int site = parseOr(arg, -1);
                        if (site < 0 || site >= plan.sites()) { send(exchange, 404, "no such site"); return; }
                        if (stall(plan.latencyMs(site))) return;
                        // out of flight once its wait is over: the client may send its next request the moment the page
                        // is in, before this handler's finally runs: counted until then, a pool of 10 threads can show 11
                        leave.run();
                        send(exchange, 200, pages.computeIfAbsent(site, plan::page));
                    }
                    case "status" -> send(exchange, Math.clamp(parseOr(arg, 500), 200, 599), "status " + arg);
                    case "stall" -> {
                        if (arg.equals("body")) {      // headers and a first part, then nothing more
                            exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
                            exchange.sendResponseHeaders(200, 40_000);
                            exchange.getResponseBody().write(plan.page(0), 0, 1_000);
                            exchange.getResponseBody().flush();
                        }
                        stall(TimeUnit.HOURS.toMillis(1));
                    }
                    case "reset" -> { }   // returning without a response drops the connection
                    case "redirect" -> redirect(exchange, switch (arg) {
                        case "loop" -> "/redirect/loop";                     // for ever: the client gives up after 5
                        case "file" -> "file:///etc/passwd";                 // a scheme no client may follow
                        default -> "/site/" + Math.clamp(parseOr(arg, 0), 0, plan.sites() - 1);   // a good one
                    });
                    case "big" -> sendBig(exchange, Math.max(0, parseOrLong(arg, 0)));
                    default -> send(exchange, 404, "unknown path " + path);
                }
            } finally {
                leave.run();
                served.incrementAndGet();
            }
        }

        /** Waits, like a slow site; returns true if the server closed meanwhile. */
        private boolean stall(long millis) {
            try {
                return closed.await(millis, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return true;
            }
        }

        /** A page of the given size, streamed in 64 KB chunks: never held whole. */
        private void sendBig(HttpExchange exchange, long bytes) throws IOException {
            exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, bytes == 0 ? -1 : bytes);
            byte[] head = "<html><head><title>Big page</title></head><body>".getBytes(StandardCharsets.UTF_8);
            byte[] chunk = new byte[64 * 1024];
            java.util.Arrays.fill(chunk, (byte) 'x');
            try (OutputStream out = exchange.getResponseBody()) {
                long left = bytes;
                int first = (int) Math.min(head.length, left);
                out.write(head, 0, first);
                left -= first;
                while (left > 0) {
                    int n = (int) Math.min(chunk.length, left);
                    out.write(chunk, 0, n);
                    left -= n;
                }
            }
        }

        private static void redirect(HttpExchange exchange, String location) throws IOException {
            exchange.getResponseHeaders().set("Location", location);
            exchange.sendResponseHeaders(302, -1);
        }

        private void sendJson(HttpExchange exchange, Object body) throws IOException {
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            sendBytes(exchange, 200, gson.toJson(body).getBytes(StandardCharsets.UTF_8));
        }

        private void send(HttpExchange exchange, int status, String message) throws IOException {
            String html = "<html><head><title>" + message + "</title></head><body>" + message + "</body></html>";
            send(exchange, status, html.getBytes(StandardCharsets.UTF_8));
        }

        private void send(HttpExchange exchange, int status, byte[] html) throws IOException {
            exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            sendBytes(exchange, status, html);
        }

        private static void sendBytes(HttpExchange exchange, int status, byte[] bytes) throws IOException {
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }

        private static int parseOr(String text, int fallback) {
            return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, parseOrLong(text, fallback)));
        }

        private static long parseOrLong(String text, long fallback) {
            try {
                return Long.parseLong(text);
            } catch (NumberFormatException e) {
                return fallback;
            }
        }
    }
}

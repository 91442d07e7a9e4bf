///usr/bin/env "$(dirname "$0")/../../jbang" "$0" "$@" ; exit $?
//JAVA 25
//RUNTIME_OPTIONS -XX:+ExitOnOutOfMemoryError -XX:+DisplayVMOutputToStderr
//DESCRIPTION Where one request's time goes: a raw socket against the JDK's HttpClient, and the simulator's own share.
//DEPS info.picocli:picocli:4.7.7
//SOURCES ../lib/scrape/Scraper.java ../lib/sim/SimProcess.java

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "request_cost", mixinStandardHelpOptions = true, version = "request_cost 1.0",
        description = "Times one request at a time, phase by phase, with a blocking socket and with the JDK's HttpClient, "
                + "against a bare server in this JVM and against the site simulator, each answer after --wait-ms: what a "
                + "request costs on top of the site's latency, and whose cost it is. Then the simulator's 80 sites all at "
                + "once, with both: what sending them together costs.")
class request_cost implements Callable<Integer> {
    @Option(names = "--requests", description = "Requests timed per client (default: ${DEFAULT-VALUE}), after 300 untimed ones that warm the JIT up.")
    int requests = 100;

    @Option(names = "--wait-ms", description = "What each answer waits, like a site's latency: the machine idles in between (default: ${DEFAULT-VALUE}).")
    int waitMs = 50;

    @Option(names = "--rounds", description = "Rounds of the simulator's sites all at once, timed per client (default: ${DEFAULT-VALUE}), after half as many untimed.")
    int rounds = 10;

    private static final int WARM_UP = 300;

    public static void main(String[] args) {
        System.exit(new CommandLine(new request_cost()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (requests < 1 || waitMs < 0 || rounds < 1) {
            System.err.println("request_cost: --requests and --rounds must be at least 1 and --wait-ms at least 0, got "
                    + requests + ", " + rounds + " and " + waitMs);
            return CommandLine.ExitCode.USAGE;
        }
        System.out.printf("One request at a time; medians of %d, after %d untimed; each answer waits %d ms.%n%n", requests, WARM_UP, waitMs);
        System.out.printf("A timed wait of %d ms ends late by: platform thread %.2f ms, virtual thread %.2f ms%n%n",
                waitMs, lateness(Thread.ofPlatform()), lateness(Thread.ofVirtual()));
        byte[] page = new SiteSim.Plan(1, 0, 0, 40, 42).page(0);
        // made before any client here: its class sets the 4 KB client buffers (jdk.httpclient.bufsize) every client then gets
        Scraper scraper = new Scraper(Duration.ofSeconds(10), Scraper.DEFAULT_MAX_BYTES);
        try (scraper; BareServer server = new BareServer(page); Socket socket = server.connect()) {
            System.out.printf("To a bare server in this JVM (a blocking socket, a thread per connection, a %,d-byte page), ms:%n", page.length);
            System.out.printf("%-38s %12s %14s %11s %20s%n", "client", "request in", "headers back", "body read", "all, over the wait");
            print("blocking socket", server.time(waitMs, requests, new RawConnection(socket)::get));
            print("HttpClient, virtual threads (Scraper)", server.time(waitMs, requests, clientGet(server.url(), Executors.newVirtualThreadPerTaskExecutor())));
            print("HttpClient, its default executor", server.time(waitMs, requests, clientGet(server.url(), null)));
            print("HttpClient, executor Runnable::run", server.time(waitMs, requests, clientGet(server.url(), Runnable::run)));
            for (int i = 0; i < WARM_UP; i++) scraper.download(server.url() + "/");   // its JIT, parse included, before the simulator
            System.out.println("  request in: from the send until the server has read the request; headers back: from the server's write until");
            System.out.println("  the client has the headers; body read: until the client has the whole page.");
            System.out.println();
            fromTheSimulator(scraper);
        }
        System.out.println();
        allAtOnce();
        return CommandLine.ExitCode.OK;
    }

    /**
     * The unbounded models' case: the simulator's 80 sites (50-400 ms) all at once, a virtual thread each, on new
     * connections every round, with a blocking socket each and with a fresh Scraper. Against the longest latency,
     * what sending 80 requests at once from 2 cores costs before any model's code runs.
     */
    private void allAtOnce() throws Exception {
        try (SimProcess sim = SimProcess.start(80)) {
            double bound = sim.latencies().values().stream().mapToInt(Integer::intValue).max().orElseThrow() / 1e3;
            List<String> urls = List.copyOf(sim.latencies().keySet());
            Burst raw = url -> {
                URI uri = URI.create(url);
                try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
                    socket.setTcpNoDelay(true);
                    new RawConnection(socket).get(uri.getRawPath());
                }
            };
            System.out.printf("The simulator's %d sites all at once (%.3f s the longest latency), a virtual thread each, new connections%n",
                    urls.size(), bound);
            System.out.printf("every round; medians of %d rounds after %d untimed:%n", rounds, rounds / 2);
            System.out.printf("%-38s %10s %10s%n", "client", "seconds", "x bound");
            double socket = burst(urls, rounds, () -> raw);
            System.out.printf("%-38s %10.3f %10.2f%n", "blocking socket", socket, socket / bound);
            double scraper = burst(urls, rounds, () -> new Burst() {   // a Scraper a round: its connections are new
                final Scraper fresh = new Scraper(Duration.ofSeconds(10), Scraper.DEFAULT_MAX_BYTES);

                @Override
                public void get(String url) throws IOException {
                    SiteResult result = fresh.download(url);
                    if (result.error() != null) throw new IOException("the simulator failed a page: " + result.error());
                }

                @Override
                public void close() {
                    fresh.close();
                }
            });
            System.out.printf("%-38s %10.3f %10.2f%n", "Scraper.download (+ Jsoup's parse)", scraper, scraper / bound);
        }
    }

    /** A round's client: one download, in the burst's thread. */
    interface Burst extends AutoCloseable {
        void get(String url) throws Exception;

        @Override
        default void close() throws Exception {}
    }

    /** The median seconds of rounds of every URL at once, after rounds / 2 untimed ones; a round's client from newClient. */
    private static double burst(List<String> urls, int rounds, Callable<Burst> newClient) throws Exception {
        List<double[]> seconds = new ArrayList<>();
        for (int round = 0; round < rounds + rounds / 2; round++) {
            Thread.sleep(300);   // the machine idles between rounds, as before a run
            try (Burst client = newClient.call()) {
                long start = System.nanoTime();
                try (var lanes = Executors.newVirtualThreadPerTaskExecutor()) {
                    List<Future<?>> done = new ArrayList<>();
                    for (String url : urls) done.add(lanes.submit(() -> {
                        client.get(url);
                        return null;
                    }));
                    for (Future<?> page : done) page.get();
                }
                if (round >= rounds / 2) seconds.add(new double[] {(System.nanoTime() - start) / 1e9});
            }
        }
        return median(seconds, 0);
    }

    /** The same client and a blocking socket against the simulator the models meet: its own cost is in both. */
    private void fromTheSimulator(Scraper scraper) throws Exception {
        try (SimProcess sim = SimProcess.start(new SiteSim.Plan(8, waitMs, waitMs, 40, 42))) {
            URI base = URI.create(sim.baseUrl());
            System.out.printf("From the site simulator (its own JVM: the JDK's HttpServer, a virtual thread per exchange), %d ms sites, ms:%n", waitMs);
            System.out.printf("%-38s %22s %26s%n", "client", "headers, over latency", "page done, over latency");
            try (Socket socket = new Socket(base.getHost(), base.getPort())) {
                socket.setTcpNoDelay(true);
                RawConnection raw = new RawConnection(socket);
                for (int i = 0; i < WARM_UP / 10; i++) raw.get("/site/" + i % 8);
                List<double[]> times = new ArrayList<>();
                for (int i = 0; i < requests; i++) {
                    long sent = System.nanoTime();
                    long[] at = raw.get("/site/" + i % 8);
                    times.add(new double[] {ms(at[0] - sent) - waitMs, ms(at[1] - sent) - waitMs});
                }
                System.out.printf("%-38s %22.2f %26.2f%n", "blocking socket", median(times, 0), median(times, 1));
            }
            for (int i = 0; i < WARM_UP / 10; i++) scraper.download(sim.baseUrl() + "site/" + i % 8);
            List<double[]> times = new ArrayList<>();
            for (int i = 0; i < requests; i++) {
                SiteResult result = scraper.download(sim.baseUrl() + "site/" + i % 8);
                if (result.error() != null) throw new IOException("the simulator failed a page: " + result.error());
                SiteResult.Trace trace = result.trace();
                times.add(new double[] {(trace.receivedAt() - trace.sentAt()) * 1000 - waitMs, (trace.doneAt() - trace.sentAt()) * 1000 - waitMs});
            }
            System.out.printf("%-38s %22.2f %26.2f%n", "Scraper.download (+ Jsoup's parse)", median(times, 0), median(times, 1));
        }
    }

    /** How late a timed wait of waitMs ends, median of 20, on a thread of this kind. */
    private double lateness(Thread.Builder kind) throws InterruptedException {
        CountDownLatch never = new CountDownLatch(1);
        List<double[]> late = new ArrayList<>();
        kind.start(() -> {
            try {
                for (int i = 0; i < 20; i++) {
                    long start = System.nanoTime();
                    never.await(waitMs, TimeUnit.MILLISECONDS);
                    late.add(new double[] {ms(System.nanoTime() - start) - waitMs});
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }).join();
        return median(late, 0);
    }

    /** One GET of a path: when the client had the headers, and when it had the whole body (System.nanoTime). */
    interface Get {
        long[] get(String path) throws Exception;
    }

    /** A GET with the JDK's HttpClient, its body read to the end as the Scraper reads it (an InputStream). */
    private static Get clientGet(String baseUrl, Executor executor) {
        HttpClient.Builder builder = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1);
        if (executor != null) builder.executor(executor);
        HttpClient client = builder.build();   // one per row; a few, ended with this JVM
        return path -> {
            long[] at = new long[2];
            HttpResponse<InputStream> response = client.send(HttpRequest.newBuilder(URI.create(baseUrl + path)).build(), info -> {
                at[0] = System.nanoTime();
                return HttpResponse.BodySubscribers.ofInputStream();
            });
            try (InputStream body = response.body()) {
                body.readAllBytes();
            }
            at[1] = System.nanoTime();
            return at;
        };
    }

    /** HTTP/1.1 by hand on one kept-alive socket: the least a client can do (a page with a Content-Length only). */
    static final class RawConnection {
        private final OutputStream out;
        private final InputStream in;

        RawConnection(Socket socket) throws IOException {
            out = socket.getOutputStream();
            in = new BufferedInputStream(socket.getInputStream());   // kept: what it read ahead belongs to the next answer
        }

        long[] get(String path) throws IOException {
            out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            StringBuilder head = new StringBuilder();
            long headers = 0;
            while (head.length() < 4 || !head.substring(head.length() - 4).equals("\r\n\r\n")) {
                int c = in.read();
                if (c < 0) throw new IOException("the server closed the connection");
                if (headers == 0) headers = System.nanoTime();
                head.append((char) c);
            }
            int length = head.toString().lines().filter(line -> line.regionMatches(true, 0, "Content-Length:", 0, 15))
                    .mapToInt(line -> Integer.parseInt(line.substring(15).strip())).findFirst()
                    .orElseThrow(() -> new IOException("no Content-Length in " + head));
            in.readNBytes(length);
            return new long[] {headers, System.nanoTime()};
        }
    }

    /**
     * A server with nothing in the way: a platform thread per connection reads a request, notes when, sleeps, notes
     * when, answers the page. One request at a time, so the two instants belong to the request in flight.
     */
    static final class BareServer implements AutoCloseable {
        private final ServerSocket listening = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final byte[] page;
        private volatile int waitMs;
        private volatile long arrived;
        private volatile long answered;

        BareServer(byte[] page) throws IOException {
            this.page = page;
            Thread.ofPlatform().daemon().name("bare-server").start(() -> {
                try {
                    while (true) {
                        Socket connection = listening.accept();
                        Thread.ofPlatform().daemon().start(() -> serve(connection));
                    }
                } catch (IOException e) {
                    // closed: the run is over
                }
            });
        }

        String url() {
            return "http://127.0.0.1:" + listening.getLocalPort();
        }

        Socket connect() throws IOException {
            Socket socket = new Socket(InetAddress.getLoopbackAddress(), listening.getLocalPort());
            socket.setTcpNoDelay(true);
            return socket;
        }

        private void serve(Socket connection) {
            try (connection) {
                connection.setTcpNoDelay(true);
                BufferedReader in = new BufferedReader(new InputStreamReader(connection.getInputStream(), StandardCharsets.US_ASCII));
                OutputStream out = connection.getOutputStream();
                byte[] head = ("HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: " + page.length + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII);
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    while (line != null && !line.isEmpty()) line = in.readLine();   // the request's headers, to the blank line
                    if (line == null) return;
                    arrived = System.nanoTime();
                    if (waitMs > 0) Thread.sleep(waitMs);
                    answered = System.nanoTime();
                    out.write(head);
                    out.write(page);
                    out.flush();
                }
            } catch (IOException | InterruptedException e) {
                // the client went away
            }
        }

        /** WARM_UP untimed GETs with no wait, then `requests` timed with the wait: per request, the four phases in ms. */
        List<double[]> time(int wait, int requests, Get client) throws Exception {
            waitMs = 0;
            for (int i = 0; i < WARM_UP; i++) client.get("/");
            waitMs = wait;
            List<double[]> times = new ArrayList<>();
            for (int i = 0; i < requests; i++) {
                long sent = System.nanoTime();
                long[] at = client.get("/");
                times.add(new double[] {ms(arrived - sent), ms(at[0] - answered), ms(at[1] - at[0]), ms(at[1] - sent) - wait});
            }
            return times;
        }

        @Override
        public void close() throws IOException {
            listening.close();
        }
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    private static double median(List<double[]> rows, int column) {
        double[] values = rows.stream().mapToDouble(row -> row[column]).sorted().toArray();
        return values[values.length / 2];
    }

    private static void print(String client, List<double[]> times) {
        System.out.printf("%-38s %14.2f %14.2f %10.2f %18.2f%n", client, median(times, 0), median(times, 1), median(times, 2), median(times, 3));
    }
}

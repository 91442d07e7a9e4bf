//SOURCES SiteSim.java ../run/ChildJvm.java

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The site simulator in its own JVM (never inside the measured one): one this JVM started, which stops when closed,
 * and by itself when this JVM is gone, however it ended (it serves until its stdin closes); or one already running
 * (a driver's, or the site simulator script's), attached by its URL and left running.
 */
final class SimProcess implements AutoCloseable {
    private final ChildJvm child;   // null when attached
    private final String baseUrl;
    private final ProcessHandle process;
    private final Map<String, Integer> latencies;

    private SimProcess(ChildJvm child, String baseUrl, ProcessHandle process, Map<String, Integer> latencies) {
        this.child = child;
        this.baseUrl = baseUrl;
        this.process = process;
        this.latencies = latencies;
    }

    /** The default web: sites with 50-400 ms latencies and ~40 KB pages. */
    static SimProcess start(int sites) throws IOException {
        return start(new SiteSim.Plan(sites, 50, 400, 40, 42));
    }

    static SimProcess start(SiteSim.Plan plan) throws IOException {
        ChildJvm child = ChildJvm.start("SiteSim", List.of(), List.of(ChildJvm.JSON.toJson(plan)));
        String baseUrl = child.receive(String.class);
        if (baseUrl == null) {
            child.kill();
            throw new IOException("the site simulator did not start (pid " + child.pid() + ")");
        }
        Map<String, Integer> latencies = new LinkedHashMap<>();   // the plan is a pure function, the same one the simulator runs
        for (int i = 0; i < plan.sites(); i++) latencies.put(baseUrl + "site/" + i, plan.latencyMs(i));
        return new SimProcess(child, baseUrl, child.handle(), latencies);
    }

    /** A simulator already running at baseUrl, on this machine: its sites and latencies from /sites, its process from /stats. */
    static SimProcess attach(String baseUrl) throws IOException {
        String base = baseUrl.endsWith("/") ? baseUrl : baseUrl + "/";
        SiteSim.SiteInfo[] sites = ChildJvm.JSON.fromJson(get(base + "sites"), SiteSim.SiteInfo[].class);
        long pid = ChildJvm.JSON.fromJson(get(base + "stats"), SiteSim.Stats.class).pid();
        Map<String, Integer> latencies = new LinkedHashMap<>();
        for (SiteSim.SiteInfo site : sites) latencies.put(site.url(), site.latencyMs());
        ProcessHandle process = ProcessHandle.of(pid)
                .orElseThrow(() -> new IOException("the simulator at " + base + " is not a process on this machine (pid " + pid + ")"));
        return new SimProcess(null, base, process, latencies);
    }

    /**
     * Not with java.net.http: a model's JVM reads jdk.httpclient.bufsize when it makes its first HttpClient, and that
     * must be the Scraper's (4 KB buffers; a client made here first gave 16 KB ones and 10,000 in flight ran out of heap).
     */
    private static String get(String url) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) URI.create(url).toURL().openConnection();
        try {
            if (connection.getResponseCode() != 200)
                throw new IOException(url + " answered " + connection.getResponseCode() + ": not a site simulator?");
            try (InputStream in = connection.getInputStream()) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        } finally {
            connection.disconnect();
        }
    }

    String baseUrl() {
        return baseUrl;
    }

    /** URL to latency in ms of every site, in site order. */
    Map<String, Integer> latencies() {
        return latencies;
    }

    /** The most requests the simulator has had in flight at once (its /stats). */
    int peakInFlight() throws IOException {
        return ChildJvm.JSON.fromJson(get(baseUrl + "stats"), SiteSim.Stats.class).peakInFlight();
    }

    /** The CPU the simulator has used so far: it shares the machine's cores with the models. */
    double cpuSeconds() {
        return process.info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(Double.NaN);
    }

    @Override
    public void close() throws InterruptedException {
        if (child != null) child.finish();
    }
}

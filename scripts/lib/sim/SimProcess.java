//SOURCES SiteSim.java ../run/ChildJvm.java

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The site simulator in its own JVM (never inside the measured one). It stops when closed, and by itself when
 * this JVM is gone, however it ended: it serves until its stdin closes.
 */
final class SimProcess implements AutoCloseable {
    private final ChildJvm child;
    private final SiteSim.Plan plan;
    private final String baseUrl;

    private SimProcess(ChildJvm child, SiteSim.Plan plan, String baseUrl) {
        this.child = child;
        this.plan = plan;
        this.baseUrl = baseUrl;
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
        return new SimProcess(child, plan, baseUrl);
    }

    String baseUrl() {
        return baseUrl;
    }

    /** URL to latency in ms of every site, in site order: the plan is a pure function, the same one the simulator runs. */
    Map<String, Integer> latencies() {
        Map<String, Integer> latencies = new LinkedHashMap<>();
        for (int i = 0; i < plan.sites(); i++) latencies.put(baseUrl + "site/" + i, plan.latencyMs(i));
        return latencies;
    }

    /** The most requests the simulator has had in flight at once (its /stats). */
    int peakInFlight() throws IOException, InterruptedException {
        try (HttpClient client = HttpClient.newHttpClient()) {
            String stats = client.send(HttpRequest.newBuilder(URI.create(baseUrl + "stats")).build(), HttpResponse.BodyHandlers.ofString()).body();
            return ChildJvm.JSON.fromJson(stats, SiteSim.Stats.class).peakInFlight();
        }
    }

    /** The CPU the simulator has used so far: it shares the machine's cores with the models. */
    double cpuSeconds() {
        return child.handle().info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(Double.NaN);
    }

    @Override
    public void close() throws InterruptedException {
        child.finish();
    }
}

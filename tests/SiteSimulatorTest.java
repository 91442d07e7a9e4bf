//SOURCES ../scripts/lab/site_sim.java ../scripts/lib/sim/SimProcess.java

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonParser;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SiteSimulatorTest {

    @Test
    void latenciesAndPagesAreFixedFunctionsOfSeedAndPath() {
        var plan = new SiteSim.Plan(80, 50, 400, 40, 42);
        var same = new SiteSim.Plan(80, 50, 400, 40, 42);
        var other = new SiteSim.Plan(80, 50, 400, 40, 43);
        List<Integer> latencies = IntStream.range(0, 80).map(plan::latencyMs).boxed().toList();
        assertEquals(latencies, IntStream.range(0, 80).map(same::latencyMs).boxed().toList());
        assertNotEquals(latencies, IntStream.range(0, 80).map(other::latencyMs).boxed().toList());
        assertArrayEquals(plan.page(7), same.page(7));
        assertTrue(latencies.stream().allMatch(ms -> ms >= 50 && ms <= 400), latencies.toString());
        int total = latencies.stream().mapToInt(Integer::intValue).sum();
        assertTrue(total > 11_000 && total < 16_000, "80 default sites should take ~13 s serially, sum is " + total + " ms");
        int bytes = plan.page(7).length;
        assertTrue(bytes > 30_000 && bytes < 51_000, "pages are ~40 KB, got " + bytes);
    }

    @Test
    void statsCountServedAndPeakInFlightRequests() throws Exception {
        try (var sim = TestSupport.simulator(5, 200, 200);
             var client = HttpClient.newHttpClient();
             var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Integer>> replies = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                String url = sim.baseUrl() + "site/" + i;
                replies.add(threads.submit(() -> client.send(HttpRequest.newBuilder(URI.create(url)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode()));
            }
            for (var reply : replies) assertEquals(200, reply.get());
            var stats = JsonParser.parseString(client.send(HttpRequest.newBuilder(URI.create(sim.baseUrl() + "stats")).build(),
                    HttpResponse.BodyHandlers.ofString()).body()).getAsJsonObject();
            assertEquals(5, stats.get("served").getAsInt());
            assertEquals(5, stats.get("peakInFlight").getAsInt());
            assertEquals(0, stats.get("inFlight").getAsInt());
        }
    }

    /**
     * The simulator must never be the bottleneck: 10,000 requests at once, all in flight together. Each waits 8 s,
     * so that the client on 2 cores (which takes 3-4 s to send 10,000) has them all out before the first answer.
     */
    @Test
    void servesTenThousandConcurrentRequests() throws Exception {
        int requests = 10_000;
        try (var sim = SimProcess.start(new SiteSim.Plan(1, 8000, 8000, 40, 42));
             var client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
             var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            var request = HttpRequest.newBuilder(URI.create(sim.baseUrl() + "site/0")).timeout(Duration.ofSeconds(60)).build();
            List<Future<Integer>> replies = new ArrayList<>();
            for (int i = 0; i < requests; i++)
                replies.add(threads.submit(() -> client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode()));
            long ok = 0;
            for (var reply : replies) if (reply.get() == 200) ok++;
            assertEquals(requests, ok);
            var stats = JsonParser.parseString(client.send(HttpRequest.newBuilder(URI.create(sim.baseUrl() + "stats")).build(),
                    HttpResponse.BodyHandlers.ofString()).body()).getAsJsonObject();
            assertEquals(requests, stats.get("served").getAsInt());
            assertEquals(requests, stats.get("peakInFlight").getAsInt(), "all requests were in flight at once");
        }
    }

    @Test
    void aPortInUseOrOutOfRangeIsOneLineAndExit2() throws Exception {
        try (var taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            for (String port : List.of(String.valueOf(taken.getLocalPort()), "70000")) {
                var run = TestSupport.runScript("site_sim", "--port", port);
                assertEquals(2, run.exitCode(), run.stderr());
                assertEquals(1, run.stderr().strip().lines().count(), run.stderr());
                assertTrue(run.stderr().startsWith("site_sim: ") && run.stderr().contains(port), run.stderr());
            }
        }
    }
}

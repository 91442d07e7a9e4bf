import java.util.List;
import java.util.PriorityQueue;

/**
 * The fastest a model could be on the simulator: no faster than its latencies allow (the latency bound), and no
 * faster than the cores can do the work (the work bound). The latency bound, from the latencies. Unbounded concurrency
 * (lanes == null): the longest latency. A pool of k lanes (serial is k = 1): the schedule a perfect pool
 * follows, each URL in list order to the first free lane, which is never less than max(longest, sum / k).
 */
final class LowerBound {
    static double seconds(List<Integer> latenciesMs, Integer lanes) {
        return seconds(latenciesMs, lanes, 0);
    }

    /**
     * The cost bound: the same schedule with every request holding its lane {@code costMs} longer than its latency,
     * for what one request costs the machine (the CPU a page takes here and in the simulator, measured before the
     * clock). Serial: the sum of the latencies plus n x costMs. What a run is above it is the model's; what the cost
     * bound is above the latency bound is the machine's. An estimate, like the work bound: not a floor.
     */
    static double seconds(List<Integer> latenciesMs, Integer lanes, double costMs) {
        if (lanes == null) return (latenciesMs.stream().mapToInt(Integer::intValue).max().orElse(0) + costMs) / 1000.0;
        PriorityQueue<Double> freeAt = new PriorityQueue<>();
        for (int i = 0; i < lanes; i++) freeAt.add(0.0);
        double end = 0;
        for (int latency : latenciesMs) {
            double done = freeAt.poll() + latency + costMs;
            freeAt.add(done);
            end = Math.max(end, done);
        }
        return end / 1000.0;
    }

    /** The largest bound, the one a run is compared with; the latency bound when no cost was measured. */
    static Double larger(Double latency, Double cost, Double work) {
        if (latency == null) return null;
        return Math.max(latency, Math.max(cost == null ? 0 : cost, work == null ? 0 : work));
    }

    /**
     * The CPU one download and parse costs, measured before the clock on {@code pages} pages: in this JVM (the client:
     * HTTP, Jsoup, GC, JIT) and, for the record, in the simulator, which runs on the same cores.
     */
    record PageCost(int pages, double clientMs, double simMs) {
        /** What one request costs the machine: its CPU here and in the simulator (on the same cores). */
        double requestMs() {
            return clientMs + simMs;
        }

        /**
         * The work bound: n pages' client CPU, plus what the simulator used during the run (not the model's work,
         * but the same cores'), spread perfectly over the cores.
         */
        double seconds(int n, double simulatorSeconds, int cores) {
            return (n * clientMs / 1000 + simulatorSeconds) / cores;
        }
    }
}

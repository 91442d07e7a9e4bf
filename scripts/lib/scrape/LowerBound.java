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
        if (lanes == null) return latenciesMs.stream().mapToInt(Integer::intValue).max().orElse(0) / 1000.0;
        PriorityQueue<Long> freeAt = new PriorityQueue<>();
        for (int i = 0; i < lanes; i++) freeAt.add(0L);
        long end = 0;
        for (int latency : latenciesMs) {
            long done = freeAt.poll() + latency;
            freeAt.add(done);
            end = Math.max(end, done);
        }
        return end / 1000.0;
    }

    /** The larger of the two bounds, the one a run is compared with; the latency bound when no work bound was measured. */
    static Double larger(Double latency, Double work) {
        return work == null ? latency : Double.valueOf(Math.max(latency, work));
    }

    /**
     * The CPU one download and parse costs, measured before the clock on {@code pages} pages: in this JVM (the client:
     * HTTP, Jsoup, GC, JIT) and, for the record, in the simulator, which runs on the same cores.
     */
    record PageCost(int pages, double clientMs, double simMs) {
        /**
         * The work bound: n pages' client CPU, plus what the simulator used during the run (not the model's work,
         * but the same cores'), spread perfectly over the cores.
         */
        double seconds(int n, double simulatorSeconds, int cores) {
            return (n * clientMs / 1000 + simulatorSeconds) / cores;
        }
    }
}

///usr/bin/env "$(dirname "$0")/../jbang" "$0" "$@" ; exit $?
//JAVA 25+
//RUNTIME_OPTIONS --enable-native-access=ALL-UNNAMED -XX:+ExitOnOutOfMemoryError
//RUNTIME_OPTIONS --sun-misc-unsafe-memory-access=allow --add-modules java.se --add-exports java.base/jdk.internal.ref=ALL-UNNAMED
//RUNTIME_OPTIONS --add-opens java.base/java.lang=ALL-UNNAMED --add-opens java.base/sun.nio.ch=ALL-UNNAMED
//RUNTIME_OPTIONS --add-opens java.management/sun.management=ALL-UNNAMED --add-opens jdk.management/com.sun.management.internal=ALL-UNNAMED
//DESCRIPTION Benchmark of the worker pool's own cost: N tiny tasks through each model of pool, each in a fresh JVM; throughput and latency.
//SOURCES lib/pool/Pool.java lib/run/FreshJvm.java

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "pool_bench", mixinStandardHelpOptions = true, version = "pool_bench 1.0",
        description = {"Sends --tasks tiny tasks ('cpu 0') through the worker pool of each model (platform, virtual, process, cluster),",
                "each model in a fresh JVM after 2 s of untimed ones (the JIT's warm-up); prints tasks per second and the latency from submit to result."})
class pool_bench implements Callable<Integer> {
    @Option(names = "--tasks", description = "Tasks per run (default: ${DEFAULT-VALUE}).")
    int tasks = 10_000;
    @Option(names = "--workers", description = "Workers in the pool (default: ${DEFAULT-VALUE}).")
    int workers = 3;
    @Option(names = "--queue", description = "Tasks the queue holds (default: ${DEFAULT-VALUE}).")
    int queue = 10;
    @Option(names = "--model", description = "Run one model here and print its run as JSON: platform, virtual, process or cluster.")
    Pool.Model model;
    @Mixin ComparisonOptions compare;

    static final int WARM_UP_SECONDS = 2;

    record BenchRun(String model, int workers, int queue, int tasks, double seconds, double tasksPerSecond,
                    double medianMillis, double p99Millis, long failed) {}

    public static void main(String[] args) {
        System.exit(new CommandLine(new pool_bench()).setExecutionExceptionHandler(FreshJvm::oneLine).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        String problem = tasks < 10 ? "--tasks must be at least 10, got " + tasks
                : workers < 1 ? "--workers must be at least 1, got " + workers
                : queue < 1 ? "--queue must be at least 1, got " + queue
                : compare.problem();
        if (problem != null) {
            System.err.println("pool_bench: " + problem);
            return CommandLine.ExitCode.USAGE;
        }
        if (model != null) {
            ChildJvm.exitWithParent();
            System.out.println(ChildJvm.JSON.toJson(run(model, workers, queue, tasks)));
            return CommandLine.ExitCode.OK;
        }
        List<String> args = List.of("--tasks", String.valueOf(tasks), "--workers", String.valueOf(workers), "--queue", String.valueOf(queue));
        var jobs = Arrays.stream(Pool.Model.values()).map(m -> new FreshJvm.Job(m.name(), "pool_bench",
                m == Pool.Model.cluster ? Cluster.JVM_FLAGS : List.of(), concat(List.of("--model", m.name()), args))).toList();
        var measured = FreshJvm.compare(jobs, compare, BenchRun.class, BenchRun::seconds);
        System.out.printf("%,d tasks 'cpu 0' per model, %d workers, queue %d; median of %d run(s), each in a fresh JVM after %d s of untimed tasks%n",
                tasks, workers, queue, compare.runs, WARM_UP_SECONDS);
        List<List<String>> cells = measured.stream().map(m -> List.of(m.model(),
                String.format("%.0f", FreshJvm.median(m.runs().stream().map(BenchRun::tasksPerSecond).toList())),
                String.format("%.3f", FreshJvm.median(m.runs().stream().map(BenchRun::medianMillis).toList())),
                String.format("%.3f", FreshJvm.median(m.runs().stream().map(BenchRun::p99Millis).toList())),
                String.valueOf(m.runs().stream().mapToLong(BenchRun::failed).sum()))).toList();
        System.out.print(Table.render(compare.format, List.of("model", "tasks/s", "median latency ms", "p99 latency ms", "failed"), cells));
        return CommandLine.ExitCode.OK;
    }

    /**
     * N tiny tasks through a pool of this model, after WARM_UP_SECONDS of untimed ones: a long-lived pool runs
     * compiled code, and 1,000 tasks are not enough for the JIT (10,000 cold tasks ran at a sixth of the warm rate).
     */
    static BenchRun run(Pool.Model model, int workers, int queue, int n) throws Exception {
        double[] latencies = new double[n];
        AtomicLong received = new AtomicLong(), failed = new AtomicLong(), warm = new AtomicLong(Long.MAX_VALUE);
        Consumer<Pool.Result> sink = r -> {   // called one result at a time
            long k = received.getAndIncrement();
            if (k < warm.get()) return;   // an untimed task
            if (!r.outcome().equals("done")) failed.incrementAndGet();
            latencies[(int) (k - warm.get())] = r.latency();
        };
        try (Pool pool = new Pool(model, workers, queue, Duration.ofSeconds(10), sink)) {
            long warming = System.nanoTime(), submitted = 0;
            while (System.nanoTime() - warming < WARM_UP_SECONDS * 1_000_000_000L) {
                pool.submit("cpu 0");
                submitted++;
            }
            while (received.get() < submitted) Thread.sleep(1);
            warm.set(submitted);
            long start = System.nanoTime();
            for (int i = 0; i < n; i++) pool.submit("cpu 0");
            pool.shutdown();
            double seconds = (System.nanoTime() - start) / 1e9;
            Arrays.sort(latencies);
            return new BenchRun(model.name(), workers, queue, n, seconds, n / seconds, latencies[n / 2] * 1e3,
                    latencies[(int) Math.ceil(n * 0.99) - 1] * 1e3, failed.get());
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }
}

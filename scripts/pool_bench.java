///usr/bin/env "$(dirname "$0")/../jbang" "$0" "$@" ; exit $?
//JAVA 25+
//RUNTIME_OPTIONS --enable-native-access=ALL-UNNAMED -XX:+ExitOnOutOfMemoryError -XX:+DisplayVMOutputToStderr
//RUNTIME_OPTIONS --sun-misc-unsafe-memory-access=allow --add-modules java.se --add-exports java.base/jdk.internal.ref=ALL-UNNAMED
//RUNTIME_OPTIONS --add-opens java.base/java.lang=ALL-UNNAMED --add-opens java.base/sun.nio.ch=ALL-UNNAMED
//RUNTIME_OPTIONS --add-opens java.management/sun.management=ALL-UNNAMED --add-opens jdk.management/com.sun.management.internal=ALL-UNNAMED
//DESCRIPTION Benchmark of the worker pool's own cost: tiny tasks through each model of pool, each in a fresh JVM; throughput and latency beside a bare hand-off's.
//SOURCES lib/pool/Pool.java lib/run/FreshJvm.java

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.DoubleStream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "pool_bench", mixinStandardHelpOptions = true, version = "pool_bench 1.0",
        description = {"Sends tiny tasks ('cpu 0') through the worker pool of each model (threads, virtual, processes, cluster) for --seconds,",
                "each model in a fresh JVM after --jit-warmup seconds of untimed ones in the same stream;",
                "prints tasks per second and the latency from submit to result, beside a bare hand-off's tasks per second:",
                "the same threads and queue (or child JVMs and their pipes) passing tasks with no pool code and no task in them."})
class pool_bench implements Callable<Integer> {
    @Option(names = "--seconds", description = "Seconds of timed tasks per run (default: ${DEFAULT-VALUE}).")
    double seconds = 2;
    @Option(names = "--jit-warmup", paramLabel = "SECONDS",
            description = "Seconds of untimed tasks first, in the same stream, so the JIT has compiled the pool before the clock (default: ${DEFAULT-VALUE}).")
    double jitWarmup = 8;
    @Option(names = "--workers", description = "Workers in the pool (default: ${DEFAULT-VALUE}).")
    int workers = 3;
    @Option(names = "--queue", description = "Tasks the queue holds (default: ${DEFAULT-VALUE}).")
    int queue = 10;
    @Option(names = "--models", split = ",", description = "Models to compare, in order (default: all).")
    List<String> models = Arrays.stream(Pool.Model.values()).map(Pool.Model::name).toList();
    @Option(names = "--model", description = "Run one model here and print its run as JSON: threads, virtual, processes or cluster.")
    Pool.Model model;
    @Mixin ComparisonOptions compare;

    record BenchRun(String model, int workers, int queue, long tasks, double seconds, double tasksPerSecond,
                    double medianMillis, double p99Millis, long failed, Double bareTasksPerSecond) {}

    public static void main(String[] args) {
        System.exit(new CommandLine(new pool_bench()).setExecutionExceptionHandler(FreshJvm::oneLine).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        String problem = !(seconds >= 0.1 && seconds <= 600) ? "--seconds must be from 0.1 to 600, got " + seconds
                : !(jitWarmup >= 0 && jitWarmup <= 600) ? "--jit-warmup must be from 0 to 600, got " + jitWarmup
                : workers < 1 ? "--workers must be at least 1, got " + workers
                : queue < 1 ? "--queue must be at least 1, got " + queue
                : compare.problem(models, Arrays.stream(Pool.Model.values()).map(Pool.Model::name).toList());
        if (problem != null) {
            System.err.println("pool_bench: " + problem);
            return CommandLine.ExitCode.USAGE;
        }
        if (model != null) {
            ChildJvm.exitWithParent();
            System.out.println(ChildJvm.JSON.toJson(run(model, workers, queue, jitWarmup, seconds)));
            return CommandLine.ExitCode.OK;
        }
        List<String> args = List.of("--seconds", String.valueOf(seconds), "--jit-warmup", String.valueOf(jitWarmup), "--workers", String.valueOf(workers), "--queue", String.valueOf(queue));
        var jobs = models.stream().map(m -> new FreshJvm.Job(m, "pool_bench",
                m.equals("cluster") ? Cluster.JVM_FLAGS : List.of(), concat(List.of("--model", m), args))).toList();
        var measured = FreshJvm.compare(jobs, compare, BenchRun.class, BenchRun::seconds);
        System.out.printf("tiny tasks ('cpu 0') for %s s per model, %d workers, queue %d; median of %d run%s, each in a fresh JVM after %s s of untimed tasks (JIT warm-up)%n",
                seconds, workers, queue, compare.runs, compare.runs == 1 ? "" : "s", jitWarmup);
        List<List<String>> cells = measured.stream().map(m -> List.of(m.model(),
                String.format("%,.0f", FreshJvm.median(m.runs().stream().map(BenchRun::tasksPerSecond).toList())),
                m.runs().getFirst().bareTasksPerSecond() == null ? "-"
                        : String.format("%,.0f", FreshJvm.median(m.runs().stream().map(BenchRun::bareTasksPerSecond).toList())),
                String.format("%,.1f", 1e3 * FreshJvm.median(m.runs().stream().map(BenchRun::medianMillis).toList())),
                String.format("%,.1f", 1e3 * FreshJvm.median(m.runs().stream().map(BenchRun::p99Millis).toList())),
                String.format("%,.0f", FreshJvm.median(m.runs().stream().map(r -> (double) r.tasks()).toList())),
                String.valueOf(m.runs().stream().mapToLong(BenchRun::failed).sum()))).toList();
        System.out.print(Table.render(compare.format, List.of("model", "tasks/s", "bare hand-off tasks/s", "median latency µs", "p99 latency µs", "tasks", "failed"), cells));
        return CommandLine.ExitCode.OK;
    }

    /**
     * One stream of tiny tasks through a pool of this model: {@code jitWarmup} seconds, then {@code timed} seconds
     * timed, without a pause between them. A long-lived pool runs compiled code, and a pool that has just drained
     * starts from sleeping workers: the first benchmark, 10,000 tasks after a drained warm-up, measured
     * 210-290 k tasks/s for virtual workers that, with the same code, do 0.8-1.8 million a second over 1,000,000 tasks.
     * The JIT takes seconds on 2 busy cores: process workers, counted second by second, did 0-6, 3-6, 7-12, 14-38,
     * 38-42, 50-53, 48-56 and 56-60 thousand tasks in their first 8 seconds, and 54-85 thousand after 10.
     */
    static BenchRun run(Pool.Model model, int workers, int queue, double jitWarmup, double timed) throws Exception {
        AtomicLong firstTimed = new AtomicLong(Long.MAX_VALUE), failed = new AtomicLong(), lastResult = new AtomicLong();
        DoubleStream.Builder latencies = DoubleStream.builder();
        Consumer<Pool.Result> sink = r -> {   // called one result at a time
            if (r.task() < firstTimed.get()) return;   // a JIT warm-up task
            if (r.outcome() != PoolTask.Outcome.Status.done) failed.incrementAndGet();
            latencies.add(r.latency());
            lastResult.set(System.nanoTime());
        };
        double seconds;
        try (Pool pool = new Pool(model, workers, queue, Duration.ofSeconds(10), sink)) {
            long[] start = new long[1];
            // The producer is of the workers' kind, as in Go, where it is a goroutine too: a virtual producer hands a
            // task to a virtual worker inside one scheduler, where a platform one wakes a carrier thread for it
            // (1.58 against 1.39 million tasks/s, medians of 5 runs of 1,000,000).
            Thread producer = (model == Pool.Model.virtual ? Thread.ofVirtual() : Thread.ofPlatform()).start(() -> {
                try {
                    long warmUntil = System.nanoTime() + (long) (jitWarmup * 1e9);
                    while (System.nanoTime() < warmUntil) pool.submit("cpu 0");
                    start[0] = System.nanoTime();
                    firstTimed.set(pool.submitted() + 1);
                    long until = start[0] + (long) (timed * 1e9);
                    while (System.nanoTime() < until) pool.submit("cpu 0");
                    pool.shutdown();   // every timed task done
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            producer.join();
            // to the last timed result, not to the end of shutdown(): stopping the workers is no task's cost (a process
            // worker's child JVM takes 0.05-0.1 s to exit, and seconds more the first time, when its AOT cache is made)
            seconds = (lastResult.get() - start[0]) / 1e9;
        }
        double[] sorted = latencies.build().sorted().toArray();
        int n = sorted.length;
        Double bare = model == Pool.Model.cluster ? null : bareTasksPerSecond(model, workers, queue, jitWarmup, timed);
        return new BenchRun(model.name(), workers, queue, n, seconds, n / seconds, sorted[n / 2] * 1e3,
                sorted[(int) Math.ceil(n * 0.99) - 1] * 1e3, failed.get(), bare);
    }

    /**
     * The floor under a pool of this shape: a producer putting numbers into a LinkedBlockingQueue of {@code queue}
     * (as the pool does, {@link Pool#put}),
     * {@code workers} threads of the model's kind taking them, and, for the process model, each sending its number
     * to a child JVM of its own and reading it back (ChildJvm's protocol: a JSON line each way). No Pool, no task
     * parsing, no result records: what is left is the hand-offs themselves, what the OS and the JVM charge for them.
     * Untimed for {@code jitWarmup} seconds, then counted for {@code timed} seconds.
     */
    static double bareTasksPerSecond(Pool.Model model, int workers, int queue, double jitWarmup, double timed) throws IOException, InterruptedException {
        BlockingQueue<Long> numbers = new LinkedBlockingQueue<>(queue);
        AtomicLong handedOff = new AtomicLong();
        List<ChildJvm> children = new ArrayList<>();
        for (int i = 0; i < workers && model == Pool.Model.processes; i++) children.add(ChildJvm.start("EchoChild", List.of(), List.of()));
        Thread.Builder kind = model == Pool.Model.virtual ? Thread.ofVirtual() : Thread.ofPlatform();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < workers; i++) {
            ChildJvm child = children.isEmpty() ? null : children.get(i);
            threads.add(kind.start(() -> {
                try {
                    for (long n = numbers.take(); n >= 0; n = numbers.take()) {
                        if (child != null && child.ask(n, Long.class) == null) throw new IllegalStateException("echo child died");
                        handedOff.incrementAndGet();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        double[] rate = new double[1];
        Thread producer = kind.start(() -> {
            try {
                long warmUntil = System.nanoTime() + (long) (jitWarmup * 1e9), n = 0;
                while (System.nanoTime() < warmUntil) Pool.put(numbers, n++, model);
                long start = System.nanoTime(), before = handedOff.get(), until = start + (long) (timed * 1e9);
                while (System.nanoTime() < until) Pool.put(numbers, n++, model);
                rate[0] = (handedOff.get() - before) / ((System.nanoTime() - start) / 1e9);
                for (int i = 0; i < workers; i++) numbers.put(-1L);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        producer.join();
        for (Thread t : threads) t.join();
        for (ChildJvm child : children) child.finish();
        return rate[0];
    }

    private static List<String> concat(List<String> a, List<String> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }
}

/** A child JVM that answers every line with itself: pool_bench's floor for a process worker's round trip. */
final class EchoChild {
    private EchoChild() {}

    public static void main(String[] args) throws IOException {
        System.exit(ChildJvm.serve(Long.class, n -> n));
    }
}

///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 25
//PREVIEW
//DESCRIPTION JMH: the cost of starting and joining one task in each flavour (platform thread, virtual thread, executor submit, CompletableFuture, structured subtask, child JVM).
//DEPS org.openjdk.jmh:jmh-core:1.37
//DEPS org.openjdk.jmh:jmh-generator-annprocess:1.37
//COMPILE_OPTIONS -proc:full

package playground;   // JMH refuses benchmarks in the default package

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.StructuredTaskScope;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;

// //COMPILE_OPTIONS -proc:full: since JDK 23 javac runs annotation processors (JMH's generator) only when asked.
// The task itself is trivial (returns a number), so what is measured is the flavour's own start-and-join cost.
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-preview")
public class bench_flavours {
    private ExecutorService pool;
    private volatile int input = 42;

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("--noop")) return;   // the child JVM of the process benchmark
        new Runner(new OptionsBuilder().include(bench_flavours.class.getSimpleName()).build()).run();
    }

    @Setup
    public void start() {
        pool = Executors.newFixedThreadPool(1);   // a pool already running: submit reuses its thread
    }

    @TearDown
    public void stop() {
        pool.close();
    }

    private int task() {
        return input + 1;
    }

    @Benchmark
    public int platformThread() throws InterruptedException {
        int[] result = new int[1];
        Thread thread = Thread.ofPlatform().start(() -> result[0] = task());
        thread.join();
        return result[0];
    }

    @Benchmark
    public int virtualThread() throws InterruptedException {
        int[] result = new int[1];
        Thread thread = Thread.ofVirtual().start(() -> result[0] = task());
        thread.join();
        return result[0];
    }

    @Benchmark
    public int executorSubmit() throws Exception {
        return pool.submit(this::task).get();
    }

    @Benchmark
    public int completableFuture() {
        return CompletableFuture.supplyAsync(this::task).join();
    }

    @Benchmark
    public int structuredSubtask() throws InterruptedException {
        try (var scope = StructuredTaskScope.open()) {
            var subtask = scope.fork(this::task);
            scope.join();
            return subtask.get();
        }
    }

    @Benchmark
    public int childJvm() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "playground.bench_flavours", "--noop")
                .inheritIO().start().waitFor();
    }
}

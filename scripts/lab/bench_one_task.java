///usr/bin/env "$(dirname "$0")/../../jbang" "$0" "$@" ; exit $?
//JAVA 25
//PREVIEW
//RUNTIME_OPTIONS -XX:+ExitOnOutOfMemoryError -XX:+DisplayVMOutputToStderr
//DESCRIPTION JMH: the cost of starting and joining one task in each model (platform thread, virtual thread, executor submit, CompletableFuture, structured subtask, child JVM).
//DEPS org.openjdk.jmh:jmh-core:1.37
//DEPS org.openjdk.jmh:jmh-generator-annprocess:1.37
//COMPILE_OPTIONS -proc:full
//SOURCES ../lib/run/ChildJvm.java

package playground;   // JMH refuses benchmarks in the default package

import java.lang.reflect.Method;
import java.util.List;
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
// The task itself is trivial (returns a number), so what is measured is the model's own start-and-join cost.
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-preview")
public class bench_one_task {
    private ExecutorService pool;
    private volatile int input = 42;

    /** No arguments: the benchmark. --child: the child JVM of childJvm (a number in per line, that number plus one out). */
    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("--child")) {
            System.exit((int) ChildJvmReflected.SERVE.invoke(null, Integer.class, (java.util.function.Function<Integer, Integer>) n -> n + 1));
        }
        if (args.length > 0) {   // --help and anything else: say what this is, do not start a 1.5-minute run
            System.out.println("Usage: bench_one_task   (JMH: 1 fork, 3 x 1 s warm-up, 5 x 1 s measured per benchmark; ~1.5 min)");
            System.exit(args[0].equals("--help") || args[0].equals("-h") ? 0 : 2);
        }
        new Runner(new OptionsBuilder().include(bench_one_task.class.getSimpleName()).build()).run();
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

    /** A child JVM started and spoken to as every child in the playground is (ChildJvm), that runs the task and answers. */
    @Benchmark
    public int childJvm() throws Exception {
        return childTask(input);
    }

    /** Starts the child, sends it n, returns its answer (n + 1), lets it exit. */
    public static int childTask(int n) throws Exception {
        Object child = ChildJvmReflected.START.invoke(null, "playground.bench_one_task", List.of(), List.of("--child"));
        Integer answer = (Integer) ChildJvmReflected.ASK.invoke(child, n, Integer.class);
        ChildJvmReflected.FINISH.invoke(child);
        if (answer == null) throw new IllegalStateException("the child JVM died without answering");
        return answer;
    }

    /**
     * ChildJvm is in the unnamed package, which a named package cannot import (and JMH refuses benchmarks in the
     * unnamed package): its methods are reached through reflection, once.
     */
    static final class ChildJvmReflected {
        static final Method START, ASK, FINISH, SERVE;

        static {
            try {
                Class<?> childJvm = Class.forName("ChildJvm");
                START = childJvm.getDeclaredMethod("start", String.class, List.class, List.class);
                ASK = childJvm.getDeclaredMethod("ask", Object.class, Class.class);
                FINISH = childJvm.getDeclaredMethod("finish");
                SERVE = childJvm.getDeclaredMethod("serve", Class.class, java.util.function.Function.class);
                for (Method m : List.of(START, ASK, FINISH, SERVE)) m.setAccessible(true);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }
    }
}

///usr/bin/env "$(dirname "$0")/../jbang" "$0" "$@" ; exit $?
//JAVA 25+
//RUNTIME_OPTIONS -XX:+ExitOnOutOfMemoryError -XX:+DisplayVMOutputToStderr
//DESCRIPTION CPU crunch with a virtual thread per task (virtual-1 in the comparison: one carrier, Go's GOMAXPROCS=1).
//SOURCES lib/cpu/CpuRun.java

import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

// Run with -Djdk.virtualThreadScheduler.parallelism=1 for one carrier: cpu_comparison's virtual-1.
@Command(name = "cpu_virtual", mixinStandardHelpOptions = true, version = "cpu_virtual 1.0",
        description = "Counts to each of --tasks million (times --scale) with honest work: a virtual thread per task.")
class cpu_virtual implements Callable<Integer> {
    @Mixin CpuRun run;

    public static void main(String[] args) {
        System.exit(new CommandLine(new cpu_virtual()).execute(args));
    }

    @Override
    public Integer call() {
        boolean oneCarrier = "1".equals(System.getProperty("jdk.virtualThreadScheduler.parallelism"));
        return run.measure(oneCarrier ? "virtual-1" : "virtual", cpu_virtual::runAll);
    }

    /**
     * One virtual thread per task, run by the scheduler's carriers: as many as cores, or one with
     * -Djdk.virtualThreadScheduler.parallelism=1 (Go's GOMAXPROCS=1). A virtual thread gives its carrier
     * up only when it blocks: CPU-bound tasks then run one after another, like on an event loop.
     */
    static List<CpuRun.TaskResult> runAll(List<Integer> millions, IntFunction<CpuRun.TaskResult> task) {
        List<Future<CpuRun.TaskResult>> results;
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
        // try (ExecutorService executor = Executors.newThreadPerTaskExecutor(Thread.ofPlatform().factory())) {   // cpu_threads
            results = millions.stream().map(n -> executor.submit(() -> task.apply(n))).toList();
        }   // close() waits for every task
        return results.stream().map(Future::resultNow).toList();
    }
}

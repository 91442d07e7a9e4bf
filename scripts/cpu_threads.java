///usr/bin/env "$(dirname "$0")/../jbang" "$0" "$@" ; exit $?
//JAVA 25+
//RUNTIME_OPTIONS -XX:+ExitOnOutOfMemoryError -XX:+DisplayVMOutputToStderr
//DESCRIPTION CPU crunch with a platform thread per task: the OS runs them on every core.
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

@Command(name = "cpu_threads", mixinStandardHelpOptions = true, version = "cpu_threads 1.0",
        description = "Counts to each of --tasks million (times --scale) with honest work: a platform thread per task.")
class cpu_threads implements Callable<Integer> {
    @Mixin CpuRun run;

    public static void main(String[] args) {
        System.exit(new CommandLine(new cpu_threads()).execute(args));
    }

    @Override
    public Integer call() {
        return run.measure("threads", cpu_threads::runAll);
    }

    /** One platform thread per task: the OS runs them in parallel on every core, preempting as it likes. */
    static List<CpuRun.TaskResult> runAll(List<Integer> millions, IntFunction<CpuRun.TaskResult> task) {
        List<Future<CpuRun.TaskResult>> results;
        try (ExecutorService executor = Executors.newThreadPerTaskExecutor(Thread.ofPlatform().factory())) {
        // try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {   // cpu_virtual, one line away
            results = millions.stream().map(n -> executor.submit(() -> task.apply(n))).toList();
        }   // close() waits for every task
        return results.stream().map(Future::resultNow).toList();
    }
}

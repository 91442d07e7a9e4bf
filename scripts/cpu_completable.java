///usr/bin/env "$(dirname "$0")/../jbang" "$0" "$@" ; exit $?
//JAVA 25+
//RUNTIME_OPTIONS -XX:+ExitOnOutOfMemoryError -XX:+DisplayVMOutputToStderr
//DESCRIPTION CPU crunch with CompletableFuture.supplyAsync on the common ForkJoinPool.
//SOURCES lib/cpu/CpuRun.java

import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntFunction;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "cpu_completable", mixinStandardHelpOptions = true, version = "cpu_completable 1.0",
        description = "Counts to each of --tasks million (times --scale) with honest work: CompletableFuture.supplyAsync.")
class cpu_completable implements Callable<Integer> {
    @Mixin CpuRun run;

    public static void main(String[] args) {
        System.exit(new CommandLine(new cpu_completable()).execute(args));
    }

    @Override
    public Integer call() {
        return run.measure("completable", cpu_completable::runAll);
    }

    /**
     * supplyAsync on the common ForkJoinPool, whose parallelism is cores - 1 (1 on 2 cores); the caller only waits
     * in join. For CPU work give it an executor of your own: supplyAsync(task, executor).
     */
    static List<CpuRun.TaskResult> runAll(List<Integer> millions, IntFunction<CpuRun.TaskResult> task) {
        List<CompletableFuture<CpuRun.TaskResult>> results = millions.stream()
                .map(n -> CompletableFuture.supplyAsync(() -> task.apply(n))).toList();
        return results.stream().map(CompletableFuture::join).toList();
    }
}

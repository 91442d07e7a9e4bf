///usr/bin/env "$(dirname "$0")/../jbang" "$0" "$@" ; exit $?
//JAVA 25+
//RUNTIME_OPTIONS -XX:+ExitOnOutOfMemoryError -XX:+DisplayVMOutputToStderr
//DESCRIPTION CPU crunch with a parallel stream over the common ForkJoinPool and the calling thread.
//SOURCES lib/cpu/CpuRun.java

import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.IntFunction;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "cpu_parallel_stream", mixinStandardHelpOptions = true, version = "cpu_parallel_stream 1.0",
        description = "Counts to each of --tasks million (times --scale) with honest work: a parallel stream.")
class cpu_parallel_stream implements Callable<Integer> {
    @Mixin CpuRun run;

    public static void main(String[] args) {
        System.exit(new CommandLine(new cpu_parallel_stream()).execute(args));
    }

    @Override
    public Integer call() {
        return run.measure("parallel-stream", cpu_parallel_stream::runAll);
    }

    /** The stream splits the tasks across the common ForkJoinPool and the calling thread. */
    static List<CpuRun.TaskResult> runAll(List<Integer> millions, IntFunction<CpuRun.TaskResult> task) {
        return millions.parallelStream().map(task::apply).toList();
    }
}

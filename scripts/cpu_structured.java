///usr/bin/env "$(dirname "$0")/../jbang" "$0" "$@" ; exit $?
//JAVA 25
//PREVIEW
//RUNTIME_OPTIONS -XX:+ExitOnOutOfMemoryError -XX:+DisplayVMOutputToStderr
//DESCRIPTION CPU crunch with StructuredTaskScope (JDK 25 preview): every task a subtask of one scope.
//SOURCES lib/cpu/CpuRun.java

import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.StructuredTaskScope;
import java.util.concurrent.StructuredTaskScope.Subtask;
import java.util.function.IntFunction;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

// //JAVA 25, not 25+: the StructuredTaskScope preview API changes again in JDK 26.
@Command(name = "cpu_structured", mixinStandardHelpOptions = true, version = "cpu_structured 1.0",
        description = "Counts to each of --tasks million (times --scale) with honest work: a subtask per task in one StructuredTaskScope.")
class cpu_structured implements Callable<Integer> {
    @Mixin CpuRun run;

    public static void main(String[] args) {
        System.exit(new CommandLine(new cpu_structured()).execute(args));
    }

    @Override
    public Integer call() {
        return run.measure("structured", cpu_structured::runAll);
    }

    /** Every task a subtask (a virtual thread) of one scope; the default joiner: all must succeed. */
    static List<CpuRun.TaskResult> runAll(List<Integer> millions, IntFunction<CpuRun.TaskResult> task) throws InterruptedException {
        try (var scope = StructuredTaskScope.open()) {
            List<Subtask<CpuRun.TaskResult>> results = millions.stream().map(n -> scope.fork(() -> task.apply(n))).toList();
            scope.join();
            return results.stream().map(Subtask::get).toList();
        }
    }
}

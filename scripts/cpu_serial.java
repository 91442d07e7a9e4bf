///usr/bin/env "$(dirname "$0")/../jbang" "$0" "$@" ; exit $?
//JAVA 25+
//RUNTIME_OPTIONS -XX:+ExitOnOutOfMemoryError -XX:+DisplayVMOutputToStderr
//DESCRIPTION CPU crunch, serial: every task one after another on the main thread.
//SOURCES lib/cpu/CpuRun.java

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.IntFunction;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "cpu_serial", mixinStandardHelpOptions = true, version = "cpu_serial 1.0",
        description = "Counts to each of --tasks million (times --scale) with honest work: one after another.")
class cpu_serial implements Callable<Integer> {
    @Mixin CpuRun run;

    public static void main(String[] args) {
        System.exit(new CommandLine(new cpu_serial()).execute(args));
    }

    @Override
    public Integer call() {
        return run.measure("serial", cpu_serial::runAll);
    }

    /** One after another on the main thread: the baseline. */
    static List<CpuRun.TaskResult> runAll(List<Integer> millions, IntFunction<CpuRun.TaskResult> task) {
        List<CpuRun.TaskResult> results = new ArrayList<>();
        for (int n : millions) results.add(task.apply(n));
        return results;
    }
}

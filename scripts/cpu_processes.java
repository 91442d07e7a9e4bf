///usr/bin/env "$(dirname "$0")/../jbang" "$0" "$@" ; exit $?
//JAVA 25+
//RUNTIME_OPTIONS -XX:+ExitOnOutOfMemoryError
//DESCRIPTION CPU crunch with a child JVM per task: Python's process pool, parallel like threads plus a JVM start each.
//SOURCES lib/cpu/CpuRun.java

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "cpu_processes", mixinStandardHelpOptions = true, version = "cpu_processes 1.0",
        description = "Counts to each of --tasks million (times --scale) with honest work: a child JVM per task.")
class cpu_processes implements Callable<Integer> {
    @Mixin CpuRun run;

    @Option(names = "--child", hidden = true, description = "Be one child: a count of steps per stdin line, its result per stdout line.")
    boolean child;

    public static void main(String[] args) {
        System.exit(new CommandLine(new cpu_processes()).execute(args));
    }

    @Override
    public Integer call() throws IOException {
        if (child) return ChildJvm.serve(Long.class, CpuWork::crunch);
        return run.measure("processes", (millions, task) -> runAll(millions, run));
    }

    /**
     * One child JVM per task, all at once: parallel like threads, plus ~0.3 s to start each JVM and its own
     * cold JIT. Each child gets its count of steps down its stdin pipe and sends the result back up its stdout.
     */
    static List<CpuRun.TaskResult> runAll(List<Integer> millions, CpuRun run) throws Exception {
        List<CompletableFuture<CpuRun.TaskResult>> results = new ArrayList<>();
        for (int n : millions) {
            double startedAt = run.secondsSinceStart();
            ChildJvm child = ChildJvm.start("cpu_processes", List.of(), List.of("--child"));
            results.add(CompletableFuture.supplyAsync(() -> inChild(child, n, startedAt, run), Thread::startVirtualThread));
        }
        return results.stream().map(CompletableFuture::join).toList();
    }

    /** Waits for the child's answer; a child that died is reported with its exit code. */
    private static CpuRun.TaskResult inChild(ChildJvm child, int millions, double startedAt, CpuRun run) {
        try {
            Long result = child.ask(run.steps(millions), Long.class);
            if (result == null)
                throw new IllegalStateException("child process " + child.pid() + " for task " + millions + " died (exit code " + child.exitCode() + ")");
            CpuRun.TaskResult done = run.ranElsewhere(millions, result, startedAt, "process " + child.pid(), child.pid());
            run.childUsed(child.finish());
            return done;
        } catch (InterruptedException e) {
            child.kill();
            throw new IllegalStateException("interrupted while child process " + child.pid() + " ran task " + millions);
        }
    }
}

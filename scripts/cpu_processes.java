///usr/bin/env "$(dirname "$0")/../jbang" "$0" "$@" ; exit $?
//JAVA 25+
//RUNTIME_OPTIONS -XX:+ExitOnOutOfMemoryError -XX:+DisplayVMOutputToStderr
//DESCRIPTION CPU crunch on a pool of child JVMs, one per core: Python's process pool, parallel like threads plus a JVM start each.
//SOURCES lib/cpu/CpuRun.java

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "cpu_processes", mixinStandardHelpOptions = true, version = "cpu_processes 1.0",
        description = "Counts to each of --tasks million (times --scale) with honest work: a pool of child JVMs.")
class cpu_processes implements Callable<Integer> {
    @Mixin CpuRun run;

    @Option(names = "--processes", description = "Child JVMs in the pool (default: one per core, ${DEFAULT-VALUE}).")
    int processes = Runtime.getRuntime().availableProcessors();

    public static void main(String[] args) throws IOException {
        // a child parses no command line: picocli's model of this one costs ~0.2 s of a child's start
        if (args.length == 1 && args[0].equals("--child")) System.exit(ChildJvm.serve(Long.class, CpuWork::crunch));
        System.exit(new CommandLine(new cpu_processes()).execute(args));
    }

    @Override
    public Integer call() throws IOException {
        if (processes < 1) {
            System.err.println("cpu_processes: --processes must be at least 1, got " + processes);
            return CommandLine.ExitCode.USAGE;
        }
        return run.measure("processes", (millions, task) -> runAll(millions, processes, run));
    }

    /**
     * A pool of child JVMs, like Python's ProcessPoolExecutor: one per core, started at once (~0.15 s each from
     * their AOT cache, ~0.25 s without), each taking the next task when it is free. A task goes down a child's stdin
     * pipe as a count of steps; its result comes back up its stdout.
     */
    static List<CpuRun.TaskResult> runAll(List<Integer> millions, int processes, CpuRun run) throws Exception {
        CpuRun.TaskResult[] results = new CpuRun.TaskResult[millions.size()];
        AtomicInteger next = new AtomicInteger();
        List<Future<?>> lanes = new ArrayList<>();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {   // a virtual thread waits on each child
            for (int p = 0; p < Math.min(processes, millions.size()); p++)
                lanes.add(pool.submit(() -> {
                    ChildJvm child = ChildJvm.start("cpu_processes", List.of(), List.of("--child"));
                    try {
                        for (int i = next.getAndIncrement(); i < millions.size(); i = next.getAndIncrement())
                            results[i] = inChild(child, millions.get(i), run);
                    } finally {
                        run.childUsed(child.finish());
                    }
                    return null;
                }));
            for (Future<?> lane : lanes) lane.get();   // a child that died fails the run, saying which
        } catch (ExecutionException e) {
            throw (Exception) e.getCause();
        }
        return List.of(results);
    }

    /** One task in the child; a child that died is reported with its exit code. */
    private static CpuRun.TaskResult inChild(ChildJvm child, int millions, CpuRun run) throws InterruptedException {
        double startedAt = run.secondsSinceStart();
        Long result = child.ask(run.steps(millions), Long.class);
        if (result == null)
            throw new IllegalStateException("child process " + child.pid() + " for task " + millions + " died (exit code " + child.exitCode() + ")");
        return run.ranElsewhere(millions, result, startedAt, "process " + child.pid(), child.pid());
    }
}

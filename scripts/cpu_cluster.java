///usr/bin/env "$(dirname "$0")/../jbang" "$0" "$@" ; exit $?
//JAVA 25+
//RUNTIME_OPTIONS -XX:+ExitOnOutOfMemoryError -XX:+DisplayVMOutputToStderr --sun-misc-unsafe-memory-access=allow --add-modules java.se
//RUNTIME_OPTIONS --add-exports java.base/jdk.internal.ref=ALL-UNNAMED --add-opens java.base/java.lang=ALL-UNNAMED
//RUNTIME_OPTIONS --add-opens java.base/sun.nio.ch=ALL-UNNAMED --add-opens java.management/sun.management=ALL-UNNAMED
//RUNTIME_OPTIONS --add-opens jdk.management/com.sun.management.internal=ALL-UNNAMED
//DESCRIPTION CPU crunch across a Hazelcast cluster of member JVMs: each task a durable task on a member, the members taking turns.
//SOURCES lib/cpu/CpuRun.java lib/cluster/Cluster.java

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "cpu_cluster", mixinStandardHelpOptions = true, version = "cpu_cluster 1.0",
        description = "Counts to each of --tasks million (times --scale) with honest work: each task on a member of a Hazelcast cluster.")
class cpu_cluster implements Callable<Integer> {
    @Mixin CpuRun run;

    @Option(names = "--members", description = "Member JVMs to start on this machine (default: one per core, ${DEFAULT-VALUE}).")
    int members = Runtime.getRuntime().availableProcessors();

    public static void main(String[] args) throws Exception {
        if (Cluster.isMemberChild(args)) System.exit(Cluster.serveAsMember(args, nothing -> { }));
        System.exit(new CommandLine(new cpu_cluster()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        String tooMany = Cluster.membersProblem(members);
        String problem = tooMany != null ? tooMany : run.problem();
        if (problem != null) {   // said before a cluster forms
            System.err.println("cluster: " + problem);
            return CommandLine.ExitCode.USAGE;
        }
        try (Cluster cluster = Cluster.startLocal("cpu_cluster", members, List.of(), List.of())) {
            System.err.println(cluster.formed() + " (not timed: a cluster is formed once and kept)");
            return run.measure("cluster", (millions, task) -> runAll(cluster, millions, run));
        }
    }

    /**
     * Each task goes to a member as a durable task (kept on a second member too: run again there if its member
     * dies first), the members taking turns; a member runs the tasks it has at once, on its own threads.
     */
    static List<CpuRun.TaskResult> runAll(Cluster cluster, List<Integer> millions, CpuRun run) throws Exception {
        var before = cluster.usage();
        List<Future<CpuRun.TaskResult>> tasks = new ArrayList<>();
        try (var handing = Executors.newVirtualThreadPerTaskExecutor()) {   // a virtual thread waits for each task
            for (int i = 0; i < millions.size(); i++) {
                int task = i;
                tasks.add(handing.submit(() -> {
                    double startedAt = run.secondsSinceStart();
                    Crunched done = cluster.run(new Crunch(run.steps(millions.get(task))), task);
                    return run.ranElsewhere(millions.get(task), done.result(), startedAt, done.lane(), done.pid());
                }));
            }
        }
        List<CpuRun.TaskResult> results = new ArrayList<>();
        for (var task : tasks) {
            try {
                results.add(task.get());
            } catch (ExecutionException e) {   // no member left to run it
                throw (Exception) e.getCause();
            }
        }
        Cluster.used(before, cluster.usage()).forEach(run::childUsed);
        return results;
    }

    /** One task, as it travels to a member (Java serialization): the steps to crunch; back: the result and where it ran. */
    record Crunch(long steps) implements Callable<Crunched>, Serializable {
        @Override
        public Crunched call() {
            return new Crunched(CpuWork.crunch(steps), Cluster.lane, ProcessHandle.current().pid());
        }
    }

    record Crunched(long result, String lane, long pid) implements Serializable {}
}

///usr/bin/env "$(dirname "$0")/../jbang" "$0" "$@" ; exit $?
//JAVA 25+
//RUNTIME_OPTIONS -XX:+ExitOnOutOfMemoryError -XX:+DisplayVMOutputToStderr
//RUNTIME_OPTIONS --sun-misc-unsafe-memory-access=allow --add-modules java.se --add-exports java.base/jdk.internal.ref=ALL-UNNAMED
//RUNTIME_OPTIONS --add-opens java.base/java.lang=ALL-UNNAMED --add-opens java.base/sun.nio.ch=ALL-UNNAMED
//RUNTIME_OPTIONS --add-opens java.management/sun.management=ALL-UNNAMED --add-opens jdk.management/com.sun.management.internal=ALL-UNNAMED
//DESCRIPTION A long-running pool of N workers (platform threads, virtual threads, child JVMs or a cluster's members) fed by a bounded queue; tasks come from arguments, a file or stdin while it runs.
//DEPS info.picocli:picocli:4.7.7
//SOURCES lib/pool/Pool.java lib/scrape/TimeoutOption.java lib/out/OutputOptions.java

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "worker_pool", mixinStandardHelpOptions = true, version = "worker_pool 1.0",
        description = {"Starts --workers workers that take tasks from a bounded queue and stay alive between them.",
                "Tasks: a URL (http:// or https://) is fetched; 'cpu N' crunches N million steps.",
                "They come from the arguments, then --tasks FILE, else stdin (one per line, typed while it runs).",
                "Lines 'stats' (per-worker counts and busy time) and 'shutdown' (finish the queue, stop) control it.",
                "EOF or 'shutdown' drains the queue; Ctrl-C or --drain=false cancels what has not finished.",
                "Its benchmark is pool_bench.java."})
class worker_pool implements Callable<Integer> {
    @Option(names = "--workers", description = "Workers in the pool (default: ${DEFAULT-VALUE}).")
    int workers = 3;
    @Option(names = "--model", description = "What runs a worker's task: threads or virtual (its own platform or virtual thread), processes (a child JVM of its own)"
            + " or cluster (a member of a Hazelcast cluster on this machine, the members taking turns) (default: ${DEFAULT-VALUE}).")
    Pool.Model model = Pool.Model.threads;
    @Option(names = "--members", description = "Member JVMs of the cluster model's cluster (default: ${DEFAULT-VALUE}).")
    int members = 2;
    @Option(names = "--queue", description = "Tasks the queue holds; a producer waits when it is full (default: ${DEFAULT-VALUE}).")
    int queueSize = 10;
    @Option(names = "--tasks", paramLabel = "FILE", description = "Read tasks from this file ('-' = stdin).")
    Path taskFile;
    @Parameters(paramLabel = "TASK", description = "Tasks, e.g. https://example.com 'cpu 5'.")
    List<String> taskArgs = List.of();
    @Option(names = "--stats", description = "Print per-worker statistics at the end.")
    boolean stats;
    @Option(names = "--drain", arity = "0..1", fallbackValue = "true", paramLabel = "true|false",
            description = "At the end, finish queued tasks (true, the default) or cancel them (false).")
    boolean drain = true;
    @Mixin TimeoutOption timeout = new TimeoutOption();
    @Mixin TimelineOption timeline = new TimelineOption();
    @Mixin JsonOption json = new JsonOption();
    private final AtomicBoolean stdoutClosed = new AtomicBoolean();

    public static void main(String[] args) {
        System.exit(new CommandLine(new worker_pool()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        String tooMany = Cluster.membersProblem(members);
        String problem = workers < 1 ? "--workers must be at least 1, got " + workers
                : tooMany != null ? tooMany
                : queueSize < 1 ? "--queue must be at least 1, got " + queueSize
                : timeout.problem() != null ? timeout.problem()
                : timeline.problem();
        if (problem != null) {
            System.err.println("worker_pool: " + problem);
            return CommandLine.ExitCode.USAGE;
        }
        PrintStream out = System.out;
        List<Pool.Result> ran = new ArrayList<>();   // for --timeline; the pool emits one result at a time
        Consumer<Pool.Result> print = r -> {
            out.println(json.on ? ChildJvm.JSON.toJson(r) : describe(r));
            if (out.checkError()) stdoutClosed.set(true);   // e.g. | head -1 has gone: stop reading tasks
            if (timeline.file != null && r.worker() > 0) ran.add(r);
        };
        try (Pool pool = new Pool(model, workers, queueSize, timeout.duration(), print, members)) {
            if (pool.clusterFormed() != null) System.err.println(pool.clusterFormed());
            AtomicBoolean finished = new AtomicBoolean();
            Thread ctrlC = new Thread(() -> {   // Ctrl-C: cancel what is left, every task still gets its result
                if (!finished.compareAndSet(false, true)) return;
                pool.cancel();
                summary(pool);
            });
            Runtime.getRuntime().addShutdownHook(ctrlC);
            long read = feed(pool);
            if (read == 0) System.err.println("worker_pool: no tasks: " + (taskArgs.isEmpty() && taskFile == null ? "stdin was empty" : "nothing to do"));
            if (drain && !stdoutClosed.get()) pool.shutdown(); else pool.cancel();
            if (!finished.compareAndSet(false, true)) return 130;   // the hook has it
            if (stats) printStats(pool.stats());
            summary(pool);
            Runtime.getRuntime().removeShutdownHook(ctrlC);
            if (timeline.file != null) System.err.println(drawTimeline(ran));
        }
        return CommandLine.ExitCode.OK;
    }

    /** Gives the pool every line from the arguments, the file and stdin, in that order. Returns tasks given. */
    long feed(Pool pool) throws IOException, InterruptedException {
        long given = 0;
        for (String line : taskArgs) {
            if (stdoutClosed.get() || !line(pool, line)) return given;
            given++;
        }
        boolean stdin = taskFile != null ? taskFile.toString().equals("-") : taskArgs.isEmpty();
        if (taskFile != null && !stdin && !Files.isReadable(taskFile)) {
            System.err.println("worker_pool: cannot read --tasks " + taskFile + ": skipped");
            return given;
        }
        if (taskFile == null && !stdin) return given;
        if (stdin && System.console() != null && System.console().isTerminal())   // someone is typing: say what to type
            System.err.println("worker_pool: type a task per line (a URL, or 'cpu N'), 'stats' or 'shutdown'; Ctrl-D ends the input, Ctrl-C cancels");
        try (BufferedReader lines = stdin ? new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))
                : Files.newBufferedReader(taskFile)) {
            for (String line = lines.readLine(); line != null && !stdoutClosed.get(); line = lines.readLine()) {
                if (line.isBlank() || line.strip().startsWith("#")) continue;
                if (!line(pool, line)) break;
                given++;
            }
        }
        return given;
    }

    /** One line: a control word or a task. False when it says to stop reading. */
    boolean line(Pool pool, String line) throws InterruptedException {
        switch (line.strip()) {
            case "shutdown" -> { return false; }
            case "stats" -> printStats(pool.stats());
            default -> pool.submit(line.strip());
        }
        return true;
    }

    void printStats(List<Pool.WorkerStats> all) {
        if (json.on) {
            System.out.println(ChildJvm.JSON.toJson(Map.of("stats", all)));
            return;
        }
        System.out.println("worker  identity             tasks  failed  busy s  alive s  busy %  replaced");
        for (Pool.WorkerStats w : all)
            System.out.printf("%6d  %-19s %6d  %6d  %6.2f  %7.2f  %5.0f%%  %8d%n", w.worker(), w.by(), w.tasks(), w.failed(),
                    w.busySeconds(), w.aliveSeconds(), 100 * w.busySeconds() / Math.max(w.aliveSeconds(), 1e-9), w.replaced());
    }

    void summary(Pool pool) {
        long[] n = pool.counts();
        (json.on ? System.err : System.out).printf("%d tasks: %d done, %d failed, %d cancelled; %d workers (%s), pool alive %.2f s%n",
                n[0] + n[1] + n[2], n[0], n[1], n[2], workers, model, pool.aliveSeconds());
    }

    /** One lane per worker (a replaced process worker's new child gets a lane of its own), a bar per task it ran, labelled #task. */
    static List<Charts.Span> spans(List<Pool.Result> results) {
        return results.stream().filter(r -> r.worker() > 0).sorted(Comparator.comparingDouble(Pool.Result::startedAt))
                .map(r -> new Charts.Span("worker " + r.worker() + " (" + r.by() + ")", r.startedAt(), r.startedAt() + r.seconds(), true, "#" + r.task()))
                .toList();
    }

    String drawTimeline(List<Pool.Result> results) throws IOException {
        List<Charts.Span> spans = spans(results);
        List<String> lanes = Charts.timeline(timeline.file, workers + " " + model + " workers, queue " + queueSize + ": which worker ran which task when", spans);
        return String.format("timeline written to %s: %d tasks on %d lane(s)", timeline.file, spans.size(), lanes.size());
    }

    static String describe(Pool.Result r) {
        return String.format("%-11s %-9s #%-4d %-40s %s%s", r.worker() == 0 ? "-" : "worker " + r.worker(), r.outcome(), r.task(),
                r.text().length() > 40 ? r.text().substring(0, 37) + "..." : r.text(), r.detail(),
                r.worker() == 0 ? "" : String.format(" (%.3f s, %s)", r.seconds(), r.by()));
    }
}

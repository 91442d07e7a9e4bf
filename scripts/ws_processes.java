///usr/bin/env "$(dirname "$0")/../jbang" "$0" "$@" ; exit $?
//JAVA 25+
//RUNTIME_OPTIONS -Xmx256m -XX:+ExitOnOutOfMemoryError -XX:+DisplayVMOutputToStderr
//DESCRIPTION Web scrape with a pool of child JVMs (default one per core): Python's multiprocessing Pool.
//SOURCES lib/scrape/ScrapeRun.java

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "ws_processes", mixinStandardHelpOptions = true, version = "ws_processes 1.0",
        description = "Downloads the URLs with a pool of child JVM processes, one download at a time in each.")
class ws_processes implements Callable<Integer> {
    @Mixin ScrapeRun run;

    @Option(names = "--processes", description = "Child JVMs in the pool (default: one per core, here ${DEFAULT-VALUE}).")
    int processes = Runtime.getRuntime().availableProcessors();

    public static void main(String[] args) throws IOException {
        // a child of the pool parses no command line: picocli's model of this one costs ~0.2 s of a child's start
        if (args.length == 3 && args[0].equals(CHILD)) System.exit(serveParent(Duration.ofMillis(Long.parseLong(args[1])), Long.parseLong(args[2])));
        System.exit(new CommandLine(new ws_processes()).execute(args));
    }

    private static final String CHILD = "--child";

    /**
     * A child's JIT: C1 only. A child downloads one page at a time and waits on the network most of its life; C2's
     * compiles, on the same cores, cost it more than its faster code gives back. 80 sites, median of 3 each:
     * 8.65 s with C2 (CPU 5.07 s), 8.24 s with C1 only (CPU 2.63 s).
     */
    static final List<String> CHILD_JVM_FLAGS = List.of("-XX:TieredStopAtLevel=1");

    /** What a child is started with: --child, then its per-request timeout in ms and the most bytes of a body. */
    static List<String> childArgs(Duration timeout, long maxBytes) {
        return List.of(CHILD, String.valueOf(timeout.toMillis()), String.valueOf(maxBytes));
    }

    @Override
    public Integer call() throws IOException {
        if (processes < 1) {
            System.err.println("ws_processes: --processes must be at least 1, got " + processes);
            return CommandLine.ExitCode.USAGE;
        }
        List<String> childArgs = childArgs(run.timeout.duration(), run.maxBytes);
        return run.measure("processes", processes, "process",
                (scraper, urls) -> downloadAll(urls, processes, childArgs, run::childUsed));
    }

    /**
     * Each child is a whole JVM (its own heap, JIT and HttpClient, ~0.2 s to start): the work is shared
     * between processes that share nothing. Each child downloads one URL at a time; a feeder thread per
     * child sends it the next URL over its stdin pipe and reads the result back from its stdout pipe.
     */
    static List<SiteResult> downloadAll(List<String> urls, int processes, List<String> childArgs,
                                        Consumer<ChildJvm.Usage> childUsed) throws Exception {
        SiteResult[] results = new SiteResult[urls.size()];
        AtomicInteger next = new AtomicInteger();
        AtomicInteger lastExitCode = new AtomicInteger();
        try (ExecutorService feeders = Executors.newVirtualThreadPerTaskExecutor()) {   // they only wait on pipes
            for (int i = 0; i < processes; i++) {
                ChildJvm child = ChildJvm.start("ws_processes", CHILD_JVM_FLAGS, childArgs);
                feeders.submit(() -> feed(child, urls, next, results, lastExitCode, childUsed));
            }
        }
        List<SiteResult> all = new ArrayList<>();
        for (int i = 0; i < results.length; i++)
            all.add(results[i] != null ? results[i] : SiteResult.failed(urls.get(i), 0,
                    "not downloaded: every child process died (last exit code " + lastExitCode.get() + ")"));
        return all;
    }

    /** Feeds one child until the URLs run out or the child dies; a dead child's URL is failed with its exit code. */
    private static Void feed(ChildJvm child, List<String> urls, AtomicInteger next, SiteResult[] results,
                             AtomicInteger lastExitCode, Consumer<ChildJvm.Usage> childUsed) throws InterruptedException {
        for (int i = next.getAndIncrement(); i < urls.size(); i = next.getAndIncrement()) {
            SiteResult result = child.ask(urls.get(i), SiteResult::fromJson);
            if (result == null) {
                lastExitCode.set(child.exitCode());
                results[i] = SiteResult.failed(urls.get(i), 0, "child process " + child.pid() + " died (exit code " + lastExitCode.get() + ")");
                return null;
            }
            results[i] = result;
        }
        childUsed.accept(child.finish());   // end of input: the child reports its usage and exits
        return null;
    }

    /** The child's side: one URL per line in, one result per line out, its usage last. */
    private static int serveParent(Duration timeout, long maxBytes) throws IOException {
        try (Scraper scraper = new Scraper(timeout, maxBytes)) {
            String me = "process " + ProcessHandle.current().pid();
            return ChildJvm.serve(String.class, url -> scraper.download(url).ranOn(me).toJson());
        }
    }
}

///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 25+
//DESCRIPTION Web scrape with a pool of child JVMs (default one per core): Python's multiprocessing Pool.
//SOURCES lib/ScrapeRun.java

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
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

    @Option(names = "--child", hidden = true, description = "Run as a child: URLs on stdin, one JSON result per line on stdout.")
    boolean child;

    public static void main(String[] args) {
        System.exit(new CommandLine(new ws_processes()).execute(args));
    }

    @Override
    public Integer call() throws IOException {
        if (child) return serveParent();
        if (processes < 1) {
            System.err.println("ws_processes: --processes must be at least 1, got " + processes);
            return CommandLine.ExitCode.USAGE;
        }
        List<String> childArgs = new ArrayList<>(List.of("--child"));
        childArgs.addAll(run.scraperArgs());
        return run.measure("Processes", processes, (scraper, urls) -> downloadAll(urls, processes, childArgs));
    }

    /**
     * Each child is a whole JVM (its own heap, JIT and HttpClient, ~0.3 s to start): the work is shared
     * between processes that share nothing. Each child downloads one URL at a time; a feeder thread per
     * child sends it the next URL over its stdin pipe and reads the result back from its stdout pipe.
     */
    static List<SiteResult> downloadAll(List<String> urls, int processes, List<String> childArgs) throws Exception {
        SiteResult[] results = new SiteResult[urls.size()];
        AtomicInteger next = new AtomicInteger();
        AtomicInteger lastExitCode = new AtomicInteger();
        try (ExecutorService feeders = Executors.newVirtualThreadPerTaskExecutor()) {   // they only wait on pipes
            for (int i = 0; i < processes; i++) {
                Process child = new ProcessBuilder(ChildJvm.command("ws_processes", childArgs))
                        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
                feeders.submit(() -> feed(child, urls, next, results, lastExitCode));
            }
        }
        List<SiteResult> all = new ArrayList<>();
        for (int i = 0; i < results.length; i++)
            all.add(results[i] != null ? results[i] : SiteResult.failed(urls.get(i), 0,
                    "not downloaded: every child process died (last exit code " + lastExitCode.get() + ")"));
        return all;
    }

    /** Feeds one child until the URLs run out or the child dies; a dead child's URL is failed with its exit code. */
    private static Void feed(Process child, List<String> urls, AtomicInteger next, SiteResult[] results,
                             AtomicInteger lastExitCode) throws IOException, InterruptedException {
        try (var toChild = new PrintWriter(child.getOutputStream(), false, StandardCharsets.UTF_8);
             var fromChild = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            for (int i = next.getAndIncrement(); i < urls.size(); i = next.getAndIncrement()) {
                toChild.println(urls.get(i));
                toChild.flush();
                String line = fromChild.readLine();
                if (line == null) {
                    lastExitCode.set(child.waitFor());
                    results[i] = SiteResult.failed(urls.get(i), 0,
                            "child process " + child.pid() + " died (exit code " + lastExitCode.get() + ")");
                    return null;
                }
                results[i] = ScrapeReport.JSON.fromJson(line, SiteResult.class);
            }
            toChild.close();                      // end of input: the child reports its usage and exits
            String usage = fromChild.readLine();   // "done <cpu nanos> <peak RSS bytes>"
            if (usage != null && usage.startsWith("done ")) {
                String[] fields = usage.split(" ");
                JvmUsage.childCpuNanos.addAndGet(Long.parseLong(fields[1]));
                JvmUsage.childPeakRssBytes.addAndGet(Long.parseLong(fields[2]));
            }
        } finally {
            child.waitFor();
        }
        return null;
    }

    /** The child's side: one URL per line in, one JSON result per line out, its usage last. */
    private int serveParent() throws IOException {
        try (Scraper scraper = run.newScraper();
             var fromParent = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            String me = "process " + ProcessHandle.current().pid();
            for (String url = fromParent.readLine(); url != null; url = fromParent.readLine()) {
                System.out.println(ScrapeReport.JSON.toJson(scraper.download(url).ranOn(me)));
                System.out.flush();
            }
        }
        System.out.println("done " + JvmUsage.processCpuNanos() + " " + JvmUsage.peakRssBytes());
        return CommandLine.ExitCode.OK;
    }
}

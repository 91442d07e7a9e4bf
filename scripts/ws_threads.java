///usr/bin/env "$(dirname "$0")/../jbang" "$0" "$@" ; exit $?
//JAVA 25+
//RUNTIME_OPTIONS -Xmx256m -XX:+ExitOnOutOfMemoryError -XX:+DisplayVMOutputToStderr
//DESCRIPTION Web scrape with a fixed pool of platform threads (default 10): Python's ThreadPoolExecutor.
//SOURCES lib/scrape/ScrapeRun.java

import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "ws_threads", mixinStandardHelpOptions = true, version = "ws_threads 1.0",
        description = "Downloads the URLs with a fixed pool of platform threads.")
class ws_threads implements Callable<Integer> {
    @Mixin ScrapeRun run;

    @Option(names = "--threads", description = "Platform threads in the pool (default: ${DEFAULT-VALUE}).")
    int threads = 10;

    public static void main(String[] args) {
        System.exit(new CommandLine(new ws_threads()).execute(args));
    }

    @Override
    public Integer call() {
        if (threads < 1) {
            System.err.println("ws_threads: --threads must be at least 1, got " + threads);
            return CommandLine.ExitCode.USAGE;
        }
        return run.measure("threads", threads, "thread", (scraper, urls) -> downloadAll(scraper, urls, threads));
    }

    /**
     * At most {@code threads} downloads at once: each blocked request holds a whole OS thread (~1 MB of
     * stack, a kernel schedulable), which is why pools are kept small and the rest of the URLs queue.
     */
    static List<SiteResult> downloadAll(Scraper scraper, List<String> urls, int threads) {
        List<Future<SiteResult>> downloads;
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
        // try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {   // ws_virtual, one line away
            downloads = urls.stream().map(url -> pool.submit(() -> scraper.download(url))).toList();
        }   // close() waits until every download is done
        return downloads.stream().map(Future::resultNow).toList();
    }
}

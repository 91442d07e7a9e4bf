///usr/bin/env "$(dirname "$0")/../jbang" "$0" "$@" ; exit $?
//JAVA 25+
//RUNTIME_OPTIONS -Xmx256m -XX:+ExitOnOutOfMemoryError -XX:+DisplayVMOutputToStderr
//DESCRIPTION Web scrape with one virtual thread per URL: blocking code, asyncio-like scale.
//SOURCES lib/scrape/ScrapeRun.java

import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "ws_virtual", mixinStandardHelpOptions = true, version = "ws_virtual 1.0",
        description = "Downloads every URL on its own virtual thread.")
class ws_virtual implements Callable<Integer> {
    @Mixin ScrapeRun run;

    public static void main(String[] args) {
        System.exit(new CommandLine(new ws_virtual()).execute(args));
    }

    @Override
    public Integer call() {
        return run.measure("virtual", null, "thread", ws_virtual::downloadAll);
    }

    /**
     * Every download gets its own virtual thread. While one waits for the network it is unmounted from
     * its carrier (one platform thread per core), so thousands wait at the cost of a few KB each.
     */
    static List<SiteResult> downloadAll(Scraper scraper, List<String> urls) {
        List<Future<SiteResult>> downloads;
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
        // try (ExecutorService executor = Executors.newFixedThreadPool(10)) {   // ws_threads, one line away
            downloads = urls.stream().map(url -> executor.submit(() -> scraper.download(url))).toList();
        }   // close() waits until every download is done
        return downloads.stream().map(Future::resultNow).toList();
    }
}

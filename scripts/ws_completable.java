///usr/bin/env "$(dirname "$0")/../jbang" "$0" "$@" ; exit $?
//JAVA 25+
//RUNTIME_OPTIONS -Xmx256m -XX:+ExitOnOutOfMemoryError -XX:+DisplayVMOutputToStderr
//DESCRIPTION Web scrape with non-blocking HttpClient.sendAsync and CompletableFuture: the asyncio of Java.
//SOURCES lib/scrape/ScrapeRun.java

import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "ws_completable", mixinStandardHelpOptions = true, version = "ws_completable 1.0",
        description = "Downloads the URLs with non-blocking requests composed with CompletableFuture.")
class ws_completable implements Callable<Integer> {
    @Mixin ScrapeRun run;

    public static void main(String[] args) {
        System.exit(new CommandLine(new ws_completable()).execute(args));
    }

    @Override
    public Integer call() {
        return run.measure("completable", null, "request (no thread waits)", ws_completable::downloadAll);
    }

    /**
     * No thread waits for a site: every request is sent at once, the HttpClient's selector thread watches
     * all the sockets, and each future completes when its page is in (asyncio's gather, in Java).
     */
    static List<SiteResult> downloadAll(Scraper scraper, List<String> urls) {
        List<CompletableFuture<SiteResult>> downloads = urls.stream().map(scraper::downloadAsync).toList();
        CompletableFuture.allOf(downloads.toArray(CompletableFuture[]::new)).join();
        return downloads.stream().map(CompletableFuture::join).toList();
    }
}

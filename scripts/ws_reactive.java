///usr/bin/env "$(dirname "$0")/../jbang" "$0" "$@" ; exit $?
//JAVA 25+
//RUNTIME_OPTIONS -Xmx256m -XX:+ExitOnOutOfMemoryError -XX:+DisplayVMOutputToStderr
//DESCRIPTION Web scrape as a reactive stream (Project Reactor): flatMap over non-blocking requests, with its concurrency limit in plain sight.
//DEPS io.projectreactor:reactor-core:3.8.8
//SOURCES lib/scrape/ScrapeRun.java

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

@Command(name = "ws_reactive", mixinStandardHelpOptions = true, version = "ws_reactive 1.0",
        description = "Downloads the URLs as a reactive stream: at most --concurrency requests in flight, results in input order.")
class ws_reactive implements Callable<Integer> {
    @Mixin ScrapeRun run;

    @Option(names = "--concurrency", description = "Requests in flight at most: flatMap's limit (default: Reactor's own, ${DEFAULT-VALUE}).")
    int concurrency = 256;

    public static void main(String[] args) {
        System.exit(new CommandLine(new ws_reactive()).execute(args));
    }

    @Override
    public Integer call() {
        if (concurrency < 1) {
            System.err.println("ws_reactive: --concurrency must be at least 1, got " + concurrency);
            return CommandLine.ExitCode.USAGE;
        }
        return run.measure("reactive", concurrency, "request (no thread waits)", (scraper, urls) -> downloadAll(scraper, urls, concurrency));
    }

    /**
     * The URLs as a stream; each becomes a non-blocking request when flatMap subscribes to it, at most
     * {@code concurrency} at a time (Reactor's default is 256: the limit every reactive pipeline has, said here).
     * flatMapSequential hands the results on in the order of the URLs; no thread waits for a site.
     */
    static List<SiteResult> downloadAll(Scraper scraper, List<String> urls, int concurrency) {
        return Flux.fromIterable(urls)
                .flatMapSequential(url -> Mono.fromFuture(() -> scraper.downloadAsync(url)), concurrency)
                .collectList()
                .block();
    }
}

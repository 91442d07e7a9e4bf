///usr/bin/env "$(dirname "$0")/../jbang" "$0" "$@" ; exit $?
//JAVA 25
//PREVIEW
//RUNTIME_OPTIONS -Xmx256m -XX:+ExitOnOutOfMemoryError -XX:+DisplayVMOutputToStderr
//DESCRIPTION Web scrape with StructuredTaskScope (JDK 25 preview): every URL a subtask; a deadline or Ctrl-C cancels what is unfinished.
//SOURCES lib/scrape/ScrapeRun.java

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.StructuredTaskScope;
import java.util.concurrent.StructuredTaskScope.Joiner;
import java.util.concurrent.StructuredTaskScope.Subtask;
import java.util.stream.IntStream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

// //JAVA 25, not 25+: the StructuredTaskScope preview API changes again in JDK 26.
@Command(name = "ws_structured", mixinStandardHelpOptions = true, version = "ws_structured 1.0",
        description = "Downloads every URL as a subtask of one StructuredTaskScope.")
class ws_structured implements Callable<Integer> {
    @Mixin ScrapeRun run;

    @Option(names = "--deadline", paramLabel = "SECONDS",
            description = "Cancel every unfinished download after this long (default: none).")
    Double deadlineSeconds;

    public static void main(String[] args) {
        System.exit(new CommandLine(new ws_structured()).execute(args));
    }

    @Override
    public Integer call() {
        if (deadlineSeconds != null && deadlineSeconds <= 0) {
            System.err.println("ws_structured: --deadline must be positive, got " + deadlineSeconds);
            return CommandLine.ExitCode.USAGE;
        }
        Duration deadline = deadlineSeconds == null ? null : Duration.ofMillis((long) (deadlineSeconds * 1000));
        run.cancelOnCtrlC();   // Ctrl-C interrupts the scope's owner: the scope cancels its subtasks
        // the deadline is the timed run's: the JIT warm-up before the clock (1,000 pages) runs to its end
        return run.measure("structured", null, "thread", (scraper, urls) -> downloadAll(scraper, urls, run.timing() ? deadline : null));
    }

    /**
     * Every URL is a subtask (a virtual thread) of one scope, and no subtask outlives the scope's block.
     * awaitAll: a failed site is a result like any other and does not cancel its siblings (the default
     * joiner would). A deadline, or an interrupt of the owner, cancels what is still running, and each
     * unfinished URL is reported as cancelled.
     */
    static List<SiteResult> downloadAll(Scraper scraper, List<String> urls, Duration deadline) {
        List<Subtask<SiteResult>> downloads;
        String whyUnfinished = "cancelled";
        try (var scope = StructuredTaskScope.open(Joiner.<SiteResult>awaitAll(),
                config -> deadline == null ? config : config.withTimeout(deadline))) {
            downloads = urls.stream().map(url -> scope.fork(() -> scraper.download(url))).toList();
            try {
                scope.join();
            } catch (StructuredTaskScope.TimeoutException e) {
                whyUnfinished = "cancelled: --deadline of " + deadline.toMillis() / 1000.0 + " s passed";
            } catch (InterruptedException e) {
                whyUnfinished = "cancelled: interrupted (Ctrl-C)";
            }
        }   // close() cancels what is unfinished and waits for every subtask's thread to end
        String why = whyUnfinished;
        return IntStream.range(0, urls.size())
                .mapToObj(i -> downloads.get(i).state() == Subtask.State.SUCCESS ? downloads.get(i).get()
                        : SiteResult.failed(urls.get(i), 0, why))
                .toList();
    }
}

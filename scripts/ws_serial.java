///usr/bin/env "$(dirname "$0")/../jbang" "$0" "$@" ; exit $?
//JAVA 25+
//RUNTIME_OPTIONS -Xmx256m -XX:+ExitOnOutOfMemoryError -XX:+DisplayVMOutputToStderr
//DESCRIPTION Web scrape, serial: one request after another. The baseline every other model is compared with.
//SOURCES lib/scrape/ScrapeRun.java

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "ws_serial", mixinStandardHelpOptions = true, version = "ws_serial 1.0",
        description = "Downloads every URL one after another: the baseline.")
class ws_serial implements Callable<Integer> {
    @Mixin ScrapeRun run;

    public static void main(String[] args) {
        System.exit(new CommandLine(new ws_serial()).execute(args));
    }

    @Override
    public Integer call() {
        return run.measure("serial", 1, "thread", ws_serial::downloadAll);
    }

    /** One request at a time: the total is the sum of every site's latency, and the CPU mostly waits. */
    static List<SiteResult> downloadAll(Scraper scraper, List<String> urls) {
        List<SiteResult> results = new ArrayList<>();
        for (String url : urls) results.add(scraper.download(url));
        return results;
    }
}

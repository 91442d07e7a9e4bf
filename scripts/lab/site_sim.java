///usr/bin/env "$(dirname "$0")/../../jbang" "$0" "$@" ; exit $?
//JAVA 25+
//RUNTIME_OPTIONS -XX:+ExitOnOutOfMemoryError -XX:+DisplayVMOutputToStderr
//DESCRIPTION A local web of N sites on 127.0.0.1 whose latency and page size are fixed functions of the path, plus faulty paths and /stats.
//DEPS info.picocli:picocli:4.7.7
//SOURCES ../lib/sim/SiteSim.java

import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The simulator's command line; the simulator itself is lib/sim/SiteSim.java, which the scripts' --sim start too. */
@Command(name = "site_sim", mixinStandardHelpOptions = true, version = "site_sim 1.0",
        description = {"Serves N simulated sites on 127.0.0.1 until stopped (Ctrl-C).",
                "Paths: /site/{i}, /status/{code}, /stall/headers, /stall/body, /reset, /big/{bytes}, /redirect/{i|loop|file}, /sites, /stats"})
class site_sim implements Callable<Integer> {
    @Option(names = "--port", description = "Port on 127.0.0.1; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int port = 8000;
    @Option(names = "--sites", description = "Number of sites (default: ${DEFAULT-VALUE}).")
    int sites = 80;
    @Option(names = "--min-ms", description = "Shortest latency in ms (default: ${DEFAULT-VALUE}).")
    int minMs = 50;
    @Option(names = "--max-ms", description = "Longest latency in ms (default: ${DEFAULT-VALUE}).")
    int maxMs = 400;
    @Option(names = "--page-kb", description = "Mean page size in KB (default: ${DEFAULT-VALUE}).")
    int pageKb = 40;
    @Option(names = "--seed", description = "Seed of the latencies and sizes (default: ${DEFAULT-VALUE}).")
    long seed = 42;

    public static void main(String[] args) {
        System.exit(new CommandLine(new site_sim()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        String problem = sites < 1 ? "--sites must be at least 1, got " + sites
                : minMs < 0 ? "--min-ms must be at least 0, got " + minMs
                : maxMs < minMs ? "--max-ms must be at least --min-ms (" + minMs + "), got " + maxMs
                : pageKb < 1 ? "--page-kb must be at least 1, got " + pageKb
                : port < 0 || port > 65_535 ? "--port must be 0..65535, got " + port : null;
        if (problem != null) {
            System.err.println("site_sim: " + problem);
            return CommandLine.ExitCode.USAGE;
        }
        SiteSim.Server server;
        try {
            server = new SiteSim.Server(new SiteSim.Plan(sites, minMs, maxMs, pageKb, seed), port);
        } catch (IOException e) {   // the port is taken, or not ours to bind
            System.err.println("site_sim: cannot listen on 127.0.0.1:" + port + ": " + e.getMessage());
            return CommandLine.ExitCode.USAGE;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(server::close));
        server.warmUp();
        System.out.printf("site_sim listening on %s (%d sites, %d-%d ms, ~%d KB pages, seed %d)%n",
                server.baseUrl(), sites, minMs, maxMs, pageKb, seed);
        System.out.flush();
        server.awaitClose();
        return CommandLine.ExitCode.OK;
    }
}

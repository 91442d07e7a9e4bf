///usr/bin/env "$(dirname "$0")/../jbang" "$0" "$@" ; exit $?
//JAVA 25+
//RUNTIME_OPTIONS -Xmx256m -XX:+ExitOnOutOfMemoryError -XX:+DisplayVMOutputToStderr --sun-misc-unsafe-memory-access=allow --add-modules java.se
//RUNTIME_OPTIONS --add-exports java.base/jdk.internal.ref=ALL-UNNAMED --add-opens java.base/java.lang=ALL-UNNAMED
//RUNTIME_OPTIONS --add-opens java.base/sun.nio.ch=ALL-UNNAMED --add-opens java.management/sun.management=ALL-UNNAMED
//RUNTIME_OPTIONS --add-opens jdk.management/com.sun.management.internal=ALL-UNNAMED
//DESCRIPTION Web scrape across a Hazelcast cluster of JVMs: chunks of URLs handed to members, virtual threads inside each.
//SOURCES lib/scrape/ScrapeRun.java lib/cluster/Cluster.java

import com.hazelcast.cluster.Member;
import java.io.IOException;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "ws_cluster", mixinStandardHelpOptions = true, version = "ws_cluster 1.0",
        description = {"Downloads the URLs across a Hazelcast cluster: this JVM hands chunks of URLs to member JVMs,",
                "each downloads its chunk on virtual threads. Members: --members child JVMs on this machine,",
                "or, with --join, members started on other machines with --member."})
class ws_cluster implements Callable<Integer> {
    @Mixin ScrapeRun run;

    @Option(names = "--members", description = "Member JVMs to start on this machine (default: ${DEFAULT-VALUE}).")
    int members = 2;
    @Option(names = "--join", split = ",", paramLabel = "HOST:PORT",
            description = "Use the members already running at these addresses (started with --member) instead of starting any.")
    List<String> join;
    @Option(names = "--member", description = "Be a member: run the tasks of the runs that --join this machine, until the run that joined ends.")
    boolean member;
    @Option(names = "--chunk", paramLabel = "URLS",
            description = "URLs a task carries (default: a quarter of a member's share, at most 100: a task costs ~3.5 ms to hand out).")
    Integer chunk;
    @Option(names = "--member-jit-warmup", paramLabel = "PAGES",
            description = "Pages each member (started here, or by --member) downloads and parses from a simulator of its own before it joins, so that its JIT"
                    + " is as warm as a single-JVM model's after its calibration (default: ${DEFAULT-VALUE}).")
    int memberJitWarmup = 2000;
    @Option(names = "--kill-member-after", paramLabel = "SECONDS",
            description = "SIGKILL one member this many seconds into the run: its tasks run again on the others.")
    Double killAfter;

    public static void main(String[] args) throws Exception {
        if (Cluster.isMemberChild(args)) System.exit(Cluster.serveAsMember(args, ws_cluster::warmUp));
        System.exit(new CommandLine(new ws_cluster()).execute(args));
    }

    /** The heap a member started here gets: ~24 KB a download in flight, 10,000 at once fit with room to spare. */
    private static final String MEMBER_HEAP = "-Xmx512m";

    @Override
    public Integer call() throws Exception {
        String tooMany = Cluster.membersProblem(members);
        String problem = tooMany != null ? tooMany
                : memberJitWarmup < 0 ? "--member-jit-warmup must be at least 0, got " + memberJitWarmup
                : chunk != null && chunk < 1 ? "--chunk must be at least 1, got " + chunk
                : killAfter != null && killAfter < 0 ? "--kill-member-after must be at least 0, got " + killAfter
                : killAfter != null && join != null ? "--kill-member-after kills a member this run started: not with --join"
                : killAfter != null && members < 2 ? "--kill-member-after needs --members 2 or more: someone must finish the work"
                : null;
        if (problem != null) {
            System.err.println("ws_cluster: " + problem);
            return CommandLine.ExitCode.USAGE;
        }
        if (member) {
            if (memberJitWarmup > 0) System.out.printf("warming this member's JIT up on %,d pages of a simulator of its own first%n", memberJitWarmup);
            return Cluster.serveRunsThatJoin(join == null ? List.of() : join, "ws_cluster.java", ws_cluster::warmUp, List.of(String.valueOf(memberJitWarmup)));
        }
        if (join != null && run.jitWarmupPages > 0) {
            // its pages would come from a simulator on this machine's 127.0.0.1, which members on other machines cannot reach
            System.err.println("(--join: no JIT warm-up through the members, whose own JIT each --member warmed before it joined)");
            run.jitWarmupPages = 0;
        }
        if (!run.optionsValid("ws_cluster")) return CommandLine.ExitCode.USAGE;   // said before a cluster forms
        try (Cluster cluster = join != null ? Cluster.join(join)
                : Cluster.startLocal("ws_cluster", members, List.of(MEMBER_HEAP), List.of(String.valueOf(memberJitWarmup)))) {
            System.err.println(cluster.formed() + (join == null && memberJitWarmup > 0
                    ? String.format(", each member's JIT warmed up on %,d pages first", memberJitWarmup) : "") + " (not timed)");
            return run.measure("cluster", null, "member", (scraper, urls) -> {
                if (killAfter != null && run.timing()) killOneLater(cluster.started().getFirst(), killAfter);
                return downloadAll(cluster, urls, chunk, run.timeout.duration(), run.maxBytes, run::childUsed, run.timing());
            });
        } catch (IOException e) {
            System.err.println("ws_cluster: " + e.getMessage());
            return CommandLine.ExitCode.SOFTWARE;
        }
    }

    /**
     * The URLs go out in chunks, each a task of the cluster's durable executor: the task is kept on a second member
     * too, and runs again there if its member dies before answering (at least once). Each chunk goes to the member
     * that owns its key, keys chosen so the members take turns; inside a member, a virtual thread per URL. Each
     * chunk's answer fills its URLs' places: a chunk that ran twice still answers once.
     */
    static List<SiteResult> downloadAll(Cluster cluster, List<String> urls, Integer chunkOption, Duration timeout,
                                        long maxBytes, Consumer<ChildJvm.Usage> memberUsed, boolean timed) throws Exception {
        int members = cluster.dataMembers().size();
        var before = timed ? cluster.usage() : Map.<Member, ChildJvm.Usage>of();
        int size = chunkOption != null ? chunkOption : Math.clamp((urls.size() + 4L * members - 1) / (4L * members), 1, 100);
        List<Future<String>> chunks = new ArrayList<>();
        try (ExecutorService handing = Executors.newVirtualThreadPerTaskExecutor()) {   // a hand-out waits ~3.5 ms for its member
            for (int first = 0; first < urls.size(); first += size) {
                Chunk task = new Chunk(List.copyOf(urls.subList(first, Math.min(urls.size(), first + size))), timeout.toMillis(), maxBytes);
                int n = chunks.size();   // the members take turns
                chunks.add(handing.submit(() -> cluster.run(task, n)));
            }
        }
        SiteResult[] results = new SiteResult[urls.size()];
        for (int c = 0; c < chunks.size(); c++) {
            int first = c * size;
            List<String> chunk = urls.subList(first, Math.min(urls.size(), first + size));
            SiteResult[] answer;
            try {
                answer = ChildJvm.JSON.fromJson(chunks.get(c).get(), SiteResult[].class);
            } catch (ExecutionException e) {   // the member's answer, or why there was none
                Throwable why = e.getCause() instanceof ExecutionException inner ? inner.getCause() : e.getCause();
                String error = "its chunk (URLs " + (first + 1) + "-" + (first + chunk.size()) + ") failed: " + why;
                answer = chunk.stream().map(url -> SiteResult.failed(url, 0, error)).toArray(SiteResult[]::new);
            }
            System.arraycopy(answer, 0, results, first, answer.length);
        }
        if (timed) Cluster.used(before, cluster.usage()).forEach(memberUsed);
        return List.of(results);
    }

    private static void killOneLater(ChildJvm member, double seconds) {
        Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(Duration.ofMillis((long) (seconds * 1000)));
                member.kill();
                System.err.printf("killed member pid %d (SIGKILL) %.2f s into the run%n", member.pid(), seconds);
            } catch (InterruptedException e) {
                // the run ended first
            }
        });
    }

    /** One task: these URLs, downloaded in the member that runs it, a virtual thread each; their results as JSON. */
    record Chunk(List<String> urls, long timeoutMillis, long maxBytes) implements Callable<String>, Serializable {
        private static final Map<String, Scraper> scrapers = new ConcurrentHashMap<>();   // one client per setting, per member

        @Override
        public String call() {
            Scraper scraper = scrapers.computeIfAbsent(timeoutMillis + "/" + maxBytes, k -> new Scraper(Duration.ofMillis(timeoutMillis), maxBytes));
            List<Future<SiteResult>> downloads;
            try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
                downloads = urls.stream().map(url -> executor.submit(() -> scraper.download(url).ranOn(Cluster.lane))).toList();
            }
            return ChildJvm.JSON.toJson(downloads.stream().map(Future::resultNow).toArray(SiteResult[]::new));
        }
    }

    /** A member, before it joins: the pages its first argument says, from a simulator of its own, as the run will send them. */
    private static void warmUp(List<String> args) throws IOException {
        try (var local = new SiteSim.Server(new SiteSim.Plan(Integer.parseInt(args.getFirst()), 0, 0, 40, 7), 0)) {
            List<String> urls = local.siteList().stream().map(SiteSim.SiteInfo::url).toList();
            for (int first = 0; first < urls.size(); first += 100)
                new Chunk(urls.subList(first, Math.min(urls.size(), first + 100)), 10_000, Scraper.DEFAULT_MAX_BYTES).call();
        }
    }
}

///usr/bin/env "$(dirname "$0")/../jbang" "$0" "$@" ; exit $?
//JAVA 25+
//RUNTIME_OPTIONS -Xmx256m -XX:+ExitOnOutOfMemoryError --sun-misc-unsafe-memory-access=allow --add-modules java.se
//RUNTIME_OPTIONS --add-exports java.base/jdk.internal.ref=ALL-UNNAMED --add-opens java.base/java.lang=ALL-UNNAMED
//RUNTIME_OPTIONS --add-opens java.base/sun.nio.ch=ALL-UNNAMED --add-opens java.management/sun.management=ALL-UNNAMED
//RUNTIME_OPTIONS --add-opens jdk.management/com.sun.management.internal=ALL-UNNAMED
//DESCRIPTION Web scrape across a Hazelcast cluster of JVMs: chunks of URLs handed to members, virtual threads inside each.
//SOURCES lib/scrape/ScrapeRun.java lib/cluster/Cluster.java

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.durableexecutor.DurableExecutorService;
import java.io.IOException;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
    @Option(names = "--member-warmup", paramLabel = "PAGES",
            description = "Pages each member started here downloads and parses from a simulator of its own before it joins, so that its JIT"
                    + " is as warm as a single-JVM model's after its calibration (default: ${DEFAULT-VALUE}).")
    int memberWarmup = 2000;
    @Option(names = "--kill-member-after", paramLabel = "SECONDS",
            description = "SIGKILL one member this many seconds into the run: its tasks run again on the others.")
    Double killAfter;

    public static void main(String[] args) throws Exception {
        if (args.length == 4 && args[0].equals(MEMBER_CHILD)) System.exit(serveAsChild(args[1], args[2], Integer.parseInt(args[3])));
        System.exit(new CommandLine(new ws_cluster()).execute(args));
    }

    private static final String MEMBER_CHILD = "--member-child";
    /** The heap a member started here gets: ~24 KB a download in flight, 10,000 at once fit with room to spare. */
    private static final String MEMBER_HEAP = "-Xmx512m";

    @Override
    public Integer call() throws Exception {
        String problem = members < 1 ? "--members must be at least 1, got " + members
                : memberWarmup < 0 ? "--member-warmup must be at least 0, got " + memberWarmup
                : chunk != null && chunk < 1 ? "--chunk must be at least 1, got " + chunk
                : killAfter != null && killAfter < 0 ? "--kill-member-after must be at least 0, got " + killAfter
                : killAfter != null && join != null ? "--kill-member-after kills a member this run started: not with --join"
                : killAfter != null && members < 2 ? "--kill-member-after needs --members 2 or more: someone must finish the work"
                : null;
        if (problem != null) {
            System.err.println("ws_cluster: " + problem);
            return CommandLine.ExitCode.USAGE;
        }
        if (member) return serveRunsThatJoin(join == null ? List.of() : join);

        long forming = System.nanoTime();
        HazelcastInstance coordinator;
        List<ChildJvm> started = List.of();
        if (join == null) {   // a cluster of our own on 127.0.0.1, named after this JVM
            String name = "ws-cluster-" + ProcessHandle.current().pid();
            coordinator = Cluster.start(Cluster.config(name, List.of(), true, true));
            String address = Cluster.address(coordinator.getCluster().getLocalMember());
            try {
                started = Cluster.startMembers("ws_cluster", List.of(MEMBER_HEAP), members,
                        List.of(MEMBER_CHILD, name, address, String.valueOf(memberWarmup)), Duration.ofSeconds(180));
            } catch (Exception e) {
                coordinator.getLifecycleService().terminate();
                System.err.println("ws_cluster: " + e.getMessage());
                return CommandLine.ExitCode.SOFTWARE;
            }
        } else {
            coordinator = Cluster.start(Cluster.config(Cluster.SHARED_NAME, join, false, true));
        }
        try {
            int size = Cluster.dataMembers(coordinator).size();
            if (size == 0) {
                System.err.println("ws_cluster: no member found at " + String.join(", ", join) + " (start them with --member)");
                return CommandLine.ExitCode.SOFTWARE;
            }
            Cluster.awaitPartitionOwners(coordinator, Duration.ofSeconds(60));
            System.err.printf("cluster of %d member(s) formed in %.2f s%s (not timed)%n", size, (System.nanoTime() - forming) / 1e9,
                    join == null && memberWarmup > 0 ? String.format(", each member's JIT warmed up on %,d pages first", memberWarmup) : "");
            List<ChildJvm> killable = started;
            return run.measure("Cluster", null, "member", (scraper, urls) -> {
                if (killAfter != null && run.timing()) killOneLater(killable.getFirst(), killAfter);
                return downloadAll(coordinator, urls, chunk, run.timeout.duration(), run.maxBytes, run::childUsed, run.timing());
            });
        } catch (IOException e) {
            System.err.println("ws_cluster: " + e.getMessage());
            return CommandLine.ExitCode.SOFTWARE;
        } finally {
            try (ExecutorService leaving = Executors.newVirtualThreadPerTaskExecutor()) {
                for (ChildJvm child : started) leaving.submit(child::finish);
            }
            coordinator.getLifecycleService().terminate();
        }
    }

    /**
     * The URLs go out in chunks, each a task of the cluster's durable executor: the task is kept on a second member
     * too, and runs again there if its member dies before answering (at least once). Each chunk goes to the member
     * that owns its key, keys chosen so the members take turns; inside a member, a virtual thread per URL. Each
     * chunk's answer fills its URLs' places: a chunk that ran twice still answers once.
     */
    static List<SiteResult> downloadAll(HazelcastInstance cluster, List<String> urls, Integer chunkOption, Duration timeout,
                                        long maxBytes, java.util.function.Consumer<ChildJvm.Usage> memberUsed, boolean timed) throws Exception {
        List<Member> members = Cluster.dataMembers(cluster);
        Map<Member, double[]> cpuBefore = timed ? Cluster.usage(cluster) : Map.of();
        int size = chunkOption != null ? chunkOption : Math.clamp((urls.size() + 4L * members.size() - 1) / (4L * members.size()), 1, 100);
        DurableExecutorService executor = cluster.getDurableExecutorService(Cluster.EXECUTOR);
        List<Future<String>> chunks = new ArrayList<>();
        try (ExecutorService handing = Executors.newVirtualThreadPerTaskExecutor()) {   // a hand-out waits ~3.5 ms for its member
            int key = 0;
            for (int first = 0; first < urls.size(); first += size) {
                Member turn = members.get(chunks.size() % members.size());
                while (!cluster.getPartitionService().getPartition(key).getOwner().equals(turn)) key++;
                Chunk task = new Chunk(first, List.copyOf(urls.subList(first, Math.min(urls.size(), first + size))), timeout.toMillis(), maxBytes);
                Object owner = key++;
                chunks.add(handing.submit(() -> executor.submitToKeyOwner(task, owner).get()));
            }
        }
        SiteResult[] results = new SiteResult[urls.size()];
        for (int c = 0; c < chunks.size(); c++) {
            int first = c * size;
            SiteResult[] answer;
            try {
                answer = ChildJvm.JSON.fromJson(awaitWhileMembersLeft(cluster, chunks.get(c)), SiteResult[].class);
            } catch (ExecutionException e) {
                String why = "chunk of URLs " + (first + 1) + "-" + Math.min(urls.size(), first + size) + " failed: " + e.getCause();
                answer = urls.subList(first, Math.min(urls.size(), first + size)).stream().map(u -> SiteResult.failed(u, 0, why)).toArray(SiteResult[]::new);
            }
            System.arraycopy(answer, 0, results, first, answer.length);
        }
        if (timed) Cluster.usage(cluster).forEach((member, after) -> {   // a member killed mid-run has none to give
            double[] before = cpuBefore.get(member);
            if (before != null) memberUsed.accept(new ChildJvm.Usage(after[0] - before[0], after[1]));
        });
        return List.of(results);
    }

    /** A chunk's answer; a chunk whose members all died fails at once instead of waiting for one to come back. */
    private static String awaitWhileMembersLeft(HazelcastInstance cluster, Future<String> chunk) throws Exception {
        while (true) {
            try {
                return chunk.get(1, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                if (Cluster.dataMembers(cluster).isEmpty()) throw new ExecutionException(new IllegalStateException("no cluster member left"));
            }
        }
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

    /** One task: the URLs from index {@code first} on, downloaded in the member that runs it, one virtual thread each. */
    record Chunk(int first, List<String> urls, long timeoutMillis, long maxBytes) implements Callable<String>, Serializable {
        private static final Map<String, Scraper> scrapers = new ConcurrentHashMap<>();   // one client per setting, per member

        @Override
        public String call() {
            Scraper scraper = scrapers.computeIfAbsent(timeoutMillis + "/" + maxBytes, k -> new Scraper(Duration.ofMillis(timeoutMillis), maxBytes));
            List<Future<SiteResult>> downloads;
            try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
                downloads = urls.stream().map(url -> executor.submit(() -> scraper.download(url).ranOn(memberLane))).toList();
            }
            return ChildJvm.JSON.toJson(downloads.stream().map(Future::resultNow).toArray(SiteResult[]::new));
        }
    }

    /** This JVM's lane in the timeline, when it is a member. */
    private static volatile String memberLane;

    /** A member started by a run on this machine: warms its JIT up, joins the run, answers that it has, ends with it. */
    private static int serveAsChild(String clusterName, String coordinator, int warmupPages) throws Exception {
        try (var local = new SiteSim.Server(new SiteSim.Plan(warmupPages, 0, 0, 40, 7), 0)) {
            List<String> urls = local.siteList().stream().map(SiteSim.SiteInfo::url).toList();
            for (int first = 0; first < urls.size(); first += 100)   // as the run will: chunks of 100, a virtual thread a page
                new Chunk(first, urls.subList(first, Math.min(urls.size(), first + 100)), 10_000, 5L * 1024 * 1024).call();
        }
        HazelcastInstance member = Cluster.start(Cluster.config(clusterName, List.of(coordinator), true, false));
        memberLane = Cluster.describe(member.getCluster().getLocalMember());
        try {
            return ChildJvm.serve(String.class, question -> Cluster.address(member.getCluster().getLocalMember()));
        } finally {
            member.getLifecycleService().terminate();
        }
    }

    /** --member: a member a user started, for a run on another machine; it ends when a run has joined and left. */
    private int serveRunsThatJoin(List<String> others) throws InterruptedException {
        HazelcastInstance member = Cluster.start(Cluster.config(Cluster.SHARED_NAME, others, false, false));
        memberLane = Cluster.describe(member.getCluster().getLocalMember());
        CountDownLatch runEnded = new CountDownLatch(1);
        member.getCluster().addMembershipListener(new MembershipListener() {
            public void memberAdded(MembershipEvent event) {}

            public void memberRemoved(MembershipEvent event) {
                if (event.getMember().isLiteMember()) runEnded.countDown();
            }
        });
        System.out.printf("%s is up in cluster %s; on the machine that runs the scrape: ws_cluster.java --join %s%n",
                memberLane, Cluster.SHARED_NAME, Cluster.address(member.getCluster().getLocalMember()));
        runEnded.await();
        System.out.println("the run that joined has left: this member ends");
        member.getLifecycleService().terminate();
        return CommandLine.ExitCode.OK;
    }
}

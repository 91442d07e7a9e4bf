//DEPS com.hazelcast:hazelcast:5.7.0
//SOURCES ../run/ChildJvm.java

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import java.io.IOException;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A Hazelcast cluster of JVMs as a run sees it: this JVM is a lite member (in the cluster, holds no data, runs no
 * task) that hands tasks out, and the members run them. On one machine the members are child JVMs on 127.0.0.1 in a
 * cluster named after this JVM's pid (two runs never merge), ended when the run ends; across machines they are JVMs a
 * user started with --member, found by their addresses. Multicast and cloud discovery are off: a member list only.
 */
final class Cluster implements AutoCloseable {
    /** What Hazelcast 5.7 wants on JDK 25 to run quietly (it uses sun.misc.Unsafe and reads JVM internals). */
    static final List<String> JVM_FLAGS = List.of("--sun-misc-unsafe-memory-access=allow",
            "--add-modules", "java.se", "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED",
            "--add-opens", "java.base/java.lang=ALL-UNNAMED", "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens", "java.management/sun.management=ALL-UNNAMED",
            "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED");
    /** The name of a cluster of members started by hand (--member). */
    static final String SHARED_NAME = "jvm-playground";
    /**
     * Tasks a member runs at once. A web-scrape task is a chunk of URLs on virtual threads, so more than the cores;
     * but not every chunk at once: a URL's timeout runs from its request, and 10,000 requests sent at once to two
     * members on two cores timed out by the thousand (measured) where 1,600 at a time per member did not.
     */
    static final int TASKS_AT_ONCE = 16;
    private static final String EXECUTOR = "tasks";
    private static final String PID = "pid";
    private static final String MEMBER_CHILD = "--member-child";

    /** This JVM's timeline lane when it is a member: "member 127.0.0.1:5702 (pid 4242)". */
    static volatile String lane = "coordinator";

    /** How long a run that --joins waits for a member to answer before it says so and ends. */
    static final Duration JOIN_LIMIT = Duration.ofSeconds(20);
    /** Held here: java.util.logging keeps only weak references, and a level set on a collected logger is lost. */
    private static final java.util.logging.Logger NODE_LOG = java.util.logging.Logger.getLogger("com.hazelcast.instance.impl.Node");

    final HazelcastInstance coordinator;
    private final List<ChildJvm> started;
    private final double formedSeconds;

    private Cluster(HazelcastInstance coordinator, List<ChildJvm> started, long formingSince) {
        this.coordinator = coordinator;
        this.started = started;
        this.formedSeconds = (System.nanoTime() - formingSince) / 1e9;
    }

    /**
     * A cluster of this run's own on 127.0.0.1: this JVM, then {@code members} child JVMs of {@code mainClass} (whose
     * main hands {@code args} starting with {@link #isMemberChild} to {@link #serveAsMember}), all started at once.
     */
    static Cluster startLocal(String mainClass, int members, List<String> jvmFlags, List<String> memberArgs) throws IOException, InterruptedException {
        long forming = System.nanoTime();
        String name = "playground-" + ProcessHandle.current().pid();
        HazelcastInstance coordinator = Hazelcast.newHazelcastInstance(config(name, List.of(), true, true));
        List<String> flags = new ArrayList<>(JVM_FLAGS);
        flags.addAll(jvmFlags);
        List<String> args = new ArrayList<>(List.of(MEMBER_CHILD, name, address(coordinator.getCluster().getLocalMember())));
        args.addAll(memberArgs);
        List<ChildJvm> children = new ArrayList<>();
        try {
            for (int i = 0; i < members; i++) children.add(ChildJvm.start(mainClass, flags, args));
            awaitJoined(children, Duration.ofSeconds(180));
            awaitPartitionOwners(coordinator, Duration.ofSeconds(60));
            return new Cluster(coordinator, children, forming);
        } catch (IOException | InterruptedException | RuntimeException e) {
            children.forEach(ChildJvm::kill);
            coordinator.getLifecycleService().terminate();
            throw e;
        }
    }

    /** The members started by hand (--member) at these addresses; an IOException when none answers. */
    static Cluster join(List<String> addresses) throws IOException, InterruptedException {
        long forming = System.nanoTime();
        Config config = config(SHARED_NAME, addresses, false, true);
        // an address that accepts and never answers kept Hazelcast's join waiting its default 300 s, the run silent
        config.setProperty("hazelcast.max.join.seconds", String.valueOf(JOIN_LIMIT.toSeconds()));
        HazelcastInstance coordinator;
        var level = NODE_LOG.getLevel();
        NODE_LOG.setLevel(java.util.logging.Level.OFF);   // its "Could not join cluster. Shutting down now!" is said below, once
        try {
            coordinator = Hazelcast.newHazelcastInstance(config);
        } catch (IllegalStateException e) {   // Hazelcast's "Node failed to start!" once the join has given up
            throw new IOException("no member answered at " + String.join(", ", addresses) + " within " + JOIN_LIMIT.toSeconds()
                    + " s (is each a member started with --member, and is its port open to this machine?)");
        } finally {
            NODE_LOG.setLevel(level);   // a member's errors later in the run are its own to say
        }
        try {
            if (dataMembers(coordinator).isEmpty())
                throw new IOException("no member found at " + String.join(", ", addresses) + " (start them with --member)");
            awaitPartitionOwners(coordinator, Duration.ofSeconds(60));
            return new Cluster(coordinator, List.of(), forming);
        } catch (IOException | InterruptedException | RuntimeException e) {
            coordinator.getLifecycleService().terminate();
            throw e;
        }
    }

    /** What one member started here needs: a JVM with Hazelcast, its heap and JIT (measured: ~400 MiB of RSS each). */
    static final long MIB_PER_MEMBER = 512;

    /**
     * Null when this machine can hold {@code members} member JVMs started here; else why not, in one line. 50 members
     * on 2 cores made no progress in 150 s and flooded stderr: at most 4 a core, and as many as the memory holds.
     */
    static String membersProblem(int members) {
        if (members < 1) return "--members must be at least 1, got " + members;
        int cores = Runtime.getRuntime().availableProcessors();
        long mib = availableMemoryMiB();
        long most = Math.max(1, Math.min(4L * cores, mib / MIB_PER_MEMBER));
        return members <= most ? null : String.format("--members %d: this machine holds at most %d (%d cores, %,d MiB of memory available,"
                + " ~%d MiB a member); start members on other machines with --member and --join them", members, most, cores, mib, MIB_PER_MEMBER);
    }

    /** MemAvailable from /proc/meminfo, or the machine's total where there is none. */
    private static long availableMemoryMiB() {
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/meminfo")))
                if (line.startsWith("MemAvailable:")) return Long.parseLong(line.replaceAll("\\D+", "")) / 1024;
        } catch (IOException | RuntimeException e) {
            // not Linux: the total below
        }
        var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        return os.getTotalMemorySize() >> 20;
    }

    /** "cluster of 2 members formed in 4.12 s": said on stderr before the clock starts. */
    String formed() {
        return String.format("cluster of %d member(s) formed in %.2f s", dataMembers(coordinator).size(), formedSeconds);
    }

    /** The member JVMs this run started (none with --join). */
    List<ChildJvm> started() {
        return started;
    }

    List<Member> dataMembers() {
        return dataMembers(coordinator);
    }

    /**
     * The key for a run's task number {@code n}, so that the members there are now take turns: a key the n-th
     * member (mod their count) owns. When that member has just died, the key of any: the engine sends its task to a
     * member that lives.
     */
    private int keyFor(int n) {
        List<Member> members = dataMembers();
        if (members.isEmpty()) return n;
        Member turn = members.get(n % members.size());
        var partitions = coordinator.getPartitionService();
        for (int key = n; key < n + 10 * partitions.getPartitions().size(); key++)
            if (turn.equals(partitions.getPartition(key).getOwner())) return key;
        return n;
    }

    /** Each member's CPU seconds so far and peak RSS in MiB, from the members that are there now and answer. */
    Map<Member, ChildJvm.Usage> usage() throws InterruptedException {
        Map<Member, ChildJvm.Usage> usage = new HashMap<>();
        for (var answer : coordinator.getExecutorService("usage").submitToMembers(new UsageNow(), dataMembers()).entrySet()) {
            try {
                usage.put(answer.getKey(), answer.getValue().get());
            } catch (ExecutionException e) {
                // a member that died and has not left the list yet: it has nothing to report
            }
        }
        return usage;
    }

    private record UsageNow() implements Callable<ChildJvm.Usage>, Serializable {
        public ChildJvm.Usage call() {
            return new ChildJvm.Usage(JvmUsage.processCpuNanos() / 1e9, JvmUsage.peakRssBytes() / (1024.0 * 1024));
        }
    }

    /** What each member used between two {@link #usage()} calls (CPU: the difference; memory: its peak). */
    static List<ChildJvm.Usage> used(Map<Member, ChildJvm.Usage> before, Map<Member, ChildJvm.Usage> after) {
        List<ChildJvm.Usage> used = new ArrayList<>();
        after.forEach((member, now) -> {   // a member killed mid-run has none to give
            ChildJvm.Usage then = before.get(member);
            if (then != null) used.add(new ChildJvm.Usage(now.cpuSeconds() - then.cpuSeconds(), now.peakRssMiB()));
        });
        return used;
    }

    /**
     * Runs a run's task number {@code n} on a member, the members taking turns, and waits for its answer. It goes to
     * the durable executor: kept on a second member too, and run again there if its member dies first (at least
     * once). A task whose members all died fails at once instead of waiting for one to come back; an interrupt ends
     * the wait (Hazelcast's own get() does not answer one: measured, a cancelled pool waited for it).
     */
    <T> T run(Callable<T> task, int n) throws InterruptedException, ExecutionException {
        CompletableFuture<T> answer = new CompletableFuture<>();
        coordinator.getDurableExecutorService(EXECUTOR).submitToKeyOwner(task, keyFor(n)).whenComplete((value, failure) -> {
            if (failure != null) answer.completeExceptionally(failure);
            else answer.complete(value);
        });
        while (true) {
            try {
                return answer.get(1, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                if (dataMembers().isEmpty()) throw new ExecutionException(new IllegalStateException("no cluster member left"));
            }
        }
    }

    /** The members this run started leave (their stdin closes: each reports and exits), then this JVM. */
    @Override
    public void close() {
        try (ExecutorService leaving = Executors.newVirtualThreadPerTaskExecutor()) {
            for (ChildJvm child : started) leaving.submit(child::finish);
        }
        coordinator.getLifecycleService().terminate();
    }

    // ---- the members' side ----

    static boolean isMemberChild(String[] args) {
        return args.length >= 3 && args[0].equals(MEMBER_CHILD);
    }

    /**
     * A member a run on this machine started: {@code warmUp} gets the args after the cluster's (e.g. to warm the JIT
     * up before joining), then it joins, answers the run that it has, and ends with it (stdin closed, or the run gone).
     */
    static int serveAsMember(String[] args, WarmUp warmUp) throws Exception {
        warmUp.run(List.of(args).subList(3, args.length));
        HazelcastInstance member = Hazelcast.newHazelcastInstance(config(args[1], List.of(args[2]), true, false));
        lane = describe(member.getCluster().getLocalMember());
        return ChildJvm.serve(String.class, question -> lane);   // then the JVM exits: a task still running (cancelled, unread) ends with it
    }

    @FunctionalInterface
    interface WarmUp {
        void run(List<String> args) throws Exception;
    }

    /**
     * --member: a member a user started, for a run on another machine (--join); it warms its JIT up first (the
     * joining run's pages come from that machine's own simulator, which this one cannot reach), and ends when a run
     * has joined and left. Says on stdout the address to join it at.
     */
    static int serveRunsThatJoin(List<String> others, String script, WarmUp warmUp, List<String> warmUpArgs) throws Exception {
        warmUp.run(warmUpArgs);   // its own JIT, before it joins: a run that joins from another machine cannot warm it
        HazelcastInstance member = Hazelcast.newHazelcastInstance(config(SHARED_NAME, others, false, false));
        lane = describe(member.getCluster().getLocalMember());
        CountDownLatch runEnded = new CountDownLatch(1);
        member.getCluster().addMembershipListener(new MembershipListener() {
            public void memberAdded(MembershipEvent event) {}

            public void memberRemoved(MembershipEvent event) {
                if (event.getMember().isLiteMember()) runEnded.countDown();
            }
        });
        System.out.printf("%s is up in cluster %s; on the machine that runs the work: %s --join %s%n",
                lane, SHARED_NAME, script, address(member.getCluster().getLocalMember()));
        runEnded.await();
        System.out.println("the run that joined has left: this member ends");
        member.getLifecycleService().terminate();
        return 0;
    }

    // ---- Hazelcast's side ----

    /**
     * A member's or the coordinator's configuration. {@code join}: the addresses (host:port) it looks for the
     * others at; {@code loopback}: listen on 127.0.0.1 only.
     */
    private static Config config(String name, List<String> join, boolean loopback, boolean lite) {
        Config config = new Config().setClusterName(name).setLiteMember(lite);
        config.setProperty("hazelcast.logging.type", "jdk");   // and the level below: errors only (its warnings narrate a member leaving)
        config.setProperty("hazelcast.phone.home.enabled", "false");   // no call to Hazelcast's servers
        config.setProperty("hazelcast.wait.seconds.before.join", "0");   // the default waits 5 s for others first
        config.setProperty("hazelcast.shutdownhook.enabled", "false");   // at exit, just go: no data to hand over
        config.getMemberAttributeConfig().setAttribute(PID, String.valueOf(ProcessHandle.current().pid()));
        var network = config.getNetworkConfig().setPort(5701).setPortAutoIncrement(true).setPortCount(100);
        if (loopback) network.getInterfaces().setEnabled(true).addInterface("127.0.0.1");
        var discovery = network.getJoin();
        discovery.getMulticastConfig().setEnabled(false);
        discovery.getAutoDetectionConfig().setEnabled(false);
        discovery.getTcpIpConfig().setEnabled(true).setMembers(join);
        config.getDurableExecutorConfig(EXECUTOR).setPoolSize(TASKS_AT_ONCE);
        java.util.logging.Logger.getLogger("com.hazelcast").setLevel(java.util.logging.Level.SEVERE);
        return config;
    }

    /** "127.0.0.1:5702", how another member finds this one. */
    private static String address(Member member) {
        return member.getAddress().getHost() + ":" + member.getAddress().getPort();
    }

    private static String describe(Member member) {
        return "member " + address(member) + " (pid " + member.getAttribute(PID) + ")";
    }

    private static List<Member> dataMembers(HazelcastInstance hz) {
        return hz.getCluster().getMembers().stream().filter(m -> !m.isLiteMember()).toList();
    }

    /** Each member answers its first request once it has joined; kills them all and says why when one does not. */
    private static void awaitJoined(List<ChildJvm> members, Duration limit) throws IOException, InterruptedException {
        try (ExecutorService waiting = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<String>> joined = members.stream().map(m -> waiting.submit(() -> m.ask("joined?", String.class))).toList();
            long deadline = System.nanoTime() + limit.toNanos();
            try {
                for (int i = 0; i < members.size(); i++) {
                    String answer = joined.get(i).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                    if (answer == null) throw new IOException("cluster member pid " + members.get(i).pid() + " exited before it joined");
                }
            } catch (Exception e) {   // a member that never answers: killed here, so the wait for it ends and the executor can close
                members.forEach(ChildJvm::kill);
                throw e;
            }
        } catch (ExecutionException e) {
            throw new IOException(e.getCause());
        } catch (TimeoutException e) {
            throw new IOException(members.size() + " cluster members did not all join within " + limit.toSeconds() + " s");
        }
    }

    /**
     * Waits until every partition has an owner (the master assigns them the first time one is asked for): a task
     * goes to the member that owns its key. Members dying later move them; the durable executor follows.
     */
    private static void awaitPartitionOwners(HazelcastInstance hz, Duration limit) throws InterruptedException, IOException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (hz.getPartitionService().getPartitions().stream().anyMatch(p -> p.getOwner() == null)) {
            if (System.nanoTime() > deadline) throw new IOException("the cluster did not assign its partitions within " + limit.toSeconds() + " s");
            Thread.sleep(10);
        }
    }
}

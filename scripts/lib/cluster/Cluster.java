//DEPS com.hazelcast:hazelcast:5.7.0
//SOURCES ../run/ChildJvm.java

import com.hazelcast.cluster.Member;
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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeoutException;

/**
 * A Hazelcast cluster of JVMs, the way this playground forms one: members that run tasks, and the script's own JVM
 * as a lite member (in the cluster, holds no data, runs no task) that only hands tasks out. On one machine the
 * members are child JVMs on 127.0.0.1 in a cluster named after the coordinator's pid (two runs never merge); across
 * machines they are JVMs a user started with --member, joined by their addresses. Multicast and cloud discovery
 * are off: a member list only.
 */
final class Cluster {
    /** What Hazelcast 5.7 wants on JDK 25 to run quietly (it uses sun.misc.Unsafe and reads JVM internals). */
    static final List<String> JVM_FLAGS = List.of("--sun-misc-unsafe-memory-access=allow",
            "--add-modules", "java.se", "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED",
            "--add-opens", "java.base/java.lang=ALL-UNNAMED", "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens", "java.management/sun.management=ALL-UNNAMED",
            "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED");
    /** The name a cluster of members started by hand (--member) has, and its first port. */
    static final String SHARED_NAME = "jvm-playground";
    static final int PORT = 5701;
    /** Tasks a member runs at once: they mostly wait (on virtual threads inside), so more than its cores. */
    static final int TASKS_AT_ONCE = 16;
    static final String EXECUTOR = "tasks";
    private static final String PID = "pid";

    private Cluster() {}

    /**
     * A member's or the coordinator's configuration. {@code join}: the addresses (host:port) it looks for the
     * others at; {@code loopback}: listen on 127.0.0.1 only.
     */
    static Config config(String name, List<String> join, boolean loopback, boolean lite) {
        Config config = new Config().setClusterName(name).setLiteMember(lite);
        config.setProperty("hazelcast.logging.type", "jdk");   // and the level below: errors only (its warnings narrate a member leaving)
        config.setProperty("hazelcast.phone.home.enabled", "false");   // no call to Hazelcast's servers
        config.setProperty("hazelcast.wait.seconds.before.join", "0");   // the default waits 5 s for others first
        config.setProperty("hazelcast.shutdownhook.policy", "TERMINATE");   // at exit, leave at once: no data to hand over
        config.getMemberAttributeConfig().setAttribute(PID, String.valueOf(ProcessHandle.current().pid()));
        var network = config.getNetworkConfig().setPort(PORT).setPortAutoIncrement(true).setPortCount(100);
        if (loopback) network.getInterfaces().setEnabled(true).addInterface("127.0.0.1");
        var discovery = network.getJoin();
        discovery.getMulticastConfig().setEnabled(false);
        discovery.getAutoDetectionConfig().setEnabled(false);
        discovery.getTcpIpConfig().setEnabled(true).setMembers(join);
        config.getDurableExecutorConfig(EXECUTOR).setPoolSize(TASKS_AT_ONCE);
        java.util.logging.Logger.getLogger("com.hazelcast").setLevel(java.util.logging.Level.SEVERE);
        return config;
    }

    /**
     * The JVM flag that gives each of {@code members} JVMs on this machine its share of the cores, as if each had a
     * machine of its own: without it every member sizes its thread pools (and parses) for all the cores, and they
     * crowd out the simulator and each other.
     */
    static String shareOfCores(int members) {
        return "-XX:ActiveProcessorCount=" + Math.max(1, Runtime.getRuntime().availableProcessors() / members);
    }

    static HazelcastInstance start(Config config) {
        return Hazelcast.newHazelcastInstance(config);
    }

    /** "127.0.0.1:5702", how another member finds this one. */
    static String address(Member member) {
        return member.getAddress().getHost() + ":" + member.getAddress().getPort();
    }

    /** "member 127.0.0.1:5702 (pid 4242)": one lane of a timeline. */
    static String describe(Member member) {
        return "member " + address(member) + " (pid " + member.getAttribute(PID) + ")";
    }

    /** Each member's CPU seconds so far and peak RSS in MiB, asked of the members that are there now. */
    static Map<Member, double[]> usage(HazelcastInstance hz) throws InterruptedException, ExecutionException {
        Map<Member, double[]> usage = new HashMap<>();
        for (var answer : hz.getExecutorService("usage").submitToMembers(new Usage(), dataMembers(hz)).entrySet())
            usage.put(answer.getKey(), answer.getValue().get());
        return usage;
    }

    private record Usage() implements Callable<double[]>, Serializable {
        public double[] call() {
            return new double[] {JvmUsage.processCpuNanos() / 1e9, JvmUsage.peakRssBytes() / (1024.0 * 1024)};
        }
    }

    /**
     * Waits until every partition has an owner (the master assigns them the first time one is asked for): a task
     * goes to the member that owns its key. Members dying later move them; the durable executor follows.
     */
    static void awaitPartitionOwners(HazelcastInstance hz, Duration limit) throws InterruptedException, IOException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (hz.getPartitionService().getPartitions().stream().anyMatch(p -> p.getOwner() == null)) {
            if (System.nanoTime() > deadline) throw new IOException("the cluster did not assign its partitions within " + limit.toSeconds() + " s");
            Thread.sleep(10);
        }
    }

    static List<Member> dataMembers(HazelcastInstance hz) {
        return hz.getCluster().getMembers().stream().filter(m -> !m.isLiteMember()).toList();
    }

    /**
     * Starts {@code count} member JVMs at once (children of this one: they end with it) running {@code mainClass}
     * with {@code jvmFlags} and {@code args}; each answers its first request when it has joined. Returns them once every one has, or
     * kills them all and says why.
     */
    static List<ChildJvm> startMembers(String mainClass, List<String> jvmFlags, int count, List<String> args, Duration limit)
            throws IOException, InterruptedException {
        List<String> flags = new ArrayList<>(JVM_FLAGS);
        flags.addAll(jvmFlags);
        List<ChildJvm> members = new ArrayList<>();
        for (int i = 0; i < count; i++) members.add(ChildJvm.start(mainClass, flags, args));
        try (ExecutorService waiting = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<String>> joined = members.stream().map(m -> waiting.submit(() -> m.ask("joined?", String.class))).toList();
            long deadline = System.nanoTime() + limit.toNanos();
            for (int i = 0; i < count; i++) {
                String answer = joined.get(i).get(Math.max(0, deadline - System.nanoTime()), java.util.concurrent.TimeUnit.NANOSECONDS);
                if (answer == null) throw new IOException("cluster member pid " + members.get(i).pid() + " exited before it joined");
            }
            return members;
        } catch (IOException | ExecutionException | TimeoutException | InterruptedException e) {
            members.forEach(ChildJvm::kill);
            if (e instanceof TimeoutException) throw new IOException(count + " cluster members did not all join within " + limit.toSeconds() + " s");
            if (e instanceof InterruptedException ie) throw ie;
            throw e instanceof IOException io ? io : new IOException(e.getCause());
        }
    }
}

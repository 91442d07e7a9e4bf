//SOURCES ../scripts/ws_cluster.java ../scripts/cpu_cluster.java

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The cluster model: member JVMs on 127.0.0.1 in a real Hazelcast cluster, a member killed, members started by hand. */
class ClusterTest {
    static SiteSim.Server sim;

    @BeforeAll
    static void start() throws IOException {
        sim = TestSupport.simulator(40, 200, 400);
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    /** The script in a fresh JVM with Hazelcast's flags; its members are recorded while it runs (they are gone after). */
    record Run(TestSupport.Finished finished, Set<ProcessHandle> children) {
        ScrapeReport report() {
            return ChildJvm.JSON.fromJson(finished.stdout(), ScrapeReport.class);
        }
    }

    static Run run(String... args) throws Exception {
        Path out = Files.createTempFile("stdout", ".txt");
        Path err = Files.createTempFile("stderr", ".txt");
        try {
            Process process = new ProcessBuilder(ChildJvm.command("ws_cluster", Cluster.JVM_FLAGS, List.of(args)))
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            Set<ProcessHandle> children = new java.util.HashSet<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(150);
            while (process.isAlive() && System.nanoTime() < deadline) {
                process.toHandle().descendants().forEach(children::add);
                Thread.sleep(100);
            }
            if (process.isAlive()) {
                process.destroyForcibly();
                throw new AssertionError("ws_cluster did not finish within 150 s");
            }
            return new Run(new TestSupport.Finished(process.exitValue(), Files.readString(out), Files.readString(err)), children);
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    static List<String> urls(int count) {
        return TestSupport.siteUrls(sim).subList(0, count);
    }

    static void assertEveryUrlOnceInOrder(List<String> urls, ScrapeReport report) {
        assertEquals(urls, report.results().stream().map(SiteResult::url).toList());
    }

    static void assertNothingLeftRunning(Run run) throws InterruptedException {
        for (ProcessHandle child : run.children())
            assertTrue(TestSupport.endsWithin(child, 20), "pid " + child.pid() + " still runs after the cluster run ended");
    }

    @Test
    void theMembersShareTheUrlsAndEveryUrlComesBackOnceInOrder() throws Exception {
        List<String> urls = urls(40);
        List<String> lines = new ArrayList<>(urls);
        lines.add(20, "not a url");
        Run run = run("--urls", TestSupport.urlFile(lines).toString(), "--repeat", "1", "--json", "--jit-warmup", "0",
                "--member-jit-warmup", "0", "--members", "2", "--chunk", "5");
        assertEquals(0, run.finished().exitCode(), run.finished().stderr());
        ScrapeReport report = run.report();
        assertEveryUrlOnceInOrder(lines, report);
        assertEquals(40, report.ok());
        assertEquals(1, report.failed());
        Set<String> lanes = report.results().stream().filter(SiteResult::ok).map(r -> r.trace().thread()).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(2, lanes.size(), "both members downloaded: " + lanes);
        assertTrue(lanes.stream().allMatch(l -> l.startsWith("member 127.0.0.1:")), lanes.toString());
        assertTrue(run.finished().stderr().contains("cluster of 2 member(s) formed in"), run.finished().stderr());
        Set<Long> children = run.children().stream().map(ProcessHandle::pid).collect(Collectors.toSet());
        for (String lane : lanes)   // "member 127.0.0.1:5702 (pid 4242)": a child JVM of this run
            assertTrue(children.contains(Long.parseLong(lane.replaceAll(".*\\(pid (\\d+)\\)", "$1"))), lane + " is not a child of the run: " + children);
        assertNothingLeftRunning(run);
    }

    /** At least once: the killed member's chunks run again on the other; each URL is in the results once, downloaded. */
    @Test
    void aMemberKilledMidRunLosesNoUrl() throws Exception {
        List<String> urls = urls(40);
        Run run = run("--urls", TestSupport.urlFile(urls).toString(), "--repeat", "1", "--json", "--jit-warmup", "0",
                "--member-jit-warmup", "0", "--members", "2", "--chunk", "2", "--kill-member-after", "0.1");
        assertEquals(0, run.finished().exitCode(), run.finished().stderr());
        assertTrue(run.finished().stderr().contains("(SIGKILL) 0.10 s into the run"), run.finished().stderr());
        ScrapeReport report = run.report();
        assertEveryUrlOnceInOrder(urls, report);
        assertEquals(40, report.ok(), report.results().stream().filter(r -> !r.ok()).map(SiteResult::error).toList().toString());
        assertNothingLeftRunning(run);
    }

    /** However the coordinator ends, its members end by themselves. */
    @Test
    void membersEndWhenTheirCoordinatorIsKilled() throws Exception {
        Process coordinator = new ProcessBuilder(ChildJvm.command("ws_cluster", Cluster.JVM_FLAGS, List.of("--urls",
                TestSupport.urlFile(List.of(sim.baseUrl() + "stall/headers")).toString(), "--repeat", "1", "--timeout", "60",
                "--jit-warmup", "0", "--member-jit-warmup", "0"))).redirectErrorStream(true).start();
        try (BufferedReader output = coordinator.inputReader(StandardCharsets.UTF_8)) {
            for (String line = output.readLine(); line != null && !line.startsWith("Starting Cluster download"); line = output.readLine()) {}
            List<ProcessHandle> members = coordinator.toHandle().descendants().toList();
            assertEquals(2, members.size(), "two members at work");
            coordinator.destroyForcibly();
            for (ProcessHandle member : members)
                assertTrue(TestSupport.endsWithin(member, 20), "member " + member.pid() + " outlived its coordinator");
        } finally {
            coordinator.destroyForcibly();
        }
    }

    /** The two-machine set-up, on one: two members started with --member, a run that joins them, members that end after it. */
    @Test
    void aRunJoinsMembersStartedByHandAndTheyEndAfterIt() throws Exception {
        List<Process> members = new ArrayList<>();
        List<String> addresses = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                Process member = new ProcessBuilder(ChildJvm.command("ws_cluster", Cluster.JVM_FLAGS, addresses.isEmpty()
                        ? List.of("--member", "--member-jit-warmup", "200")
                        : List.of("--member", "--member-jit-warmup", "200", "--join", addresses.getFirst()))).start();
                members.add(member);
                BufferedReader said = member.inputReader(StandardCharsets.UTF_8);
                assertEquals("warming this member's JIT up on 200 pages of a simulator of its own first", said.readLine());
                String up = said.readLine();
                assertTrue(up != null && up.contains("--join "), "member says how to join it: " + up);
                addresses.add(up.substring(up.indexOf("--join ") + "--join ".length()).strip());
            }
            List<String> urls = urls(20);
            // the README's command for several machines: no --jit-warmup 0, though the members could not reach this one's simulator
            Run run = run("--urls", TestSupport.urlFile(urls).toString(), "--repeat", "1", "--json", "--join", String.join(",", addresses));
            assertEquals(0, run.finished().exitCode(), run.finished().stderr());
            assertTrue(run.finished().stderr().contains("(--join: no JIT warm-up through the members"), run.finished().stderr());
            assertEveryUrlOnceInOrder(urls, run.report());
            assertEquals(20, run.report().ok());
            assertTrue(run.finished().stderr().contains("cluster of 2 member(s) formed"), run.finished().stderr());
            for (Process member : members)
                assertTrue(member.waitFor(30, TimeUnit.SECONDS), "a member started by hand ends when the run that joined it has left");
        } finally {
            members.forEach(Process::destroyForcibly);
        }
    }

    /**
     * Three real hosts: network namespaces on a bridge, each its own address and loopback. The docs' commands for
     * several machines, exactly: two --members, then the run that --joins them; then the same with one member's
     * host killed (every process in it) mid-run. Each member host serves the sites on its own 127.0.0.1, so the same
     * URL is a page on either member. Where namespaces cannot be made (not root), the test says why and is skipped.
     */
    @Test
    void aClusterOnThreeHostsLosesNoUrlWhenAMembersHostDies() throws Exception {
        Path root = TestSupport.repoRoot();
        String jbang = root.resolve("jbang").toString();
        Hosts hosts = Hosts.make(List.of("a", "b", "c"));
        try {
            for (String script : List.of("scripts/ws_cluster.java", "scripts/lab/site_sim.java"))   // built once, not by three hosts at once
                assertEquals(0, new ProcessBuilder(jbang, "build", script).directory(root.toFile()).inheritIO().start().waitFor());
            for (String host : List.of("b", "c"))
                hosts.startUntil(host, "listening on", jbang, "scripts/lab/site_sim.java", "--port", "18080", "--sites", "200");
            List<String> urls = new ArrayList<>();
            for (int i = 0; i < 200; i++) urls.add("http://127.0.0.1:18080/site/" + i);
            Path list = TestSupport.urlFile(urls);
            for (boolean killB : List.of(false, true)) {
                hosts.startUntil("b", "is up", jbang, "scripts/ws_cluster.java", "--member");
                hosts.startUntil("c", "is up", jbang, "scripts/ws_cluster.java", "--member", "--join", hosts.address("b") + ":5701");
                Process run = hosts.start("a", jbang, "scripts/ws_cluster.java", "--join", hosts.address("b") + ":5701," + hosts.address("c") + ":5701",
                        "--urls", list.toString(), "--repeat", "5", "--json");
                var stdout = new java.util.concurrent.CompletableFuture<String>();
                Thread.ofVirtual().start(() -> {
                    try { stdout.complete(new String(run.getInputStream().readAllBytes())); } catch (IOException e) { stdout.completeExceptionally(e); }
                });
                BufferedReader stderr = run.errorReader(StandardCharsets.UTF_8);
                StringBuilder said = new StringBuilder();
                for (String line = stderr.readLine(); line != null; line = stderr.readLine()) {
                    said.append(line).append('\n');
                    if (killB && line.startsWith("cluster of 2 member(s) formed")) {
                        Thread.sleep(700);   // the run is under way: every chunk handed out, some on b
                        hosts.killEverything("b");
                        assertTrue(run.isAlive(), "b was killed while the run still ran");
                    }
                }
                assertTrue(run.waitFor(120, TimeUnit.SECONDS), said.toString());
                assertEquals(0, run.exitValue(), said.toString());
                ScrapeReport report = ChildJvm.JSON.fromJson(stdout.get(), ScrapeReport.class);
                List<String> expected = new ArrayList<>();
                for (int i = 0; i < 5; i++) expected.addAll(urls);
                assertEveryUrlOnceInOrder(expected, report);
                assertEquals(1000, report.ok(), (killB ? "b killed mid-run: " : "") + said);
                if (killB) {
                    var lanes = report.results().stream().map(r -> r.trace().thread()).collect(Collectors.groupingBy(l -> l, Collectors.counting()));
                    assertTrue(lanes.keySet().stream().anyMatch(l -> l.contains(hosts.address("c"))), "c ran what b did not: " + lanes);
                }
            }
        } finally {
            hosts.close();
        }
    }

    /** Hosts of a test: network namespaces pg-test-NAME, 10.78.0.N on a bridge; every process in them killed at the end. */
    record Hosts(List<String> names) implements AutoCloseable {
        static Hosts make(List<String> names) throws Exception {
            var probe = sh("ip netns add pg-test-probe && ip netns del pg-test-probe");
            org.junit.jupiter.api.Assumptions.assumeTrue(probe.exitCode() == 0,
                    "network namespaces cannot be made here (they need root and iproute2): " + probe.stderr().strip());
            Hosts hosts = new Hosts(names);
            hosts.close();   // a run killed earlier may have left them
            StringBuilder script = new StringBuilder("set -e; ip link add pg-test-br type bridge; ip link set pg-test-br up\n");
            for (int i = 0; i < names.size(); i++) {
                String n = names.get(i), ns = "pg-test-" + n;
                script.append(String.format("ip netns add %1$s; ip link add pgt-%2$s0 type veth peer name pgt-%2$s1%n"
                        + "ip link set pgt-%2$s1 master pg-test-br; ip link set pgt-%2$s1 up; ip link set pgt-%2$s0 netns %1$s%n"
                        + "ip netns exec %1$s ip addr add 10.78.0.%3$d/24 dev pgt-%2$s0; ip netns exec %1$s ip link set pgt-%2$s0 up%n"
                        + "ip netns exec %1$s ip link set lo up%n", ns, n, i + 1));
            }
            var made = sh(script.toString());
            assertEquals(0, made.exitCode(), made.stderr());
            return hosts;
        }

        String address(String name) {
            return "10.78.0." + (names.indexOf(name) + 1);
        }

        Process start(String host, String... command) throws IOException {
            List<String> inHost = new ArrayList<>(List.of("ip", "netns", "exec", "pg-test-" + host));
            inHost.addAll(List.of(command));
            return new ProcessBuilder(inHost).directory(TestSupport.repoRoot().toFile()).start();
        }

        /** Starts a command in a host and waits (60 s at most) for a line of its stdout that contains {@code ready}. */
        void startUntil(String host, String ready, String... command) throws Exception {
            Process p = start(host, command);
            BufferedReader out = p.inputReader(StandardCharsets.UTF_8);
            var up = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    for (String line = out.readLine(); line != null; line = out.readLine()) if (line.contains(ready)) return line;
                    return null;
                } catch (IOException e) {
                    return null;
                }
            });
            String line = up.get(60, TimeUnit.SECONDS);
            if (line == null)   // it ended: what it said on stderr is why
                throw new AssertionError(String.join(" ", command) + " in " + host + " ended before it said '" + ready + "': "
                        + new String(p.getErrorStream().readAllBytes()));
            Thread.ofVirtual().start(() -> { try { p.getErrorStream().transferTo(java.io.OutputStream.nullOutputStream()); } catch (IOException e) { } });
            Thread.ofVirtual().start(() -> { try { out.transferTo(java.io.Writer.nullWriter()); } catch (IOException e) { } });   // kept read: a full pipe would stall it
        }

        void killEverything(String host) throws Exception {
            sh("ip netns pids pg-test-" + host + " | xargs -r kill -9");
        }

        @Override
        public void close() throws Exception {
            for (String n : names) killEverything(n);
            StringBuilder script = new StringBuilder();
            for (String n : names) script.append("ip netns del pg-test-").append(n).append(" 2>/dev/null; ");
            script.append("ip link del pg-test-br 2>/dev/null; true");
            sh(script.toString());
        }

        static TestSupport.Finished sh(String script) throws Exception {
            Process p = new ProcessBuilder("sh", "-c", script).start();
            String out = new String(p.getInputStream().readAllBytes()), err = new String(p.getErrorStream().readAllBytes());
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
            return new TestSupport.Finished(p.exitValue(), out, err);
        }
    }

    /** The CPU work on members: the same results as in this JVM, each task on a member of the run's own. */
    @Test
    void cpuTasksRunOnMembersAndComputeWhatThisJvmDoes() throws Exception {
        var run = TestSupport.runScript("cpu_cluster", Cluster.JVM_FLAGS, "--json", "--tasks", "3,1,2", "--scale", "2");
        assertEquals(0, run.exitCode(), run.stderr());
        CpuRun.CpuReport report = ChildJvm.JSON.fromJson(run.stdout(), CpuRun.CpuReport.class);
        assertEquals(List.of(3, 1, 2), report.tasks().stream().map(CpuRun.TaskResult::millions).toList());
        for (CpuRun.TaskResult task : report.tasks()) {
            assertEquals(CpuWork.crunch(task.millions() * 2L * CpuWork.STEPS_PER_MILLION), task.result());
            assertTrue(task.ranBy().startsWith("member 127.0.0.1:"), task.ranBy());
            assertTrue(task.pid() != ProcessHandle.current().pid());
        }
        assertEquals(2, report.tasks().stream().map(CpuRun.TaskResult::pid).distinct().count(), "the members took turns");
    }

    /** An address that accepts connections and never answers (not a Hazelcast member): one line, then the run ends. */
    @Test
    void joiningAPortThatNeverAnswersEndsWithOneLine() throws Exception {
        try (var silent = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            List<java.net.Socket> accepted = new java.util.concurrent.CopyOnWriteArrayList<>();
            Thread.ofVirtual().start(() -> {
                try {
                    while (true) accepted.add(silent.accept());   // held open, never a byte back
                } catch (IOException closed) {
                    // the test is over
                }
            });
            long start = System.nanoTime();
            Run run = run("--join", "127.0.0.1:" + silent.getLocalPort(), "--urls", TestSupport.urlFile(List.of(sim.baseUrl() + "site/0")).toString(),
                    "--repeat", "1", "--jit-warmup", "0");
            double seconds = (System.nanoTime() - start) / 1e9;
            assertEquals(1, run.finished().exitCode(), run.finished().stderr());
            assertEquals("ws_cluster: no member answered at 127.0.0.1:" + silent.getLocalPort() + " within " + Cluster.JOIN_LIMIT.toSeconds()
                    + " s (is each a member started with --member, and is its port open to this machine?)", run.finished().stderr().strip());
            assertTrue(seconds < Cluster.JOIN_LIMIT.toSeconds() + 30, "ended in " + seconds + " s");
            for (var socket : accepted) socket.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "--members 0|--members must be at least 1, got 0",
            "--members 50|--members 50: this machine holds at most ",
            "--chunk 0|--chunk must be at least 1, got 0",
            "--member-jit-warmup -1|--member-jit-warmup must be at least 0, got -1",
            "--kill-member-after 1 --members 1|--kill-member-after needs --members 2 or more",
            "--kill-member-after 1 --join 127.0.0.1:1|--kill-member-after kills a member this run started: not with --join",
            "--timeout 0|--timeout must be at least 0.001 s, got 0.0"})
    void aBadOptionIsOneLineAndExitCode2(String options, String message) throws Exception {
        var run = TestSupport.runScript("ws_cluster", options.split(" "));
        assertEquals(2, run.exitCode(), run.stderr());
        assertTrue(run.stderr().strip().startsWith("ws_cluster: " + message), run.stderr());
        assertEquals(1, run.stderr().strip().lines().count(), run.stderr());
    }
}

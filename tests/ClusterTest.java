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

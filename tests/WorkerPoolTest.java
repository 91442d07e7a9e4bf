//SOURCES ../scripts/worker_pool.java ../scripts/pool_bench.java

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The worker pool, in this JVM (its Pool) and as a user runs it (a child JVM fed on stdin). */
class WorkerPoolTest {
    static final Duration TIMEOUT = Duration.ofSeconds(5);

    static void waitFor(List<?> results, int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (results.size() < n) {
            assertTrue(System.nanoTime() < deadline, "only " + results.size() + " of " + n + " results: " + results);
            Thread.sleep(5);
        }
    }

    static void assertOneResultPerTask(List<Pool.Result> results, long tasks) {
        assertEquals(LongStream.rangeClosed(1, tasks).boxed().toList(),
                results.stream().map(Pool.Result::task).sorted().toList(), "every task exactly once: " + results);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Pool.Model.class)
    void everyTaskGetsOneResultAndTheWorkersStayAliveBetweenBatches(Pool.Model model) throws Exception {
        List<Pool.Result> results = new CopyOnWriteArrayList<>();
        List<Thread> threads;
        List<ProcessHandle> children;
        try (var sim = TestSupport.simulator(4, 10, 30); var pool = new Pool(model, 3, 2, TIMEOUT, results::add)) {
            List<String> first = new ArrayList<>(List.of("cpu 3", "cpu 0", "cpu 1", "not a task", "cpu -1", "https://bad host/"));
            first.addAll(TestSupport.siteUrls(sim));
            first.add(sim.baseUrl() + "status/404");
            for (String task : first) pool.submit(task);   // the queue holds 2: submit waits for the workers
            waitFor(results, first.size());
            Map<Integer, String> before = pool.stats().stream().collect(Collectors.toMap(Pool.WorkerStats::worker, Pool.WorkerStats::by));
            Thread.sleep(300);   // idle: the workers wait for more
            assertTrue(pool.threads().stream().allMatch(Thread::isAlive), "workers alive while idle");
            for (int i = 0; i < 6; i++) pool.submit("cpu 2");
            pool.shutdown();
            threads = pool.threads();
            children = pool.children();
            assertOneResultPerTask(results, first.size() + 6);
            Map<Long, Pool.Result> byTask = results.stream().collect(Collectors.toMap(Pool.Result::task, Function.identity()));
            assertEquals(PoolTask.Outcome.Status.done, byTask.get(1L).outcome());
            assertEquals(PoolTask.Outcome.Status.failed, byTask.get(4L).outcome());
            assertTrue(byTask.get(5L).detail().contains("whole number >= 0, got -1"), byTask.get(5L).detail());
            assertTrue(byTask.get(6L).detail().startsWith("malformed URL"), byTask.get(6L).detail());
            for (long i = 7; i <= 10; i++) assertEquals(PoolTask.Outcome.Status.done, byTask.get(i).outcome(), byTask.get(i).toString());
            assertEquals("HTTP 404", byTask.get(11L).detail());
            if (model == Pool.Model.cluster) {   // every worker's tasks go to the members in turn: the same two members throughout
                Set<String> members = results.stream().filter(r -> r.worker() > 0).map(Pool.Result::by).collect(Collectors.toSet());
                assertEquals(2, members.size(), members.toString());
                assertTrue(members.stream().allMatch(m -> m.startsWith("member 127.0.0.1:")), members.toString());
            } else {
                for (Pool.Result r : results)
                    if (r.worker() > 0) assertEquals(before.get(r.worker()), r.by(), "the same worker, the same thread or pid: " + r);
                assertEquals(3, results.stream().filter(r -> r.worker() > 0).map(Pool.Result::by).distinct().count(),
                        "three workers, each with one identity for both batches: " + results);
            }
        }
        assertTrue(threads.stream().noneMatch(Thread::isAlive), "no worker thread left after shutdown");
        assertEquals(switch (model) { case processes -> 3; case cluster -> 2; default -> 0; }, children.size());
        assertTrue(children.stream().noneMatch(ProcessHandle::isAlive), "no worker process left after shutdown");
    }

    @ParameterizedTest
    @EnumSource(value = Pool.Model.class, names = {"threads", "virtual"})
    void theBenchmarkReportsItsTimedTasksAllDoneWithTheirRateAndLatencies(Pool.Model model) throws Exception {
        pool_bench.BenchRun run = pool_bench.run(model, 3, 10, 0.5, 0.2);
        assertTrue(run.tasks() > 0, "no timed task: " + run);
        assertEquals(0, run.failed(), run.toString());
        assertTrue(run.medianMillis() > 0 && run.medianMillis() <= run.p99Millis(), run.toString());
        assertEquals(run.tasks() / run.seconds(), run.tasksPerSecond(), 1e-6 * run.tasksPerSecond());
        assertTrue(run.bareTasksPerSecond() > 0, "no bare hand-off measured: " + run);
    }

    @Test
    void anOutcomeCrossesThePipeWholeAndAnythingElseIsRefused() {
        for (var outcome : List.of(PoolTask.Outcome.done("HTTP 200, 40,960 bytes"), PoolTask.Outcome.failed(null)))
            assertEquals(outcome, PoolTask.Outcome.fromJson(JsonParser.parseString(ChildJvm.JSON.toJson(outcome.toJson()))));
        for (String notOne : List.of("[]", "{\"detail\":\"x\"}", "{\"outcome\":1,\"detail\":\"x\"}", "{\"outcome\":\"finished\",\"detail\":\"x\"}"))
            assertThrows(JsonParseException.class, () -> PoolTask.Outcome.fromJson(JsonParser.parseString(notOne)), notOne);
    }

    @Test
    void timelineHasALanePerWorkerAndNoWorkerRunsTwoTasksAtOnce() throws Exception {
        List<Pool.Result> results = new CopyOnWriteArrayList<>();
        try (var pool = new Pool(Pool.Model.virtual, 3, 2, TIMEOUT, results::add)) {
            for (int i = 0; i < 9; i++) pool.submit("cpu 20");
            pool.submit("not a task");
            pool.shutdown();
        }
        List<Charts.Span> spans = worker_pool.spans(results);
        assertEquals(9, spans.size(), "a bar per task a worker ran, none for the bad line");
        Map<String, List<Charts.Span>> byLane = spans.stream().collect(Collectors.groupingBy(Charts.Span::lane));
        // a lane per worker that ran something (on 2 cores two virtual workers busy with CPU can starve the third)
        assertEquals(results.stream().filter(r -> r.worker() > 0).map(Pool.Result::worker).distinct().count(), byLane.size());
        assertTrue(byLane.keySet().stream().allMatch(lane -> lane.matches("worker [123] \\(virtual #\\d+\\)")), byLane.keySet().toString());
        for (List<Charts.Span> lane : byLane.values())
            for (int i = 1; i < lane.size(); i++)
                assertTrue(lane.get(i).start() >= lane.get(i - 1).end() - 1e-6, "one task at a time per worker: " + lane);
        worker_pool cli = new worker_pool();
        cli.timeline.file = java.nio.file.Files.createTempDirectory("pool").resolve("pool.svg");
        assertTrue(cli.drawTimeline(results).endsWith("9 tasks on " + byLane.size() + " lane(s)"));
        assertTrue(java.nio.file.Files.readString(cli.timeline.file).contains("<svg"));
    }

    @Test
    void aKilledProcessWorkerIsReplacedAndItsTaskReportedFailed() throws Exception {
        List<Pool.Result> results = new CopyOnWriteArrayList<>();
        try (var pool = new Pool(Pool.Model.processes, 1, 2, TIMEOUT, results::add)) {
            ProcessHandle first = pool.children().getFirst();
            pool.submit("cpu 1000000");   // ~30 minutes of work: it is killed long before
            Thread.sleep(500);
            first.destroyForcibly();
            waitFor(results, 1);
            String detail = results.getFirst().detail();
            assertEquals(PoolTask.Outcome.Status.failed, results.getFirst().outcome());
            assertTrue(detail.startsWith("worker process " + first.pid() + " died (exit code 137) while running it; replaced by pid"), detail);
            pool.submit("cpu 1");
            pool.shutdown();
            assertEquals(PoolTask.Outcome.Status.done, results.get(1).outcome(), results.toString());
            assertNotEquals("pid " + first.pid(), results.get(1).by());
            assertEquals(1, pool.stats().getFirst().replaced());
            assertEquals(2, pool.children().size());
            assertTrue(pool.children().stream().noneMatch(ProcessHandle::isAlive));
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Pool.Model.class)
    void cancelGivesTheRunningAndTheQueuedTasksOneResultEach(Pool.Model model) throws Exception {
        List<Pool.Result> results = new CopyOnWriteArrayList<>();
        var pool = new Pool(model, 1, 5, TIMEOUT, results::add);
        pool.submit("cpu 1000000");
        for (int i = 0; i < 4; i++) pool.submit("cpu 1");
        Thread.sleep(500);
        long start = System.nanoTime();
        pool.cancel();
        pool.close();
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5), "cancel does not wait for the long task");
        assertOneResultPerTask(results, 5);
        assertTrue(results.stream().allMatch(r -> r.outcome() == PoolTask.Outcome.Status.cancelled), results.toString());
        assertTrue(pool.threads().stream().noneMatch(Thread::isAlive));
        assertTrue(pool.children().stream().noneMatch(ProcessHandle::isAlive));
    }

    /** As a user runs it: lines typed on stdin, results read as they come, then EOF. */
    @Test
    void stdinTasksArriveWhileThePoolRunsAndBadLinesAreOneLineEach() throws Exception {
        Process p = new ProcessBuilder(ChildJvm.command("worker_pool", List.of(), List.of("--json", "--workers", "2"))).start();
        try (Writer in = p.outputWriter(StandardCharsets.UTF_8);
             BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            in.write("cpu 1\n");
            in.flush();
            String first = out.readLine();   // the first result comes back before any more input
            assertTrue(first.contains("\"outcome\":\"done\"") && first.contains("\"task\":1"), first);
            in.write("bogus\ncpu x\nstats\ncpu 2\nshutdown\ncpu 3\n");
            in.flush();
            List<String> rest = out.lines().toList();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            assertEquals(0, p.exitValue());
            String all = String.join("\n", rest);
            assertTrue(all.contains("not a task: 'bogus'") && all.contains("got x"), all);
            assertTrue(all.contains("\"stats\""), all);
            assertEquals(3, rest.stream().filter(l -> l.contains("\"outcome\"")).count(), "bogus, cpu x, cpu 2; nothing after shutdown: " + all);
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void emptyStdinSaysSoAndExitsCleanly() throws Exception {
        Process p = new ProcessBuilder(ChildJvm.command("worker_pool", List.of(), List.of())).start();
        p.getOutputStream().close();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue());
        assertEquals("worker_pool: no tasks: stdin was empty", err.strip());
        assertTrue(out.contains("0 tasks: 0 done, 0 failed, 0 cancelled"), out);
    }

    @Test
    void ctrlCCancelsAndEveryTaskStillGetsItsResult() throws Exception {
        Process p = new ProcessBuilder(ChildJvm.command("worker_pool", List.of(), List.of("--workers", "1", "--model", "processes",
                "cpu 1000000", "cpu 1", "cpu 2"))).start();
        Thread.sleep(1500);   // the first task is running in the child JVM
        List<ProcessHandle> children = p.toHandle().children().toList();
        assertEquals(1, children.size(), "one process worker");
        p.toHandle().destroy();   // SIGTERM: what Ctrl-C's SIGINT does to a JVM (background processes ignore SIGINT)
        assertTrue(p.waitFor(20, TimeUnit.SECONDS));
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(3, out.lines().filter(l -> l.contains(" cancelled ")).count(), out);
        assertTrue(out.contains("3 tasks: 0 done, 0 failed, 3 cancelled"), out);
        Thread.sleep(200);
        assertFalse(children.getFirst().isAlive(), "the child JVM is gone");
    }

    @Test
    void aSigkilledPoolLeavesNoBusyWorkerProcessRunning() throws Exception {
        Process p = new ProcessBuilder(ChildJvm.command("worker_pool", List.of(), List.of("--workers", "2", "--model", "processes",
                "cpu 1000000", "cpu 1000000"))).start();
        List<ProcessHandle> children = List.of();
        for (int i = 0; i < 300 && children.size() < 2; i++) {
            Thread.sleep(100);
            children = p.toHandle().children().toList();
        }
        assertEquals(2, children.size(), "two process workers");
        Thread.sleep(1000);   // both are crunching
        p.destroyForcibly();
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        for (ProcessHandle child : children) assertTrue(TestSupport.endsWithin(child, 20), "worker process " + child.pid() + " outlived its pool");
    }

    @Test
    void aClosedStdoutEndsThePool() throws Exception {
        Process p = new ProcessBuilder(ChildJvm.command("worker_pool", List.of(), List.of("--workers", "2"))).start();
        Thread feeder = Thread.ofVirtual().start(() -> {   // like `yes 'cpu 0'`: more tasks than anyone reads
            try (var in = p.outputWriter(StandardCharsets.UTF_8)) {
                for (int i = 0; i < 10_000_000; i++) in.write("cpu 0\n");
            } catch (IOException e) {
                // the pool stopped reading: expected
            }
        });
        try (var out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            assertTrue(out.readLine().contains("done"));   // like `| head -1`: one line, then the reader is gone
        }
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the pool kept running with nobody reading its results");
        feeder.join(10_000);
    }

    @Test
    void aChildJvmsOwnLinesOnItsStdoutAreNotTakenForAnswers() throws Exception {
        // a JVM told to print to stdout all the same prints its flags there before the child answers anything
        try (ChildJvm child = ChildJvm.start("EchoChild", List.of("-XX:+DisplayVMOutputToStdout", "-XX:+PrintCommandLineFlags"), List.of())) {
            assertEquals(41L, child.ask(41L, Long.class));
            assertEquals(42L, child.ask(42L, Long.class));
        }
    }

    @Test
    void theJvmsOwnOutputNeverCutsIntoAnAnswer() {
        // -XX:+PrintCompilation writes to stdout in pieces, from the compiler's threads, while the child answers:
        // one piece inside an answer's line lost that answer, and the parent waited for it for ever
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            try (ChildJvm child = ChildJvm.start("EchoChild", List.of("-XX:+PrintCompilation"), List.of())) {
                for (long n = 0; n < 3000; n++) assertEquals(n, child.ask(n, Long.class));
            }
        });
    }

    @Test
    void anAotCacheThatCannotBeMadeIsSaidOnceAndLeavesNothingSoTheNextRunTriesAgain() throws Exception {
        Path folder = Files.createTempDirectory("aot");
        Path configuration = Files.writeString(folder.resolve("EchoChild-0.aot.1.conf"), "not a recorded configuration\n");
        Path cache = folder.resolve("EchoChild-0.aot");
        var said = new java.io.ByteArrayOutputStream();
        java.io.PrintStream stderr = System.err;
        System.setErr(new java.io.PrintStream(said, true, StandardCharsets.UTF_8));
        try {
            new AotCache.Plan(List.of(), configuration, cache, "EchoChild", List.of()).assemble();
        } finally {
            System.setErr(stderr);
        }
        List<String> lines = said.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(1, lines.size(), lines.toString());
        assertTrue(lines.getFirst().startsWith("(the AOT cache for EchoChild children was not made: its assembly ended with exit code ")
                && lines.getFirst().endsWith("; children start without it, and the next run tries again)"), lines.getFirst());
        try (var left = Files.list(folder)) {
            assertEquals(List.of(), left.toList(), "no cache, no recording, no half-made cache, no log");
        }
    }

    @Test
    void aDamagedAotCacheIsSaidOnceRemovedAndMadeAgain() throws Exception {
        List<String> flags = List.of("-Dplayground.test=" + System.nanoTime());   // a cache of this test's own
        try (ChildJvm child = ChildJvm.start("EchoChild", flags, List.of())) {
            assertEquals(1L, child.ask(1L, Long.class));
        }
        Path cache = AotCache.file("EchoChild", flags);
        assertTrue(Files.isRegularFile(cache) && Files.isRegularFile(AotCache.sum(cache)), "made when the first child exited");
        // zeros over its middle, as a bad disk or a copy cut short would leave it: a JVM that maps it crashes
        try (var file = java.nio.channels.FileChannel.open(cache, java.nio.file.StandardOpenOption.WRITE)) {
            file.write(java.nio.ByteBuffer.allocate(65_536), 4096);
        }
        List<String> said = new ArrayList<>();
        for (long n = 2; n <= 3; n++) {
            var stderr = new java.io.ByteArrayOutputStream();
            java.io.PrintStream before = System.err;
            System.setErr(new java.io.PrintStream(stderr, true, StandardCharsets.UTF_8));
            try (ChildJvm child = ChildJvm.start("EchoChild", flags, List.of())) {
                assertEquals(n, child.ask(n, Long.class), "the child runs, with a cache made again, not the damaged one");
            } finally {
                System.setErr(before);
            }
            said.addAll(stderr.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains("is damaged")).toList());
        }
        assertEquals(List.of("(the AOT cache " + cache + " is damaged (its checksum is not the one it was made with): removed, and made"
                + " again by the next child)"), said, "said once");
        assertTrue(Files.isRegularFile(cache) && Files.isRegularFile(AotCache.sum(cache)), "made again");
    }

    @Test
    void aBareWordAChildPrintsIsNotTakenForAStringAnswer() throws Exception {
        // a String is what the simulator's child answers first (its URL): a library's "ready" must not become it
        try (ChildJvm child = ChildJvm.start("ChattyChild", List.of(), List.of())) {
            assertEquals("\"echo\" answered", child.ask("echo", String.class));
        }
    }

    @Test
    void aNewlineInsideATaskCannotShiftTheResultsOfAProcessWorker() throws Exception {
        List<Pool.Result> results = new CopyOnWriteArrayList<>();
        try (var sim = TestSupport.simulator(2, 5, 10); var pool = new Pool(Pool.Model.processes, 1, 4, TIMEOUT, results::add)) {
            pool.submit(sim.baseUrl() + "site/0\ncpu 5");   // one task whose text holds a newline
            pool.submit("cpu 2");
            pool.submit(sim.baseUrl() + "site/1");
            pool.shutdown();
        }
        assertOneResultPerTask(results, 3);
        var byTask = results.stream().collect(Collectors.toMap(Pool.Result::task, Function.identity()));
        assertEquals(PoolTask.Outcome.Status.failed, byTask.get(1L).outcome(), byTask.get(1L).toString());
        assertTrue(byTask.get(1L).detail().startsWith("malformed URL"), byTask.get(1L).detail());
        assertTrue(byTask.get(2L).detail().startsWith("crunched 2 million steps"), byTask.get(2L).detail());
        assertTrue(byTask.get(3L).detail().startsWith("HTTP 200"), byTask.get(3L).detail());
    }
}

/** A child that prints a bare word on its stdout before it serves, as a library might. */
final class ChattyChild {
    private ChattyChild() {}

    public static void main(String[] args) throws java.io.IOException {
        System.out.println("ready");
        System.out.flush();
        System.exit(ChildJvm.serve(String.class, task -> "\"" + task + "\" answered"));
    }
}

//SOURCES ../scripts/cpu_comparison.java ../scripts/lab/cpu_linearity.java ../scripts/one_task.java ../scripts/lab/bench_one_task.java ../scripts/lab/child_start.java

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The cpu_ scripts, their comparison driver, the linearity benchmark, one_task and its JMH benchmark's child. */
class CpuTest {
    /** A model's script in a fresh JVM, as the driver runs it. */
    static CpuRun.CpuReport runInFreshJvm(String model, List<Integer> tasks, int scale) throws Exception {
        var job = cpu_comparison.job(model, tasks, scale);
        return ChildJvm.runToEnd(model, ChildJvm.command(job.mainClass(), job.jvmFlags(), job.args()), CpuRun.CpuReport.class,
                Duration.ofSeconds(60));
    }

    @Test
    void everyModelReturnsTheSameResultForEveryTask() throws Exception {
        List<Integer> tasks = List.of(3, 1, 2);
        List<Long> expected = tasks.stream().map(n -> CpuWork.crunch(n * CpuWork.STEPS_PER_MILLION)).toList();
        for (String model : cpu_comparison.MODELS) {
            CpuRun.CpuReport report = runInFreshJvm(model, tasks, 1);
            assertEquals(model, report.model());
            assertEquals(tasks, report.tasks().stream().map(CpuRun.TaskResult::millions).toList(), model + ": in --tasks order");
            assertEquals(expected, report.tasks().stream().map(CpuRun.TaskResult::result).toList(), model);
        }
    }

    @Test
    void theWorkScalesWithItsSizeSoTheJitDidNotFoldIt() {
        assertNotEquals(CpuWork.crunch(1_000_000), CpuWork.crunch(2_000_000), "the result depends on every step");
        assertEquals(CpuWork.crunch(3_000_000), CpuWork.crunchFrom(CpuWork.crunch(1_000_000), 2_000_000), "work can be cut into slices");
        assertEquals(2_000_000_000L, CpuWork.naiveCount(2_000_000_000L));
    }

    @Test
    void parallelismOneRunsOneTaskAtATimeWhileAllCarriersOverlap() throws Exception {
        List<CpuRun.TaskResult> one = runInFreshJvm("virtual-1", List.of(3, 3, 3), 10).tasks().stream()
                .sorted(Comparator.comparingDouble(CpuRun.TaskResult::startedAt)).toList();
        for (int i = 1; i < one.size(); i++)
            assertTrue(one.get(i).startedAt() >= one.get(i - 1).finishedAt() - 0.001,
                    "under parallelism 1 a task started before the one before it finished: " + one);
        assertTrue(one.stream().allMatch(t -> t.ranBy().contains("on ForkJoinPool-1-worker-1")), one.toString());
        if (cpu_comparison.CORES > 1) {
            List<CpuRun.TaskResult> all = runInFreshJvm("virtual", List.of(3, 3, 3), 10).tasks().stream()
                    .sorted(Comparator.comparingDouble(CpuRun.TaskResult::startedAt)).toList();
            assertTrue(all.get(1).startedAt() < all.get(0).finishedAt(), "with every carrier two tasks should overlap: " + all);
        }
    }

    @Test
    void processesRunInOtherProcesses() throws Exception {
        CpuRun.CpuReport report = runInFreshJvm("processes", List.of(100, 1, 1), 1);
        Set<Long> pids = new HashSet<>();
        for (CpuRun.TaskResult task : report.tasks()) {
            assertNotEquals(ProcessHandle.current().pid(), task.pid());
            assertTrue(task.ranBy().equals("process " + task.pid()), task.ranBy());
            pids.add(task.pid());
        }
        assertEquals(Math.min(3, Runtime.getRuntime().availableProcessors()), pids.size(), "a pool of one child JVM per core");
        assertTrue(report.cpuSeconds() > 0.2, "the children's CPU is counted (100 million steps ran in one): " + report.cpuSeconds());
    }

    @Test
    void aChildProcessThatDiesIsReportedWithItsExitCode() throws Exception {
        Process run = new ProcessBuilder(ChildJvm.command("cpu_processes", List.of(), List.of("--tasks", "1,100000", "--scale", "1"))).start();
        ProcessHandle child = null;
        boolean sawBoth = false;
        for (int i = 0; i < 600 && child == null; i++) {   // two children; the one left when task 1's has exited runs 100000
            Thread.sleep(100);
            List<ProcessHandle> children = run.toHandle().children().toList();
            sawBoth |= children.size() == 2;
            if (sawBoth && children.size() == 1) child = children.getFirst();
        }
        assertTrue(child != null, "the children never started");
        child.destroyForcibly();
        assertTrue(run.waitFor(30, TimeUnit.SECONDS));
        String err = new String(run.getErrorStream().readAllBytes());
        assertEquals(1, run.exitValue(), err);
        assertTrue(err.matches("(?s).*child process \\d+ for task 100000 died \\(exit code 137\\).*"), err);
    }

    /** ChildJvm's AOT cache: trained by the first child of a kind, used by later ones, never when turned off. */
    @Test
    void theFirstChildTrainsAnAotCacheAndLaterChildrenStartFromIt() throws Exception {
        Path cacheHome = Files.createTempDirectory("xdg-cache");
        Path folder = Files.createDirectories(cacheHome.resolve("jvm-playground").resolve("aot"));
        // what a killed run leaves: the recording of a JVM that is gone (no pid is that large), and its assembly
        Path orphan = Files.writeString(folder.resolve("cpu_processes-0123456789abcdef.aot.999999999999.conf"), "x");
        Path orphanAssembly = Files.writeString(folder.resolve("cpu_processes-0123456789abcdef.aot.999999999999.conf.aot"), "x");
        Path live = Files.writeString(folder.resolve("cpu_processes-0123456789abcdef.aot." + ProcessHandle.current().pid() + ".conf"), "x");
        String first = cpuProcessesWithCacheIn(cacheHome, List.of());
        assertTrue(first.contains("no AOT cache yet for cpu_processes children"), first);
        assertFalse(Files.exists(orphan) || Files.exists(orphanAssembly), "a recording whose JVM is gone is removed");
        assertTrue(Files.exists(live), "a recording whose JVM runs (a run beside this one) is left alone");
        Files.delete(live);
        try (var files = Files.list(folder)) {
            List<String> names = files.map(p -> p.getFileName().toString()).sorted().toList();
            assertEquals(2, names.size(), "one cache and its checksum, nothing left from making it: " + names);
            assertTrue(names.get(0).matches("cpu_processes-[0-9a-f]{16}\\.aot"), names.toString());
            assertEquals(names.get(0) + ".crc", names.get(1));
        }
        String second = cpuProcessesWithCacheIn(cacheHome, List.of());
        assertFalse(second.contains("no AOT cache yet"), "the second run's children start from the cache: " + second);
        Path off = Files.createTempDirectory("xdg-cache");
        cpuProcessesWithCacheIn(off, List.of("-Dplayground.aot=off"));
        assertFalse(Files.exists(off.resolve("jvm-playground")), "-Dplayground.aot=off: no cache made");
    }

    /** Runs cpu_processes on two tiny tasks with XDG_CACHE_HOME set; returns its stderr. */
    private static String cpuProcessesWithCacheIn(Path cacheHome, List<String> jvmFlags) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(ChildJvm.command("cpu_processes", jvmFlags, List.of("--tasks", "1,1", "--scale", "1", "--json")));
        builder.environment().put("XDG_CACHE_HOME", cacheHome.toString());
        Process run = builder.redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String err = new String(run.getErrorStream().readAllBytes());
        assertTrue(run.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, run.exitValue(), err);
        return err;
    }

    @Test
    void workBoundAndEfficiencyMaths() {
        assertEquals(3.0, cpu_comparison.workBound(List.of(1.0, 2.0, 3.0), 2), 1e-9, "the longest task");
        assertEquals(2.0, cpu_comparison.workBound(List.of(1.0, 1.0, 1.0, 1.0), 2), 1e-9, "the total over the cores");
        assertEquals(6.0, cpu_comparison.workBound(List.of(1.0, 2.0, 3.0), 1), 1e-9, "one core: the sum");
        assertEquals(0.9, cpu_comparison.efficiency(1.8, 2), 1e-9);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"cpu_serial --tasks -1", "cpu_threads --tasks 0", "cpu_virtual --tasks abc", "cpu_serial --tasks 99999999999",
            "cpu_serial --tasks 2147483647 --scale 10000", "cpu_structured --scale 0", "cpu_comparison --scale 100000",
            "cpu_comparison --models serial,gevent", "cpu_comparison --models serial,serial", "cpu_comparison --models ,",
            "cpu_comparison --runs 0", "cpu_parallel_stream --timeline run.txt", "cpu_linearity --millions 0"})
    void badInputGivesAUsageExitAndOneClearLine(String command) throws Exception {
        String[] words = command.split(" ");
        var run = TestSupport.runScript(words[0], java.util.Arrays.copyOfRange(words, 1, words.length));
        assertEquals(2, run.exitCode(), run.stdout() + run.stderr());
        assertTrue(run.stdout().isEmpty(), run.stdout());
        assertTrue(run.stderr().lines().findFirst().orElse("").length() > 10, run.stderr());
    }

    @Test
    void badValuesAreNamedInTheMessage() throws Exception {
        assertTrue(TestSupport.runScript("cpu_comparison", "--runs", "0").stderr().contains("--runs must be at least 1, got 0"));
        assertTrue(TestSupport.runScript("cpu_comparison", "--models", "serial,serial").stderr().contains("[serial] asked for twice"));
    }

    @Test
    void comparisonPrintsOneRowPerModel() throws Exception {
        var run = TestSupport.runScript("cpu_comparison", "--tasks", "1,1", "--scale", "1", "--runs", "1", "--warmup", "0",
                "--models", "serial,virtual-1,structured", "--format", "csv");
        assertEquals(0, run.exitCode(), run.stderr());
        List<String> lines = run.stdout().lines().toList();
        assertEquals("model,median s,min-max s,CPU s,speedup,efficiency,work bound s,x bound", lines.get(0));
        assertEquals(List.of("serial", "virtual-1", "structured"), lines.subList(1, 4).stream().map(l -> l.split(",")[0]).toList());
        assertTrue(lines.get(1).contains(",1.00x,"), lines.get(1));
    }

    @Test
    void timelineHasALanePerThreadAndABarPerTask() throws Exception {
        Path svg = Files.createTempDirectory("cpu-timeline").resolve("threads.svg");
        var run = TestSupport.runScript("cpu_threads", "--tasks", "1,2,1", "--scale", "1", "--json", "--timeline", svg.toString());
        assertEquals(0, run.exitCode(), run.stderr());
        CpuRun.CpuReport report = ChildJvm.JSON.fromJson(run.stdout(), CpuRun.CpuReport.class);
        List<Charts.Span> spans = report.spans();
        assertEquals(3, spans.size(), "a bar per task");
        assertEquals(3, spans.stream().map(Charts.Span::lane).distinct().count(), "a lane per thread: " + spans);
        assertTrue(spans.stream().allMatch(s -> s.lane().startsWith("platform ") && !s.lane().contains(" on ") && s.end() > s.start()), spans.toString());
        assertTrue(Files.readString(svg).contains("<svg"), "an SVG file");
    }

    @Test
    void linearityBenchmarkShowsTwiceTheStepsAndTheFoldedLoop() throws Exception {
        var run = TestSupport.runScript("cpu_linearity", "--millions", "20");
        assertEquals(0, run.exitCode(), run.stderr());
        assertTrue(run.stdout().contains("crunch: 20,000,000 steps") && run.stdout().contains("the JIT folded the loop"), run.stdout());
    }

    @Test
    void everyModelOfOneTaskReturnsTheSameResultAndSaysWhatRanIt() throws Exception {
        List<one_task.Answer> outcomes = one_task.runAll(2);
        long expected = CpuWork.crunch(2 * CpuWork.STEPS_PER_MILLION);
        assertEquals(List.of("Thread", "virtual Thread", "ExecutorService", "CompletableFuture", "StructuredTaskScope", "child Process"),
                outcomes.stream().map(one_task.Answer::model).toList());
        outcomes.forEach(o -> assertEquals(expected, o.result(), o.model()));
        assertTrue(outcomes.get(0).ranBy().startsWith("platform "), outcomes.get(0).ranBy());
        assertTrue(outcomes.get(1).ranBy().startsWith("virtual ") && outcomes.get(1).ranBy().contains(" on "), outcomes.get(1).ranBy());
        assertTrue(outcomes.get(4).ranBy().startsWith("virtual "), outcomes.get(4).ranBy());
        assertTrue(!outcomes.get(5).ranBy().startsWith("process " + ProcessHandle.current().pid()), outcomes.get(5).ranBy());
    }

    /** What bench_one_task's childJvm benchmark measures: a JVM that starts, runs the task and answers. */
    @Test
    void theChildJvmBenchmarkMeasuresAChildThatRunsTheTask() throws Exception {
        assertEquals(43, playground.bench_one_task.childTask(42));
        assertEquals(1_000, playground.bench_one_task.childTask(999));
    }

    /** A child's last line, its usage, is written and read without reflection: it round-trips; a line that is not one is refused. */
    @Test
    void aChildsUsageLineRoundTripsAndAnythingElseIsRefused() {
        ChildJvm.Usage usage = new ChildJvm.Usage(1.25, 41.5);
        assertEquals(usage, ChildJvm.Usage.fromJson(JsonParser.parseString(ChildJvm.JSON.toJson(usage.toJson()))));
        assertEquals(usage, ChildJvm.Usage.fromJson(ChildJvm.JSON.toJsonTree(usage)));   // the same fields as Gson's own
        for (String notUsage : List.of("\"word\"", "[1,2]", "{\"cpuSeconds\":1.0}", "{\"cpuSeconds\":\"x\",\"peakRssMiB\":1}"))
            assertThrows(JsonParseException.class, () -> ChildJvm.Usage.fromJson(JsonParser.parseString(notUsage)), notUsage);
        ChildJvm.Usage mine = JvmUsage.childUsage();   // this JVM's, as a child would report it
        assertTrue(mine.cpuSeconds() > 0 && mine.peakRssMiB() > 0, mine.toString());
    }

    @Test
    void childStartTimesEveryKindOfChildToItsFirstAnswerAndToItsExit() throws Exception {
        var run = TestSupport.runScript("child_start", "--runs", "2");
        assertEquals(0, run.exitCode(), run.stderr());
        for (String kind : List.of("cpu (cpu_processes)", "io (io_processes)", "ws (ws_processes)"))
            assertTrue(run.stdout().lines().anyMatch(line -> line.matches(java.util.regex.Pattern.quote(kind) + " +2 +\\d+ +\\d+-\\d+ +\\d+")),
                    kind + " has no row of times:\n" + run.stdout());
        var none = TestSupport.runScript("child_start", "--runs", "0");
        assertEquals(2, none.exitCode(), none.stdout());
        assertEquals("child_start: --runs must be at least 1, got 0", none.stderr().strip());
    }

    @Test
    void theReportHasEveryModelsRowChartSentenceAndTimeline() throws Exception {
        Path html = Files.createTempDirectory("report").resolve("cpu.html");
        List<String> models = List.of("serial", "threads", "virtual-1");
        var run = TestSupport.runScript("cpu_comparison", "--models", String.join(",", models), "--runs", "1", "--warmup", "0",
                "--scale", "1", "--report", html.toString());
        assertEquals(0, run.exitCode(), run.stderr());
        TestSupport.modelReport(html, "cpu_comparison", models, cpu_comparison.WHY);
    }
}

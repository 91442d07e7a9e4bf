import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CpuTest {
    static cpu withTasks(List<Integer> tasks, int scale) {
        cpu run = new cpu();
        run.tasks = tasks;
        run.scale = scale;
        return run;
    }

    @Test
    void everyModelReturnsTheSameResultForEveryTask() throws Exception {
        cpu run = withTasks(List.of(3, 1, 2), 1);
        List<Long> expected = run.tasks.stream().map(n -> CpuWork.crunch(n * CpuWork.STEPS_PER_MILLION)).toList();
        for (String model : cpu.MODELS) {
            cpu.CpuReport report = model.equals("virtual-1") ? run.runInFreshJvm(model) : withTasks(run.tasks, 1).runModel(model);
            assertEquals(run.tasks, report.tasks().stream().map(cpu.TaskResult::millions).toList(), model + ": in --tasks order");
            assertEquals(expected, report.tasks().stream().map(cpu.TaskResult::result).toList(), model);
        }
    }

    @Test
    void theWorkScalesWithItsSizeSoTheJitDidNotFoldIt() {
        assertNotEquals(CpuWork.crunch(1_000_000), CpuWork.crunch(2_000_000), "the result depends on every step");
        assertEquals(2_000_000_000L, CpuWork.naiveCount(2_000_000_000L));
    }

    @Test
    void parallelismOneRunsOneTaskAtATimeWhileAllCarriersOverlap() throws Exception {
        cpu run = withTasks(List.of(3, 3, 3), 10);
        List<cpu.TaskResult> one = run.runInFreshJvm("virtual-1").tasks().stream()
                .sorted(Comparator.comparingDouble(cpu.TaskResult::startedAt)).toList();
        for (int i = 1; i < one.size(); i++)
            assertTrue(one.get(i).startedAt() >= one.get(i - 1).finishedAt() - 0.001,
                    "under parallelism 1 a task started before the one before it finished: " + one);
        assertTrue(one.stream().allMatch(t -> t.ranBy().contains("on ForkJoinPool-1-worker-1")), one.toString());
        if (cpu.CORES > 1) {
            List<cpu.TaskResult> all = run.runInFreshJvm("virtual").tasks().stream()
                    .sorted(Comparator.comparingDouble(cpu.TaskResult::startedAt)).toList();
            assertTrue(all.get(1).startedAt() < all.get(0).finishedAt(), "with every carrier two tasks should overlap: " + all);
        }
    }

    @Test
    void processesRunInOtherProcesses() throws Exception {
        cpu.CpuReport report = withTasks(List.of(1, 1, 1), 1).runModel("processes");
        Set<Long> pids = new HashSet<>();
        for (cpu.TaskResult task : report.tasks()) {
            assertNotEquals(ProcessHandle.current().pid(), task.pid());
            pids.add(task.pid());
        }
        assertEquals(3, pids.size(), "one process per task");
    }

    @Test
    void aChildProcessThatDiesIsReportedWithItsExitCode() throws Exception {
        cpu run = withTasks(List.of(1, 100_000), 1);
        var result = CompletableFuture.supplyAsync(() -> {
            try {
                return run.runModel("processes");
            } catch (Exception e) {
                throw new CompletionException(e);
            }
        });
        ProcessHandle child = null;
        for (int i = 0; i < 100 && child == null; i++) {
            Thread.sleep(100);
            child = ProcessHandle.current().children().filter(p -> p.info().commandLine().orElse("").contains("--count 100000"))
                    .findFirst().orElse(null);
        }
        assertTrue(child != null, "the long child never started");
        child.destroyForcibly();
        var failure = assertThrows(Exception.class, () -> result.get(30, TimeUnit.SECONDS));
        assertTrue(String.valueOf(failure.getMessage()).matches("(?s).*child process \\d+ for task 100000 died \\(exit code 137\\).*"),
                failure.toString());
    }

    @Test
    void lowerBoundAndEfficiencyMaths() {
        assertEquals(3.0, cpu.lowerBound(List.of(1.0, 2.0, 3.0), 2), 1e-9, "the longest task");
        assertEquals(2.0, cpu.lowerBound(List.of(1.0, 1.0, 1.0, 1.0), 2), 1e-9, "the total over the cores");
        assertEquals(6.0, cpu.lowerBound(List.of(1.0, 2.0, 3.0), 1), 1e-9, "one core: the sum");
        assertEquals(0.9, cpu.efficiency(1.8, 2), 1e-9);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"--tasks -1", "--tasks 0", "--tasks abc", "--tasks 99999999999", "--tasks 2147483647 --scale 10000",
            "--scale 0", "--scale 100000", "--model gevent", "--models serial,gevent", "--runs 0", "--timeline run.txt"})
    void badInputGivesAUsageExitAndOneClearLine(String args) throws Exception {
        var run = TestSupport.runScript("cpu", args.split(" "));
        assertEquals(2, run.exitCode(), run.stdout() + run.stderr());
        assertTrue(run.stdout().isEmpty(), run.stdout());
        assertTrue(run.stderr().lines().findFirst().orElse("").length() > 10, run.stderr());
    }

    @Test
    void comparisonPrintsOneRowPerModel() throws Exception {
        var run = TestSupport.runScript("cpu", "--tasks", "1,1", "--scale", "1", "--runs", "1", "--warmup", "0",
                "--models", "serial,virtual-1,structured", "--format", "csv");
        assertEquals(0, run.exitCode(), run.stderr());
        List<String> lines = run.stdout().lines().toList();
        assertEquals("model,median s,min-max s,CPU s,speedup,efficiency,lower bound s,x bound", lines.get(0));
        assertEquals(List.of("serial", "virtual-1", "structured"), lines.subList(1, 4).stream().map(l -> l.split(",")[0]).toList());
        assertTrue(lines.get(1).contains(",1.00x,"), lines.get(1));
    }

    @Test
    void timelineHasALanePerThreadAndABarPerTask() throws Exception {
        Path svg = Files.createTempDirectory("cpu-timeline").resolve("threads.svg");
        var run = TestSupport.runScript("cpu", "--model", "threads", "--tasks", "1,2,1", "--scale", "1", "--json", "--timeline", svg.toString());
        assertEquals(0, run.exitCode(), run.stderr());
        cpu.CpuReport report = Comparison.JSON.fromJson(run.stdout(), cpu.CpuReport.class);
        List<Comparison.Span> spans = report.spans();
        assertEquals(3, spans.size(), "a bar per task");
        assertEquals(3, spans.stream().map(Comparison.Span::lane).distinct().count(), "a lane per thread: " + spans);
        assertTrue(spans.stream().allMatch(s -> s.lane().startsWith("platform ") && !s.lane().contains(" on ") && s.end() > s.start()), spans.toString());
        assertTrue(Files.readString(svg).contains("<svg"), "an SVG file");
    }

    @Test
    void everyFlavourReturnsTheSameResultAndSaysWhatRanIt() throws Exception {
        List<flavours.Outcome> outcomes = flavours.runAll(2);
        long expected = CpuWork.crunch(2 * CpuWork.STEPS_PER_MILLION);
        assertEquals(List.of("Thread", "virtual Thread", "ExecutorService", "CompletableFuture", "StructuredTaskScope", "child Process"),
                outcomes.stream().map(flavours.Outcome::flavour).toList());
        outcomes.forEach(o -> assertEquals(expected, o.result(), o.flavour()));
        assertTrue(outcomes.get(0).ranBy().startsWith("platform "), outcomes.get(0).ranBy());
        assertTrue(outcomes.get(1).ranBy().startsWith("virtual ") && outcomes.get(1).ranBy().contains(" on "), outcomes.get(1).ranBy());
        assertTrue(outcomes.get(4).ranBy().startsWith("virtual "), outcomes.get(4).ranBy());
        assertTrue(!outcomes.get(5).ranBy().startsWith("process " + ProcessHandle.current().pid()), outcomes.get(5).ranBy());
    }
}

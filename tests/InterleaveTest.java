//SOURCES ../scripts/interleave.java

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The interleaving demo, each mode in a fresh JVM as the script runs it. */
class InterleaveTest {
    static interleave.Run run(String mode, String... more) throws Exception {
        List<String> args = new ArrayList<>(List.of("--model", mode, "--json"));
        args.addAll(List.of(more));
        List<String> flags = mode.equals("virtual-1") ? List.of("-Djdk.virtualThreadScheduler.parallelism=1") : List.of();
        return ChildJvm.runToEnd("interleave --model " + mode, ChildJvm.command("interleave", flags, args), interleave.Run.class,
                java.time.Duration.ofSeconds(60));
    }

    static long polls(interleave.Run run) {
        return run.events().stream().filter(e -> e.what().equals("poll")).count();
    }

    @Test
    void underParallelismOneNoPollFallsWhileTheCpuTaskRuns() throws Exception {
        interleave.Run run = run("virtual-1");
        assertEquals(0, run.pollsWhileCpuRan(), run.events().toString());
        assertTrue(polls(run) >= 4, "the poll did run, only later: " + run.events());
        assertTrue(run.events().stream().allMatch(e -> e.thread().endsWith("on ForkJoinPool-1-worker-1")), "one carrier: " + run.events());
    }

    /** Every callback on the one loop thread; the CPU task, queued first, holds it: no poll, no sleep starts meanwhile. */
    @Test
    void onOneEventLoopEveryTaskWaitsForTheCpuTask() throws Exception {
        interleave.Run run = run("eventloop", "--cpu-seconds", "1");
        assertEquals(0, run.pollsWhileCpuRan(), run.events().toString());
        assertTrue(run.events().stream().allMatch(e -> e.thread().equals("platform vert.x-eventloop-thread-0")), "one thread: " + run.events());
        double cpuEnd = run.events().stream().filter(e -> e.what().startsWith("finish") && e.task().equals("cpu")).findFirst().orElseThrow().at();
        assertTrue(run.events().stream().filter(e -> !e.task().equals("cpu")).allMatch(e -> e.at() >= cpuEnd), "nothing before the CPU task ended: " + run.events());
        assertEquals(10 + polls(run) + 2, run.events().size(), "start and finish of cpu and 4 I/O tasks, the poll's start, polls, finish");
        assertTrue(run.seconds() >= 1 + 3, "the 3 s sleep starts after the CPU second: " + run.seconds());
    }

    @Test
    void underPlatformThreadsThePollKeepsItsBeatBesideTheCpuTask() throws Exception {
        interleave.Run run = run("threads");
        assertTrue(run.pollsWhileCpuRan() >= 2, run.events().toString());
        assertEquals(10 + polls(run) + 2, run.events().size(), "start and finish of cpu and 4 I/O tasks, the poll's start, polls, finish");
    }

    @Test
    void sleepersAddUpOneAfterAnotherAndOverlapAtOnceAndTheTimelineIsDrawn() throws Exception {
        Path svg = Files.createTempDirectory("timeline").resolve("sleepers.svg");
        interleave.Run run = run("sleepers", "--sleepers", "3", "--timeline", svg.toString());
        double sequential = interleave.span(run.events(), "sequential"), concurrent = interleave.span(run.events(), "concurrent");
        assertTrue(sequential >= 3.0 && sequential < 3.5, "3 sleeps of 1 s one after another: " + sequential);
        assertTrue(concurrent >= 1.0 && concurrent < 1.5, "3 sleeps of 1 s at once: " + concurrent);
        assertTrue(Files.readString(svg).contains("<svg"), "an SVG file");
    }
}

//DEPS info.picocli:picocli:4.7.7
//SOURCES CpuWork.java ../run/ChildJvm.java ../run/JvmUsage.java ../out/OutputOptions.java

import java.io.IOException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** A CPU model: run every task (count to N million, times the scale) and return their results in --tasks order. */
@FunctionalInterface
interface CpuModel {
    List<CpuRun.TaskResult> runAll(List<Integer> millions, IntFunction<CpuRun.TaskResult> task) throws Exception;
}

/**
 * The options every cpu_ script shares (picocli mixin), the task itself, and the one place that times a model and
 * prints its report, so that each cpu_ script holds nothing but its model.
 */
class CpuRun {
    @Option(names = "--tasks", split = ",", description = "Millions to count to, one task each (default: ${DEFAULT-VALUE}).")
    List<Integer> tasks = List.of(9, 5, 11, 7);
    @Option(names = "--scale", description = "Multiply every task, so compiled Java runs long enough to measure, 1..10000 (default: ${DEFAULT-VALUE}).")
    int scale = 40;
    @Mixin JsonOption json = new JsonOption();
    @Mixin TimelineOption timeline = new TimelineOption();

    /** One task: what it computed, how long it took, in what order it finished, and what ran it. Times in seconds from the model's start. */
    record TaskResult(int millions, long result, double seconds, double startedAt, double finishedAt, int finishOrder,
                      String ranBy, long pid) {}

    record CpuReport(String model, int scale, double seconds, double cpuSeconds, List<TaskResult> tasks) {
        /** One lane per thread (its carrier left out) or child process, a bar labelled with its task's millions where it computed it. */
        List<Charts.Span> spans() {
            return tasks.stream().sorted(Comparator.comparingDouble(TaskResult::startedAt))
                    .map(t -> new Charts.Span(t.ranBy().replaceFirst(" on .*", ""), t.startedAt(), t.finishedAt(), true, String.valueOf(t.millions())))
                    .toList();
        }

        String timelineTitle() {
            return model + ": " + tasks.stream().map(TaskResult::millions).toList() + " million steps x" + scale
                    + "; a lane per thread or process, a bar per task";
        }

        /** Draws the spans; says where, and on how many lanes the tasks ran. */
        String drawTimeline(Path file) throws IOException {
            List<String> lanes = Charts.timeline(file, timelineTitle(), spans());
            return String.format("%s timeline written to %s: %d tasks on %d lane(s) %s", model, file, tasks.size(), lanes.size(), lanes);
        }
    }

    private long modelStart;
    private final AtomicInteger finishOrder = new AtomicInteger();
    private JvmUsage usage;

    /** What is wrong with --tasks, --scale or --timeline, in one line naming the bad value; null when nothing is. */
    String problem() {
        for (int n : tasks) if (n < 1) return "--tasks takes positive millions, got " + n;
        if (scale < 1 || scale > 10_000) return "--scale must be 1..10000, got " + scale;
        try {
            for (int n : tasks) Math.multiplyExact(Math.multiplyExact((long) n, scale), CpuWork.STEPS_PER_MILLION);
        } catch (ArithmeticException e) {
            return "--tasks times --scale overflows a long count of steps";
        }
        return timeline.problem();
    }

    /** Runs the model once in this JVM, prints what each task did (or the JSON report); returns the exit code. */
    int measure(String model, CpuModel cpuModel) {
        ChildJvm.exitWithParent();   // a driver's fresh JVM ends with its driver
        String problem = problem();
        if (problem != null) {
            System.err.println(model + ": " + problem);
            return CommandLine.ExitCode.USAGE;
        }
        try {
            usage = JvmUsage.start();
            modelStart = System.nanoTime();
            List<TaskResult> results = cpuModel.runAll(tasks, this::task);
            CpuReport report = new CpuReport(model, scale, secondsSinceStart(), usage.cpuSeconds(), results);
            if (json.on) System.out.println(ChildJvm.JSON.toJson(report));
            else print(report);
            if (timeline.file != null) System.err.println(report.drawTimeline(timeline.file));
            return CommandLine.ExitCode.OK;
        } catch (Exception e) {   // e.g. a child process that died: one line, its exit code
            Throwable cause = (e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null ? e.getCause() : e;
            System.err.println(model + ": " + cause.getMessage());
            return CommandLine.ExitCode.SOFTWARE;
        }
    }

    /** One task in the calling thread: crunch millions x scale million steps, and say what ran it. */
    TaskResult task(int millions) {
        double startedAt = secondsSinceStart();
        long begin = System.nanoTime();
        long result = CpuWork.crunch(steps(millions));
        double seconds = (System.nanoTime() - begin) / 1e9;
        return new TaskResult(millions, result, seconds, startedAt, startedAt + seconds, finishOrder.incrementAndGet(),
                CpuWork.ranBy(), ProcessHandle.current().pid());
    }

    long steps(int millions) {
        return (long) millions * scale * CpuWork.STEPS_PER_MILLION;
    }

    /** A task that ran elsewhere (a child process), timed from here: started and finished in this model's clock. */
    TaskResult ranElsewhere(int millions, long result, double startedAt, String ranBy, long pid) {
        double finishedAt = secondsSinceStart();
        return new TaskResult(millions, result, finishedAt - startedAt, startedAt, finishedAt, finishOrder.incrementAndGet(), ranBy, pid);
    }

    double secondsSinceStart() {
        return (System.nanoTime() - modelStart) / 1e9;
    }

    /** A model that runs child JVMs tells the run what each used (their CPU is not this JVM's). */
    void childUsed(ChildJvm.Usage child) {
        usage.addChild(child);
    }

    void print(CpuReport report) {
        System.out.printf("%s: %d tasks%n", report.model(), report.tasks().size());
        for (TaskResult t : report.tasks())
            System.out.printf("  counted to %,d million x%d in %.3f s (finished #%d), result %016x  [%s]%n",
                    t.millions(), scale, t.seconds(), t.finishOrder(), t.result(), t.ranBy());
        List<Integer> byFinish = report.tasks().stream().sorted(Comparator.comparingInt(TaskResult::finishOrder))
                .map(TaskResult::millions).toList();
        System.out.printf("  sorted by finish time: %s%n", byFinish);
        System.out.printf("%s took %.3f s wall, %.2f s CPU%n", report.model(), report.seconds(), report.cpuSeconds());
    }
}

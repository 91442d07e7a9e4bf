///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 25
//PREVIEW
//RUNTIME_OPTIONS --enable-native-access=ALL-UNNAMED
//DESCRIPTION CPU crunch: the same honest work (count to 9, 5, 11, 7 million) in every model, each in a fresh JVM, with speedup, efficiency and the lower bound.
//SOURCES lib/CpuWork.java lib/Comparison.java lib/ChildJvm.java lib/JvmUsage.java

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.StructuredTaskScope;
import java.util.concurrent.StructuredTaskScope.Subtask;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import me.tongfei.progressbar.ProgressBar;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

// //JAVA 25 and //PREVIEW: the structured model uses the JDK 25 preview StructuredTaskScope.
@Command(name = "cpu", mixinStandardHelpOptions = true, version = "cpu 1.0",
        description = {"Counts to each of --tasks million (times --scale) with honest work, in every model.",
                "Without --model: each model in its own fresh JVM, --runs times after --warmup, one table.",
                "Models: serial, threads, virtual-1, virtual, processes, completable, structured, parallel-stream."})
class cpu implements Callable<Integer> {
    static final List<String> MODELS = List.of("serial", "threads", "virtual-1", "virtual", "processes",
            "completable", "structured", "parallel-stream");
    static final int CORES = Runtime.getRuntime().availableProcessors();

    @Option(names = "--tasks", split = ",", description = "Millions to count to, one task each (default: ${DEFAULT-VALUE}).")
    List<Integer> tasks = List.of(9, 5, 11, 7);
    @Option(names = "--scale", description = "Multiply every task, so compiled Java runs long enough to measure, 1..10000 (default: ${DEFAULT-VALUE}).")
    int scale = 40;
    @Option(names = "--model", description = "Run one model in this JVM (virtual-1 needs -Djdk.virtualThreadScheduler.parallelism=1).")
    String model;
    @Option(names = "--models", split = ",", description = "Models to compare, each in a fresh JVM (default: all).")
    List<String> models = MODELS;
    @Mixin ComparisonOptions compare;
    @Option(names = "--json", description = "One JSON object on stdout and nothing else there.")
    boolean json;
    @Option(names = "--timeline", paramLabel = "FILE",
            description = "Also draw the run, one lane per thread or process: FILE.png or FILE.svg; without --model one per model, FILE-model.png, from its last run.")
    Path timeline;
    @Option(names = "--linearity", description = "Benchmark: time for N and 2N (ratio should be ~2), and the naive loop the JIT folds.")
    boolean linearity;
    @Option(names = "--count", hidden = true, description = "Child process: crunch this many million steps (already scaled), print the result.")
    Long childCount;

    /** One task: what it computed, how long it took, in what order it finished, and what ran it. */
    record TaskResult(int millions, long result, double seconds, double startedAt, double finishedAt, int finishOrder,
                      String ranBy, long pid) {}

    record CpuReport(String model, double seconds, double cpuSeconds, List<TaskResult> tasks) {
        /** One lane per thread (its carrier left out) or child process, a bar where it computed a task. */
        List<Comparison.Span> spans() {
            return tasks.stream().sorted(Comparator.comparingDouble(TaskResult::startedAt))
                    .map(t -> new Comparison.Span(t.ranBy().replaceFirst(" on .*", ""), t.startedAt(), t.finishedAt(), true))
                    .toList();
        }

        /** Draws the spans; says where, and on how many lanes the tasks ran. */
        String drawTimeline(Path file, int scale) throws IOException {
            List<String> lanes = Comparison.timeline(file, model + ": counting to " + tasks.stream().map(TaskResult::millions).toList()
                    + " million x" + scale + ", one lane per thread or process", spans());
            return String.format("%s timeline written to %s: %d tasks on %d lane(s) %s", model, file, tasks.size(), lanes.size(), lanes);
        }
    }

    record Row(String model, double medianSeconds, double minSeconds, double maxSeconds, double cpuSeconds,
               Double speedup, Double efficiency, Double lowerBoundSeconds, Double ratioToBound) {}

    public static void main(String[] args) {
        System.exit(new CommandLine(new cpu()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (childCount != null) {   // a child of the processes model
            long result = CpuWork.crunch(childCount * CpuWork.STEPS_PER_MILLION);
            System.out.println(result + " " + JvmUsage.processCpuNanos());
            return CommandLine.ExitCode.OK;
        }
        String problem = validate();
        if (problem != null) {
            System.err.println("cpu: " + problem);
            return CommandLine.ExitCode.USAGE;
        }
        if (linearity) return linearityBenchmark();
        try {
            if (model == null) return compare();
            CpuReport report = runModel(model);
            if (json) System.out.println(Comparison.JSON.toJson(report));
            else printTasks(report);
            if (timeline != null) System.err.println(report.drawTimeline(timeline, scale));
            return CommandLine.ExitCode.OK;
        } catch (IOException | RuntimeException e) {   // e.g. a child process that died: one line, its exit code
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            System.err.println("cpu: " + cause.getMessage());
            return CommandLine.ExitCode.SOFTWARE;
        }
    }

    String validate() {
        for (int n : tasks) if (n < 1) return "--tasks takes positive millions, got " + n;
        if (scale < 1 || scale > 10_000) return "--scale must be 1..10000, got " + scale;
        try {
            for (int n : tasks) Math.multiplyExact(Math.multiplyExact((long) n, scale), CpuWork.STEPS_PER_MILLION);
        } catch (ArithmeticException e) {
            return "--tasks times --scale overflows a long count of steps";
        }
        String problem = compare.problem(model == null ? models : Stream.concat(models.stream(), Stream.of(model)).toList(), MODELS);
        if (problem == null) problem = Comparison.chartFileProblem(timeline, "--timeline");
        if (problem != null) return problem;
        if ("virtual-1".equals(model) && !"1".equals(System.getProperty("jdk.virtualThreadScheduler.parallelism")))
            return "virtual-1 needs its own JVM with -Djdk.virtualThreadScheduler.parallelism=1 (run without --model to get one)";
        return null;
    }

    /** Runs every task of one model in this JVM and times it. */
    CpuReport runModel(String name) throws Exception {
        long cpuStart = JvmUsage.processCpuNanos();
        long start = System.nanoTime();
        List<TaskResult> results = switch (name) {
            case "serial" -> serial(start);
            case "threads" -> platformThreads(start);
            case "virtual", "virtual-1" -> virtualThreads(start);
            case "processes" -> processes(start);
            case "completable" -> completable(start);
            case "structured" -> structured(start);
            case "parallel-stream" -> parallelStream(start);
            default -> throw new IllegalArgumentException(name);
        };
        double seconds = (System.nanoTime() - start) / 1e9;
        return new CpuReport(name, seconds, (JvmUsage.processCpuNanos() - cpuStart + childCpuNanos.get()) / 1e9, results);
    }

    // ---- the models: each returns the tasks' results in --tasks order ----

    /** One after another on the main thread. */
    List<TaskResult> serial(long start) {
        List<TaskResult> results = new ArrayList<>();
        for (int n : tasks) results.add(task(n, start));
        return results;
    }

    /** One platform thread per task: the OS runs them in parallel on every core, preempting as it likes. */
    List<TaskResult> platformThreads(long start) throws InterruptedException {
        TaskResult[] results = new TaskResult[tasks.size()];
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < tasks.size(); i++) {
            int index = i;
            threads.add(Thread.ofPlatform().start(() -> results[index] = task(tasks.get(index), start)));
        }
        for (Thread thread : threads) thread.join();
        return List.of(results);
    }

    /**
     * One virtual thread per task, run by the scheduler's carriers: as many as cores, or one with
     * -Djdk.virtualThreadScheduler.parallelism=1 (Go's GOMAXPROCS=1). A virtual thread gives its carrier
     * up only when it blocks: CPU-bound tasks then run one after another, like on an event loop.
     */
    List<TaskResult> virtualThreads(long start) {
        List<Future<TaskResult>> futures;
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            futures = tasks.stream().map(n -> executor.submit(() -> task(n, start))).toList();
        }
        return futures.stream().map(Future::resultNow).toList();
    }

    /** One child JVM per task: parallel like threads, plus ~0.3 s to start each JVM and its own cold JIT. */
    List<TaskResult> processes(long start) throws IOException {
        List<CompletableFuture<TaskResult>> done = new ArrayList<>();
        for (int n : tasks) {
            double startedAt = (System.nanoTime() - start) / 1e9;
            Process child = new ProcessBuilder(ChildJvm.command("cpu", List.of("--count", String.valueOf((long) n * scale))))
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            done.add(child.onExit().thenApply(exited -> childResult(exited, n, startedAt, start)));
        }
        return done.stream().map(CompletableFuture::join).toList();
    }

    /** The child printed "result cpuNanos"; a child that died is reported with its exit code. */
    private TaskResult childResult(Process child, int millions, double startedAt, long modelStart) {
        double finishedAt = (System.nanoTime() - modelStart) / 1e9;
        String[] out;
        try {
            out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip().split(" ");
        } catch (IOException e) {
            out = new String[0];
        }
        if (child.exitValue() != 0 || out.length != 2)
            throw new IllegalStateException("child process " + child.pid() + " for task " + millions + " died (exit code " + child.exitValue() + ")");
        childCpuNanos.addAndGet(Long.parseLong(out[1]));
        return new TaskResult(millions, Long.parseLong(out[0]), finishedAt - startedAt, startedAt, finishedAt,
                finishOrder.incrementAndGet(), "process " + child.pid(), child.pid());
    }

    private final AtomicLong childCpuNanos = new AtomicLong();

    /** supplyAsync on the common ForkJoinPool, whose parallelism is cores - 1 (1 on 2 cores) plus the caller's join. */
    List<TaskResult> completable(long start) {
        var futures = tasks.stream().map(n -> CompletableFuture.supplyAsync(() -> task(n, start))).toList();
        return futures.stream().map(CompletableFuture::join).toList();
    }

    /** Every task a subtask (a virtual thread) of one scope; the default joiner: all must succeed. */
    List<TaskResult> structured(long start) throws InterruptedException {
        try (var scope = StructuredTaskScope.open()) {
            List<Subtask<TaskResult>> subtasks = tasks.stream().map(n -> scope.fork(() -> task(n, start))).toList();
            scope.join();
            return subtasks.stream().map(Subtask::get).toList();
        }
    }

    /** The stream splits the tasks across the common ForkJoinPool and the calling thread. */
    List<TaskResult> parallelStream(long start) {
        return tasks.parallelStream().map(n -> task(n, start)).toList();
    }

    private final AtomicInteger finishOrder = new AtomicInteger();

    TaskResult task(int millions, long modelStart) {
        double startedAt = (System.nanoTime() - modelStart) / 1e9;
        long begin = System.nanoTime();
        long result = CpuWork.crunch((long) millions * scale * CpuWork.STEPS_PER_MILLION);
        double seconds = (System.nanoTime() - begin) / 1e9;
        return new TaskResult(millions, result, seconds, startedAt, startedAt + seconds, finishOrder.incrementAndGet(),
                CpuWork.ranBy(), ProcessHandle.current().pid());
    }

    // ---- output ----

    void printTasks(CpuReport report) {
        System.out.printf("%s: %d tasks%n", report.model(), report.tasks().size());
        for (TaskResult t : report.tasks())
            System.out.printf("  counted to %,d million x%d in %.3f s (finished #%d), result %016x  [%s]%n",
                    t.millions(), scale, t.seconds(), t.finishOrder(), t.result(), t.ranBy());
        List<Integer> byFinish = report.tasks().stream().sorted(Comparator.comparingInt(TaskResult::finishOrder))
                .map(TaskResult::millions).toList();
        System.out.printf("  sorted by finish time: %s%n", byFinish);
        System.out.printf("%s took %.3f s wall, %.2f s CPU%n", report.model(), report.seconds(), report.cpuSeconds());
    }

    Integer compare() throws Exception {
        Map<String, List<CpuReport>> measured = new LinkedHashMap<>();
        try (ProgressBar progress = Comparison.progress("models", (long) models.size() * (compare.warmup + compare.runs))) {
            for (String name : models) {
                List<CpuReport> reports = new ArrayList<>();
                for (int i = 0; i < compare.warmup + compare.runs; i++) {
                    progress.setExtraMessage(name);
                    CpuReport report = runInFreshJvm(name);
                    if (i >= compare.warmup) reports.add(report);
                    progress.step();
                }
                measured.put(name, reports);
            }
        }
        List<Double> work = measured.containsKey("serial") ? taskSeconds(measured.get("serial")) : null;
        Double serial = measured.containsKey("serial") ? medianSeconds(measured.get("serial")) : null;
        Double bound = work == null ? null : lowerBound(work, CORES);
        List<Row> rows = new ArrayList<>();
        measured.forEach((name, reports) -> {
            double median = medianSeconds(reports);
            Double speedup = serial == null ? null : serial / median;
            rows.add(new Row(name, median, reports.stream().mapToDouble(CpuReport::seconds).min().orElseThrow(),
                    reports.stream().mapToDouble(CpuReport::seconds).max().orElseThrow(),
                    Comparison.median(reports.stream().map(CpuReport::cpuSeconds).toList()),
                    speedup, speedup == null ? null : efficiency(speedup, CORES), bound, bound == null ? null : median / bound));
        });
        printComparison(rows, work);
        if (compare.chart != null)
            Comparison.barChart(compare.chart, "Counting to " + tasks + " million x" + scale + " (median of " + compare.runs + ")",
                    rows.stream().map(Row::model).toList(), rows.stream().map(Row::medianSeconds).toList(),
                    rows.stream().map(Row::lowerBoundSeconds).toList());
        if (timeline != null)   // each model's last measured run
            for (var model : measured.entrySet())
                System.err.println(model.getValue().getLast().drawTimeline(Comparison.perModel(timeline, model.getKey()), scale));
        return CommandLine.ExitCode.OK;
    }

    /** The model in a new JVM on this classpath; virtual-1 with its scheduler fixed to one carrier. */
    CpuReport runInFreshJvm(String name) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("--model", name, "--json", "--scale", String.valueOf(scale), "--tasks",
                String.join(",", tasks.stream().map(String::valueOf).toList())));
        List<String> command = ChildJvm.command("cpu", args);
        if (name.equals("virtual-1")) command.add(1, "-Djdk.virtualThreadScheduler.parallelism=1");
        return Comparison.JSON.fromJson(ChildJvm.output("cpu --model " + name, command), CpuReport.class);
    }

    /** The median time of each task in the serial runs: the work itself, with nothing running beside it. */
    static List<Double> taskSeconds(List<CpuReport> serialRuns) {
        int count = serialRuns.getFirst().tasks().size();
        List<Double> work = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int task = i;
            work.add(Comparison.median(serialRuns.stream().map(r -> r.tasks().get(task).seconds()).toList()));
        }
        return work;
    }

    /** No schedule on `cores` cores beats the longest task, nor the total work spread evenly. */
    static double lowerBound(List<Double> taskSeconds, int cores) {
        double longest = taskSeconds.stream().mapToDouble(Double::doubleValue).max().orElse(0);
        double total = taskSeconds.stream().mapToDouble(Double::doubleValue).sum();
        return Math.max(longest, total / cores);
    }

    /** Speedup per core: 1.0 means every core was busy with the work the whole time. */
    static double efficiency(double speedup, int cores) {
        return speedup / cores;
    }

    private static double medianSeconds(List<CpuReport> reports) {
        return Comparison.median(reports.stream().map(CpuReport::seconds).toList());
    }

    void printComparison(List<Row> rows, List<Double> work) {
        if (compare.format == Comparison.Format.json || json) {
            System.out.println(Comparison.JSON.toJson(Map.of("tasks", tasks, "scale", scale, "cores", CORES, "runs", compare.runs, "rows", rows)));
            return;
        }
        List<String> headers = List.of("model", "median s", "min-max s", "CPU s", "speedup", "efficiency", "lower bound s", "x bound");
        List<List<String>> cells = rows.stream().map(r -> List.of(r.model(), String.format("%.3f", r.medianSeconds()),
                String.format("%.3f-%.3f", r.minSeconds(), r.maxSeconds()), String.format("%.2f", r.cpuSeconds()),
                r.speedup() == null ? "-" : String.format("%.2fx", r.speedup()),
                r.efficiency() == null ? "-" : String.format("%.0f%%", 100 * r.efficiency()),
                r.lowerBoundSeconds() == null ? "-" : String.format("%.3f", r.lowerBoundSeconds()),
                r.ratioToBound() == null ? "-" : String.format("%.2f", r.ratioToBound()))).toList();
        System.out.print(Comparison.render(compare.format, headers, cells));
        if (compare.format == Comparison.Format.table && work != null) {
            long steps = tasks.stream().mapToLong(n -> (long) n * scale * CpuWork.STEPS_PER_MILLION).sum();
            double total = work.stream().mapToDouble(Double::doubleValue).sum();
            System.out.printf("Tasks %s million x%d on %d cores; median of %d runs after %d warm-up, each in a fresh JVM;"
                    + " %.3f ns per step (serial).%n", tasks, scale, CORES, compare.runs, compare.warmup, total * 1e9 / steps);
        }
    }

    /** Time for N and for 2N steps (the ratio is ~2 when every step runs), and the naive loop beside it. */
    Integer linearityBenchmark() {
        long n = (long) tasks.getFirst() * scale * CpuWork.STEPS_PER_MILLION;
        for (int i = 0; i < 3; i++) CpuWork.crunch(n / 10);   // let the JIT compile crunch first
        double once = medianOf(5, () -> CpuWork.crunch(n));
        double twice = medianOf(5, () -> CpuWork.crunch(2 * n));
        System.out.printf("crunch: %,d steps %.3f s, %,d steps %.3f s, ratio %.2f (should be ~2.00), %.3f ns per step%n",
                n, once, 2 * n, twice, twice / once, once * 1e9 / n);
        long naive = 2_000_000_000L;
        double naiveSeconds = medianOf(5, () -> CpuWork.naiveCount(naive));
        System.out.printf("naive count += 1: %,d steps in %.6f s (%.4f ns per step): the JIT folded the loop, nothing was counted%n",
                naive, naiveSeconds, naiveSeconds * 1e9 / naive);
        return CommandLine.ExitCode.OK;
    }

    private static volatile long sink;

    private static double medianOf(int times, java.util.function.LongSupplier work) {
        List<Double> seconds = new ArrayList<>();
        for (int i = 0; i < times; i++) {
            long begin = System.nanoTime();
            sink = work.getAsLong();
            seconds.add((System.nanoTime() - begin) / 1e9);
        }
        return Comparison.median(seconds);
    }
}

///usr/bin/env "$(dirname "$0")/../jbang" "$0" "$@" ; exit $?
//JAVA 25
//PREVIEW
//RUNTIME_OPTIONS --enable-native-access=ALL-UNNAMED -XX:+ExitOnOutOfMemoryError -XX:+DisplayVMOutputToStderr
//DESCRIPTION CPU crunch: the same honest work (count to 9, 5, 11, 7 million) in every model, each in a fresh JVM, with speedup, efficiency and the work bound.
//SOURCES lib/cpu/CpuRun.java lib/run/FreshJvm.java lib/out/HtmlReport.java
//SOURCES cpu_serial.java cpu_threads.java cpu_virtual.java cpu_processes.java cpu_completable.java cpu_structured.java cpu_parallel_stream.java cpu_cluster.java

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

// //JAVA 25 and //PREVIEW: it compiles cpu_structured, which uses the JDK 25 preview StructuredTaskScope.
@Command(name = "cpu_comparison", mixinStandardHelpOptions = true, version = "cpu_comparison 1.0",
        description = {"Runs each CPU model (cpu_serial.java, cpu_threads.java, ...) in a fresh JVM, --warmup runs discarded,",
                "then --runs measured, and prints one table of medians with speedup, efficiency and the work bound.",
                "Models: serial, threads, virtual-1 (cpu_virtual on one carrier), virtual, processes, completable, structured, parallel-stream, cluster."})
class cpu_comparison implements Callable<Integer> {
    static final List<String> MODELS = List.of("serial", "threads", "virtual-1", "virtual", "processes",
            "completable", "structured", "parallel-stream", "cluster");
    static final int CORES = Runtime.getRuntime().availableProcessors();

    @Mixin CpuRun run;
    @Option(names = "--models", split = ",", description = "Models to compare, in order (default: all).")
    List<String> models = MODELS;
    @Mixin ComparisonOptions compare;
    @Mixin ReportOption report;

    record Row(String model, double medianSeconds, double minSeconds, double maxSeconds, double cpuSeconds,
               Double speedup, Double efficiency, Double workBoundSeconds, Double ratioToBound) {}

    public static void main(String[] args) {
        System.exit(new CommandLine(new cpu_comparison()).setExecutionExceptionHandler(FreshJvm::oneLine).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        String problem = run.problem();
        if (problem == null) problem = compare.problem(models, MODELS);
        if (problem == null) problem = report.problem();
        if (problem != null) {
            System.err.println("cpu_comparison: " + problem);
            return CommandLine.ExitCode.USAGE;
        }
        var measured = FreshJvm.compare(models.stream().map(model -> job(model, run.tasks, run.scale)).toList(), compare,
                CpuRun.CpuReport.class, CpuRun.CpuReport::seconds);
        var serial = measured.stream().filter(m -> m.model().equals("serial")).findFirst();
        List<Double> work = serial.map(m -> taskSeconds(m.runs())).orElse(null);
        Double bound = work == null ? null : workBound(work, CORES);
        List<Row> rows = new ArrayList<>();
        for (var m : measured) {
            Double speedup = serial.map(s -> s.median() / m.median()).orElse(null);
            rows.add(new Row(m.model(), m.median(), m.min(), m.max(), FreshJvm.median(m.runs().stream().map(CpuRun.CpuReport::cpuSeconds).toList()),
                    speedup, speedup == null ? null : efficiency(speedup, CORES), bound, bound == null ? null : m.median() / bound));
        }
        print(rows, work);
        String chartTitle = "Counting to " + run.tasks + " million x" + run.scale + " (" + compare.medianOfRuns() + ")";
        var chart = Charts.barChart(chartTitle, rows.stream().map(Row::model).toList(), rows.stream().map(Row::medianSeconds).toList(),
                rows.stream().map(Row::workBoundSeconds).toList());
        if (compare.chart != null) Charts.save(chart, compare.chart, "--chart");
        if (run.timeline.file != null)   // each model's last measured run
            for (var m : measured)
                System.err.println(m.last().drawTimeline(Charts.perModel(run.timeline.file, m.model())));
        if (report.file != null) {
            HtmlReport page = report.start(chartTitle + " on " + CORES + " cores: which model uses the cores").table(headers(), cells(rows));
            if (work != null) page.paragraph(note(work));
            page.paragraph("Work bound: no schedule on " + CORES + " cores beats the longest task, nor all the work spread evenly"
                    + " over the cores (the task times measured in the serial runs); efficiency is speedup per core.");
            page.chart("chart", chartTitle + ": each model's median wall time beside the work bound", chart);
            for (var m : measured) page.model(m.model(), WHY.getOrDefault(m.model(), ""), m.last().timelineTitle(), m.last().spans());
            report.write(page);
        }
        return CommandLine.ExitCode.OK;
    }

    /** The model's script in a fresh JVM; virtual-1 is cpu_virtual with its scheduler fixed to one carrier. */
    static FreshJvm.Job job(String model, List<Integer> tasks, int scale) {
        List<String> args = List.of("--json", "--scale", String.valueOf(scale), "--tasks",
                String.join(",", tasks.stream().map(String::valueOf).toList()));
        if (model.equals("virtual-1"))
            return new FreshJvm.Job(model, "cpu_virtual", List.of("-Djdk.virtualThreadScheduler.parallelism=1"), args);
        if (model.equals("cluster"))   // its members are started with the same flags
            return new FreshJvm.Job(model, "cpu_cluster", Cluster.JVM_FLAGS, args);
        return new FreshJvm.Job(model, "cpu_" + model.replace('-', '_'), args);
    }

    /** The median time of each task in the serial runs: the work itself, with nothing running beside it. */
    static List<Double> taskSeconds(List<CpuRun.CpuReport> serialRuns) {
        int count = serialRuns.getFirst().tasks().size();
        List<Double> work = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int task = i;
            work.add(FreshJvm.median(serialRuns.stream().map(r -> r.tasks().get(task).seconds()).toList()));
        }
        return work;
    }

    /** No schedule on `cores` cores beats the longest task, nor the total work spread evenly. */
    static double workBound(List<Double> taskSeconds, int cores) {
        double longest = taskSeconds.stream().mapToDouble(Double::doubleValue).max().orElse(0);
        double total = taskSeconds.stream().mapToDouble(Double::doubleValue).sum();
        return Math.max(longest, total / cores);
    }

    /** Speedup per core: 1.0 means every core was busy with the work the whole time. */
    static double efficiency(double speedup, int cores) {
        return speedup / cores;
    }

    void print(List<Row> rows, List<Double> work) {
        if (compare.format == Table.Format.json || run.json.on) {
            System.out.println(ChildJvm.JSON.toJson(Map.of("tasks", run.tasks, "scale", run.scale, "cores", CORES, "runs", compare.runs, "rows", rows)));
            return;
        }
        System.out.print(Table.render(compare.format, headers(), cells(rows)));
        if (compare.format == Table.Format.table && work != null) System.out.println(note(work));
    }

    static List<String> headers() {
        return List.of("model", "median s", "min-max s", "CPU s", "speedup", "efficiency", "work bound s", "x bound");
    }

    static List<List<String>> cells(List<Row> rows) {
        return rows.stream().map(r -> List.of(r.model(), String.format("%.3f", r.medianSeconds()),
                String.format("%.3f-%.3f", r.minSeconds(), r.maxSeconds()), String.format("%.2f", r.cpuSeconds()),
                r.speedup() == null ? "-" : String.format("%.2fx", r.speedup()),
                r.efficiency() == null ? "-" : String.format("%.0f%%", 100 * r.efficiency()),
                r.workBoundSeconds() == null ? "-" : String.format("%.3f", r.workBoundSeconds()),
                r.ratioToBound() == null ? "-" : String.format("%.2f", r.ratioToBound()))).toList();
    }

    /** The line under the table: the tasks, the cores, the runs, and what a step costs. */
    String note(List<Double> work) {
        long steps = run.tasks.stream().mapToLong(run::steps).sum();
        double total = work.stream().mapToDouble(Double::doubleValue).sum();
        return String.format("Tasks %s million x%d on %d cores; %s after %d warm-up run(s), each in a fresh JVM;"
                + " %.3f ns per step (serial).", run.tasks, run.scale, CORES, compare.medianOfRuns(), compare.warmup, total * 1e9 / steps);
    }

    /** What each model is, in one sentence, for the report. */
    static final Map<String, String> WHY = Map.of(
            "serial", "One thread runs the tasks one after another: the work itself, and the yardstick for speedup.",
            "threads", "A platform thread per task: the OS spreads them over the cores.",
            "virtual-1", "Virtual threads on one carrier thread: one core, however many tasks.",
            "virtual", "Virtual threads on as many carriers as cores: for CPU work, no better than platform threads.",
            "processes", "A child JVM per core, each starting, warming its JIT and counting its share.",
            "completable", "CompletableFuture.supplyAsync on the common ForkJoinPool, whose parallelism is cores - 1: one thread on 2 cores; the caller only waits.",
            "structured", "A StructuredTaskScope of virtual-thread subtasks: the same cores, an owner that waits for all of them.",
            "parallel-stream", "A parallel stream over the tasks: the common ForkJoinPool splits the list.",
            "cluster", "Tasks handed to member JVMs of a Hazelcast cluster on this machine: the same cores, plus the hand-offs.");
}

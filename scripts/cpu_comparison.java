///usr/bin/env "$(dirname "$0")/../jbang" "$0" "$@" ; exit $?
//JAVA 25
//PREVIEW
//RUNTIME_OPTIONS --enable-native-access=ALL-UNNAMED -XX:+ExitOnOutOfMemoryError
//DESCRIPTION CPU crunch: the same honest work (count to 9, 5, 11, 7 million) in every model, each in a fresh JVM, with speedup, efficiency and the lower bound.
//SOURCES lib/cpu/CpuRun.java lib/run/FreshJvm.java
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
                "then --runs measured, and prints one table of medians with speedup, efficiency and the lower bound.",
                "Models: serial, threads, virtual-1 (cpu_virtual on one carrier), virtual, processes, completable, structured, parallel-stream, cluster."})
class cpu_comparison implements Callable<Integer> {
    static final List<String> MODELS = List.of("serial", "threads", "virtual-1", "virtual", "processes",
            "completable", "structured", "parallel-stream", "cluster");
    static final int CORES = Runtime.getRuntime().availableProcessors();

    @Mixin CpuRun run;
    @Option(names = "--models", split = ",", description = "Models to compare, in order (default: all).")
    List<String> models = MODELS;
    @Mixin ComparisonOptions compare;

    record Row(String model, double medianSeconds, double minSeconds, double maxSeconds, double cpuSeconds,
               Double speedup, Double efficiency, Double lowerBoundSeconds, Double ratioToBound) {}

    public static void main(String[] args) {
        System.exit(new CommandLine(new cpu_comparison()).setExecutionExceptionHandler(FreshJvm::oneLine).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        String problem = run.problem();
        if (problem == null) problem = compare.problem(models, MODELS);
        if (problem != null) {
            System.err.println("cpu_comparison: " + problem);
            return CommandLine.ExitCode.USAGE;
        }
        var measured = FreshJvm.compare(models.stream().map(model -> job(model, run.tasks, run.scale)).toList(), compare,
                CpuRun.CpuReport.class, CpuRun.CpuReport::seconds);
        var serial = measured.stream().filter(m -> m.model().equals("serial")).findFirst();
        List<Double> work = serial.map(m -> taskSeconds(m.runs())).orElse(null);
        Double bound = work == null ? null : lowerBound(work, CORES);
        List<Row> rows = new ArrayList<>();
        for (var m : measured) {
            Double speedup = serial.map(s -> s.median() / m.median()).orElse(null);
            rows.add(new Row(m.model(), m.median(), m.min(), m.max(), FreshJvm.median(m.runs().stream().map(CpuRun.CpuReport::cpuSeconds).toList()),
                    speedup, speedup == null ? null : efficiency(speedup, CORES), bound, bound == null ? null : m.median() / bound));
        }
        print(rows, work);
        if (compare.chart != null)
            Charts.barChart(compare.chart, "Counting to " + run.tasks + " million x" + run.scale + " (" + compare.medianOfRuns() + ")",
                    rows.stream().map(Row::model).toList(), rows.stream().map(Row::medianSeconds).toList(),
                    rows.stream().map(Row::lowerBoundSeconds).toList());
        if (run.timeline.file != null)   // each model's last measured run
            for (var m : measured)
                System.err.println(m.last().drawTimeline(Charts.perModel(run.timeline.file, m.model())));
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
    static double lowerBound(List<Double> taskSeconds, int cores) {
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
        List<String> headers = List.of("model", "median s", "min-max s", "CPU s", "speedup", "efficiency", "lower bound s", "x bound");
        List<List<String>> cells = rows.stream().map(r -> List.of(r.model(), String.format("%.3f", r.medianSeconds()),
                String.format("%.3f-%.3f", r.minSeconds(), r.maxSeconds()), String.format("%.2f", r.cpuSeconds()),
                r.speedup() == null ? "-" : String.format("%.2fx", r.speedup()),
                r.efficiency() == null ? "-" : String.format("%.0f%%", 100 * r.efficiency()),
                r.lowerBoundSeconds() == null ? "-" : String.format("%.3f", r.lowerBoundSeconds()),
                r.ratioToBound() == null ? "-" : String.format("%.2f", r.ratioToBound()))).toList();
        System.out.print(Table.render(compare.format, headers, cells));
        if (compare.format == Table.Format.table && work != null) {
            long steps = run.tasks.stream().mapToLong(run::steps).sum();
            double total = work.stream().mapToDouble(Double::doubleValue).sum();
            System.out.printf("Tasks %s million x%d on %d cores; median of %d run(s) after %d warm-up, each in a fresh JVM;"
                    + " %.3f ns per step (serial).%n", run.tasks, run.scale, CORES, compare.runs, compare.warmup, total * 1e9 / steps);
        }
    }
}

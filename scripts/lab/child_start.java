///usr/bin/env "$(dirname "$0")/../../jbang" "$0" "$@" ; exit $?
//JAVA 25+
//RUNTIME_OPTIONS -XX:+ExitOnOutOfMemoryError -XX:+DisplayVMOutputToStderr
//DESCRIPTION How soon a child JVM of the processes models can work: each kind started again and again, timed to its first answer and to its exit.
//SOURCES ../cpu_processes.java ../io_processes.java ../ws_processes.java ../lib/run/FreshJvm.java

import com.google.gson.JsonElement;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The processes models start their child JVMs inside their clock, so a child's start is part of every figure they
 * print. This starts one child of each kind at a time, as those models do (the same main class, flags and first
 * request; its AOT cache, made first if missing), and times it from ChildJvm.start to its first answer, and from the
 * close of its stdin to its exit. The first answer is as small as the kind allows: 0 steps to crunch, a 1-byte file,
 * a page with no latency from the simulator (in its own JVM). docs/notes/child-jvm.md says where the milliseconds go.
 */
@Command(name = "child_start", mixinStandardHelpOptions = true, version = "child_start 1.0",
        description = "Starts each kind of child JVM (cpu, io, ws) --runs times, one at a time, and prints the median time "
                + "to its first answer and to its exit.")
class child_start implements Callable<Integer> {
    @Option(names = "--runs", description = "Children of each kind, started one after another (default: ${DEFAULT-VALUE}).")
    int runs = 9;

    /** One kind of child: how the model starts it, and its first (smallest) request. */
    record Kind(String name, String mainClass, List<String> jvmFlags, List<String> args, Object request, Function<JsonElement, ?> answer) {}

    public static void main(String[] args) {
        System.exit(new CommandLine(new child_start()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (runs < 1) {
            System.err.println("child_start: --runs must be at least 1, got " + runs);
            return CommandLine.ExitCode.USAGE;
        }
        Path oneByte = Files.createTempFile("child-start", ".txt");
        Files.writeString(oneByte, "a");
        try (SimProcess sim = SimProcess.start(new SiteSim.Plan(1, 0, 0, 40, 42))) {
            List<Kind> kinds = List.of(
                    new Kind("cpu (cpu_processes)", "cpu_processes", List.of(), List.of("--child"),
                            0L, json -> ChildJvm.JSON.fromJson(json, Long.class)),
                    new Kind("io (io_processes)", "io_processes", List.of(), List.of("--child"),
                            oneByte.toString(), FileRun.FileResult::fromJson),
                    new Kind("ws (ws_processes)", "ws_processes", ws_processes.CHILD_JVM_FLAGS, ws_processes.childArgs(Duration.ofSeconds(10), Scraper.DEFAULT_MAX_BYTES),
                            sim.baseUrl() + "site/0", SiteResult::fromJson));
            List<List<String>> rows = new ArrayList<>();
            for (Kind kind : kinds) {
                once(kind);   // untimed: makes its AOT cache if there is none yet, and brings its files into the page cache
                List<Double> ready = new ArrayList<>();
                List<Double> exit = new ArrayList<>();
                for (int r = 0; r < runs; r++) {
                    double[] times = once(kind);
                    ready.add(times[0]);
                    exit.add(times[1]);
                }
                String range = ms(ready.stream().min(Double::compare).orElseThrow()) + "-" + ms(ready.stream().max(Double::compare).orElseThrow());
                rows.add(List.of(kind.name(), String.valueOf(runs), ms(FreshJvm.median(ready)), range, ms(FreshJvm.median(exit))));
            }
            System.out.print(Table.render(Table.Format.table, List.of("child", "runs", "ready ms", "min-max ms", "exit ms"), rows));
            System.out.println("ready: from ChildJvm.start to its first answer (the smallest request of its kind); exit: from the close of its stdin"
                    + " to its exit, its usage line read. Medians, one child at a time, each from its AOT cache.");
        } catch (IOException | IllegalStateException e) {
            System.err.println("child_start: " + e.getMessage());
            return 1;
        } finally {
            Files.deleteIfExists(oneByte);
        }
        return 0;
    }

    /** Starts one child, asks it once, finishes it: the seconds to its answer and from closing its stdin to its exit. */
    private static double[] once(Kind kind) throws Exception {
        long start = System.nanoTime();
        try (ChildJvm child = ChildJvm.start(kind.mainClass(), kind.jvmFlags(), kind.args())) {
            Object answer = child.ask(kind.request(), kind.answer());
            long answered = System.nanoTime();
            String problem = answer == null ? "the child died before it answered (exit code " + child.exitCode() + ")"
                    : answer instanceof SiteResult page ? page.error()
                    : answer instanceof FileRun.FileResult file ? file.error() : null;
            if (problem != null) throw new IllegalStateException(kind.name() + ": " + problem);
            child.finish();
            return new double[] {(answered - start) / 1e9, (System.nanoTime() - answered) / 1e9};
        }
    }

    private static String ms(double seconds) {
        return String.valueOf(Math.round(seconds * 1000));
    }
}

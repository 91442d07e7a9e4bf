///usr/bin/env "$(dirname "$0")/../jbang" "$0" "$@" ; exit $?
//JAVA 25+
//RUNTIME_OPTIONS -XX:+ExitOnOutOfMemoryError -XX:+DisplayVMOutputToStderr
//DESCRIPTION File loading on a pool of child JVMs, one per core, as Python's process pool.
//SOURCES lib/files/FileRun.java

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "io_processes", mixinStandardHelpOptions = true, version = "io_processes 1.0",
        description = "Loads every file in --data and reports its length in characters: a pool of child JVMs.")
class io_processes implements Callable<Integer> {
    @Mixin FileRun run;

    @Option(names = "--processes", description = "Child JVMs in the pool (default: one per core, ${DEFAULT-VALUE}).")
    int processes = Runtime.getRuntime().availableProcessors();

    public static void main(String[] args) throws IOException {
        // a child parses no command line: picocli's model of this one costs ~0.2 s of a child's start
        if (args.length == 1 && args[0].equals("--child")) System.exit(ChildJvm.serve(String.class, file -> FileRun.load(Path.of(file)).toJson()));
        System.exit(new CommandLine(new io_processes()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (processes < 1) {
            System.err.println("io_processes: --processes must be at least 1, got " + processes);
            return CommandLine.ExitCode.USAGE;
        }
        return run.measure("processes", files -> loadAll(files, processes, run::childUsed));
    }

    /**
     * A pool of child JVMs, like Python's process pool: one per core, started at once, each taking the next file
     * when it is free; a file's name goes down a child's stdin pipe and its result comes back up its stdout.
     */
    static List<FileRun.FileResult> loadAll(List<Path> files, int processes, Consumer<ChildJvm.Usage> childUsed) throws Exception {
        FileRun.FileResult[] results = new FileRun.FileResult[files.size()];
        AtomicInteger next = new AtomicInteger();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {   // a virtual thread waits on each child
            List<Future<?>> lanes = new ArrayList<>();
            for (int p = 0; p < Math.min(processes, files.size()); p++)
                lanes.add(pool.submit(() -> {
                    ChildJvm child = ChildJvm.start("io_processes", List.of(), List.of("--child"));
                    try {
                        for (int i = next.getAndIncrement(); i < files.size(); i = next.getAndIncrement()) {
                            FileRun.FileResult result = child.ask(files.get(i).toString(), FileRun.FileResult::fromJson);
                            if (result == null) {   // it died: this file failed, and the pool goes on in a new child
                                results[i] = new FileRun.FileResult(files.get(i).toString(), 0, 0, 0,
                                        "child process " + child.pid() + " died (exit code " + child.exitCode() + ")");
                                child = ChildJvm.start("io_processes", List.of(), List.of("--child"));
                            } else {
                                results[i] = result;
                            }
                        }
                    } finally {
                        childUsed.accept(child.finish());
                    }
                    return null;
                }));
            for (Future<?> lane : lanes) lane.get();
        }
        return List.of(results);
    }
}

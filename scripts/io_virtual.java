///usr/bin/env "$(dirname "$0")/../jbang" "$0" "$@" ; exit $?
//JAVA 25+
//RUNTIME_OPTIONS -XX:+ExitOnOutOfMemoryError -XX:+DisplayVMOutputToStderr
//DESCRIPTION File loading with a virtual thread per file.
//SOURCES lib/files/FileRun.java

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "io_virtual", mixinStandardHelpOptions = true, version = "io_virtual 1.0",
        description = "Loads every file in --data and reports its length in characters: a virtual thread per file.")
class io_virtual implements Callable<Integer> {
    @Mixin FileRun run;

    public static void main(String[] args) {
        System.exit(new CommandLine(new io_virtual()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        return run.measure("virtual", io_virtual::loadAll);
    }

    /** A virtual thread per file: never preempted, so in effect one file per carrier at a time. */
    static List<FileRun.FileResult> loadAll(List<Path> files) {
        List<Future<FileRun.FileResult>> loads;
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
        // try (ExecutorService executor = Executors.newThreadPerTaskExecutor(Thread.ofPlatform().factory())) {   // io_threads
            loads = files.stream().map(file -> executor.submit(() -> FileRun.load(file))).toList();
        }   // close() waits for every file
        return loads.stream().map(Future::resultNow).toList();
    }
}

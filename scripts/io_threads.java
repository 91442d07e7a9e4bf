///usr/bin/env "$(dirname "$0")/../jbang" "$0" "$@" ; exit $?
//JAVA 25+
//RUNTIME_OPTIONS -XX:+ExitOnOutOfMemoryError -XX:+DisplayVMOutputToStderr
//DESCRIPTION File loading with a platform thread per file.
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

@Command(name = "io_threads", mixinStandardHelpOptions = true, version = "io_threads 1.0",
        description = "Loads every file in --data and reports its length in characters: a platform thread per file.")
class io_threads implements Callable<Integer> {
    @Mixin FileRun run;

    public static void main(String[] args) {
        System.exit(new CommandLine(new io_threads()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        return run.measure("threads", io_threads::loadAll);
    }

    /** A platform thread per file: the OS time-slices them all over the cores. */
    static List<FileRun.FileResult> loadAll(List<Path> files) {
        List<Future<FileRun.FileResult>> loads;
        try (ExecutorService executor = Executors.newThreadPerTaskExecutor(Thread.ofPlatform().factory())) {
        // try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {   // io_virtual, one line away
            loads = files.stream().map(file -> executor.submit(() -> FileRun.load(file))).toList();
        }   // close() waits for every file
        return loads.stream().map(Future::resultNow).toList();
    }
}

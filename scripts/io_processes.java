///usr/bin/env "$(dirname "$0")/../jbang" "$0" "$@" ; exit $?
//JAVA 25+
//RUNTIME_OPTIONS -XX:+ExitOnOutOfMemoryError
//DESCRIPTION File loading with a child JVM per file, as Python's process per file.
//SOURCES lib/files/FileRun.java

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "io_processes", mixinStandardHelpOptions = true, version = "io_processes 1.0",
        description = "Loads every file in --data and reports its length in characters: a child JVM per file.")
class io_processes implements Callable<Integer> {
    @Mixin FileRun run;

    @Option(names = "--child", hidden = true, description = "Be one child: a file name per stdin line, its result per stdout line.")
    boolean child;

    public static void main(String[] args) {
        System.exit(new CommandLine(new io_processes()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (child) return ChildJvm.serve(String.class, file -> FileRun.load(Path.of(file)));
        return run.measure("processes", files -> loadAll(files, run::childUsed));
    }

    /** A child JVM per file, all started at once; each gets its file's name down a pipe and sends its result back. */
    static List<FileRun.FileResult> loadAll(List<Path> files, Consumer<ChildJvm.Usage> childUsed) throws IOException, InterruptedException {
        List<ChildJvm> children = new ArrayList<>();
        for (Path file : files) {
            ChildJvm child = ChildJvm.start("io_processes", List.of(), List.of("--child"));
            child.send(file.toString());
            children.add(child);
        }
        List<FileRun.FileResult> results = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            ChildJvm child = children.get(i);
            FileRun.FileResult result = child.receive(FileRun.FileResult.class);
            results.add(result != null ? result : new FileRun.FileResult(files.get(i).toString(), 0, 0, 0,
                    "child process " + child.pid() + " died (exit code " + child.exitCode() + ")"));
            childUsed.accept(child.finish());
        }
        return results;
    }
}

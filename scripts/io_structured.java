///usr/bin/env "$(dirname "$0")/../jbang" "$0" "$@" ; exit $?
//JAVA 25
//PREVIEW
//RUNTIME_OPTIONS -XX:+ExitOnOutOfMemoryError -XX:+DisplayVMOutputToStderr
//DESCRIPTION File loading with StructuredTaskScope (JDK 25 preview): every file a subtask of one scope.
//SOURCES lib/files/FileRun.java

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.StructuredTaskScope;
import java.util.concurrent.StructuredTaskScope.Joiner;
import java.util.concurrent.StructuredTaskScope.Subtask;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

// //JAVA 25, not 25+: the StructuredTaskScope preview API changes again in JDK 26.
@Command(name = "io_structured", mixinStandardHelpOptions = true, version = "io_structured 1.0",
        description = "Loads every file in --data and reports its length in characters: a subtask per file in one StructuredTaskScope.")
class io_structured implements Callable<Integer> {
    @Mixin FileRun run;

    public static void main(String[] args) {
        System.exit(new CommandLine(new io_structured()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        return run.measure("structured", io_structured::loadAll);
    }

    /** Every file a subtask of one scope; awaitAll: a file that fails does not cancel the others. */
    static List<FileRun.FileResult> loadAll(List<Path> files) throws InterruptedException {
        try (var scope = StructuredTaskScope.open(Joiner.<FileRun.FileResult>awaitAll())) {
            List<Subtask<FileRun.FileResult>> loads = files.stream().map(file -> scope.fork(() -> FileRun.load(file))).toList();
            scope.join();
            return loads.stream().map(Subtask::get).toList();
        }
    }
}

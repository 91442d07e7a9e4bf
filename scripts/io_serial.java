///usr/bin/env "$(dirname "$0")/../jbang" "$0" "$@" ; exit $?
//JAVA 25+
//RUNTIME_OPTIONS -XX:+ExitOnOutOfMemoryError -XX:+DisplayVMOutputToStderr
//DESCRIPTION File loading, serial: every file one after another, streamed through a strict UTF-8 counter.
//SOURCES lib/files/FileRun.java

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "io_serial", mixinStandardHelpOptions = true, version = "io_serial 1.0",
        description = "Loads every file in --data and reports its length in characters: one after another.")
class io_serial implements Callable<Integer> {
    @Mixin FileRun run;

    public static void main(String[] args) {
        System.exit(new CommandLine(new io_serial()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        return run.measure("serial", io_serial::loadAll);
    }

    /** One file after another on the main thread. */
    static List<FileRun.FileResult> loadAll(List<Path> files) {
        return files.stream().map(FileRun::load).toList();
    }
}

///usr/bin/env "$(dirname "$0")/../jbang" "$0" "$@" ; exit $?
//JAVA 25+
//RUNTIME_OPTIONS -XX:+ExitOnOutOfMemoryError -XX:+DisplayVMOutputToStderr
//DESCRIPTION File loading floor: one plain sequential read of every file's bytes, no counting.
//SOURCES lib/files/FileRun.java

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "io_baseline", mixinStandardHelpOptions = true, version = "io_baseline 1.0",
        description = "Loads every file in --data and reports its length in characters: the floor, one plain sequential read of the bytes (no counting: length = bytes).")
class io_baseline implements Callable<Integer> {
    @Mixin FileRun run;

    public static void main(String[] args) {
        System.exit(new CommandLine(new io_baseline()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        return run.measure("baseline", io_baseline::loadAll);
    }

    /** One plain sequential read of the bytes, no decoding: the floor every model is compared with. */
    static List<FileRun.FileResult> loadAll(List<Path> files) {
        return files.stream().map(io_baseline::readPlain).toList();
    }

    static FileRun.FileResult readPlain(Path file) {
        long start = System.nanoTime();
        String special = FileRun.notAFile(file);
        if (special != null) return new FileRun.FileResult(file.toString(), 0, 0, 0, special);
        try (SeekableByteChannel channel = Files.newByteChannel(file)) {
            ByteBuffer buffer = Utf8Counter.newBuffer();
            long bytes = 0;
            for (int n = channel.read(buffer); n >= 0; n = channel.read(buffer.clear())) bytes += n;
            return new FileRun.FileResult(file.toString(), bytes, bytes, (System.nanoTime() - start) / 1e9, null);
        } catch (IOException | RuntimeException e) {
            return FileRun.failed(file, start, e);
        }
    }
}

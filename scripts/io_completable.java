///usr/bin/env "$(dirname "$0")/../jbang" "$0" "$@" ; exit $?
//JAVA 25+
//RUNTIME_OPTIONS -XX:+ExitOnOutOfMemoryError -XX:+DisplayVMOutputToStderr
//DESCRIPTION File loading with AsynchronousFileChannel and CompletableFuture: aiofiles in Java.
//SOURCES lib/files/FileRun.java

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.CompletionHandler;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "io_completable", mixinStandardHelpOptions = true, version = "io_completable 1.0",
        description = "Loads every file in --data and reports its length in characters: AsynchronousFileChannel and CompletableFuture.")
class io_completable implements Callable<Integer> {
    @Mixin FileRun run;

    public static void main(String[] args) {
        System.exit(new CommandLine(new io_completable()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        return run.measure("completable", io_completable::loadAll);
    }

    /**
     * AsynchronousFileChannel reads, one callback per chunk, composed with CompletableFuture: aiofiles in Java. On
     * Linux the JDK, like aiofiles, serves the reads from a thread pool: every chunk is a hand-off.
     */
    static List<FileRun.FileResult> loadAll(List<Path> files) {
        List<CompletableFuture<FileRun.FileResult>> loads = files.stream().map(io_completable::loadAsync).toList();
        return loads.stream().map(CompletableFuture::join).toList();
    }

    /** The same work with AsynchronousFileChannel: each read completes in a callback that asks for the next. */
    static CompletableFuture<FileRun.FileResult> loadAsync(Path file) {
        long start = System.nanoTime();
        String special = FileRun.notAFile(file);
        if (special != null) return CompletableFuture.completedFuture(new FileRun.FileResult(file.toString(), 0, 0, 0, special));
        CompletableFuture<FileRun.FileResult> done = new CompletableFuture<>();
        AsynchronousFileChannel channel;
        try {
            channel = AsynchronousFileChannel.open(file, StandardOpenOption.READ);
        } catch (IOException | RuntimeException e) {
            return CompletableFuture.completedFuture(FileRun.failed(file, start, e));
        }
        Utf8Counter counter = new Utf8Counter();
        ByteBuffer buffer = Utf8Counter.newBuffer();
        channel.read(buffer, 0, 0L, new CompletionHandler<Integer, Long>() {
            @Override public void completed(Integer n, Long position) {
                try {
                    counter.decode(buffer, n < 0);
                    if (n >= 0) {
                        channel.read(buffer, position + n, position + n, this);
                        return;
                    }
                    done.complete(FileRun.result(file, counter, start));
                } catch (RuntimeException e) {
                    done.complete(FileRun.failed(file, start, e));
                }
                close(channel);
            }

            @Override public void failed(Throwable e, Long position) {
                done.complete(FileRun.failed(file, start, e));
                close(channel);
            }
        });
        return done;
    }

    private static void close(AsynchronousFileChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // nothing was written: nothing to lose
        }
    }
}

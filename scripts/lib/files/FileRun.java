//DEPS info.picocli:picocli:4.7.7
//SOURCES Utf8Counter.java ../run/ChildJvm.java ../run/JvmUsage.java ../out/OutputOptions.java

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** A file-loading model: load every file, return one result per file in the order given. */
@FunctionalInterface
interface FileModel {
    List<FileRun.FileResult> loadAll(List<Path> files) throws Exception;
}

/**
 * The options every io_ script shares (picocli mixin), the work itself (stream a file through the UTF-8
 * counter), and the one place that times a model and prints its report, so each io_ script holds its model only.
 */
class FileRun {
    @Option(names = "--data", description = "Folder of files to load (default: data/ at the repo root).")
    Path data;
    @Mixin JsonOption json = new JsonOption();
    @Option(names = "--jit-warmup", paramLabel = "MB", description = "Count this many MB of in-memory text before the clock "
            + "starts, so the JIT has compiled the counting code; 0 = cold (default: ${DEFAULT-VALUE}).")
    int jitWarmupMb = 256;

    /**
     * One file: its size, its length in characters, how long it took; error is null when it loaded. A child JVM
     * sends it up a pipe as {@link #toJson}, read back by {@link #fromJson}: written by hand, not by Gson's reflection
     * on a record (nor its @JsonAdapter, an annotation: a dynamic proxy class made at run time), which a fresh JVM
     * pays for at its first answer (see ChildJvm.Usage).
     */
    record FileResult(String file, long bytes, long chars, double seconds, String error) {
        JsonObject toJson() {
            JsonObject json = new JsonObject();
            json.addProperty("file", file);
            json.addProperty("bytes", bytes);
            json.addProperty("chars", chars);
            json.addProperty("seconds", seconds);
            json.addProperty("error", error);
            return json;
        }

        static FileResult fromJson(JsonElement line) {
            JsonObject json = ChildJvm.object(line, "a file's result");
            return new FileResult(ChildJvm.text(json, "file"), ChildJvm.whole(json, "bytes"), ChildJvm.whole(json, "chars"),
                    ChildJvm.number(json, "seconds"), ChildJvm.text(json, "error"));
        }
    }

    record IoReport(String model, double seconds, double cpuSeconds, double peakRssMiB, List<FileResult> files) {}

    private JvmUsage usage;

    /** The folder given, else data/ from the repo root or from scripts/. */
    Path folder() {
        return data != null ? data : Files.isDirectory(Path.of("data")) ? Path.of("data") : Path.of("..", "data");
    }

    /** What is in the folder, hidden files (.generated) left out; directories and special files kept: they are reported as such. */
    static List<Path> dataFiles(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) return List.of();
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList();
        }
    }

    /** The files, or null after one line on stderr saying why there are none. */
    List<Path> filesOrSay(String command) throws IOException {
        if (jitWarmupMb < 0) {
            System.err.println(command + ": --jit-warmup must be at least 0, got " + jitWarmupMb);
            return null;
        }
        List<Path> files = dataFiles(folder());
        if (files.isEmpty())
            System.err.println(command + ": no files in " + folder() + ": run ./generate_files.sh first (./generate_files.sh 5 2 for a quick run)");
        return files.isEmpty() ? null : files;
    }

    /** Loads every file once with the model, in this JVM, after the JIT warm-up; prints the report. Returns the exit code. */
    int measure(String model, FileModel fileModel) throws Exception {
        ChildJvm.exitWithParent();   // a driver's fresh JVM ends with its driver
        List<Path> files = filesOrSay(model);
        if (files == null) return CommandLine.ExitCode.USAGE;
        double warmUp = Utf8Counter.warmUp(jitWarmupMb);
        if (!json.on && jitWarmupMb > 0) System.out.printf("(JIT warm-up, not timed: %d MB counted in %.2f s)%n", jitWarmupMb, warmUp);
        IoReport report = run(model, fileModel, files);
        if (json.on) System.out.println(ChildJvm.JSON.toJson(report));
        else print(report);
        return CommandLine.ExitCode.OK;
    }

    IoReport run(String model, FileModel fileModel, List<Path> files) throws Exception {
        usage = JvmUsage.start();
        long start = System.nanoTime();
        List<FileResult> results = fileModel.loadAll(files);
        double seconds = (System.nanoTime() - start) / 1e9;
        return new IoReport(model, seconds, usage.cpuSeconds(), usage.peakRssMiB(), results);
    }

    /** A model that runs child JVMs tells the run what each used (their CPU is not this JVM's). */
    void childUsed(ChildJvm.Usage child) {
        usage.addChild(child);
    }

    // ---- the work: stream a file through the UTF-8 counter ----

    /** Loads one file in 256 KiB chunks, decoding strictly: invalid UTF-8 is reported, never replaced. */
    static FileResult load(Path file) {
        long start = System.nanoTime();
        String special = notAFile(file);
        if (special != null) return new FileResult(file.toString(), 0, 0, 0, special);
        try (SeekableByteChannel channel = Files.newByteChannel(file)) {
            Utf8Counter counter = new Utf8Counter();
            ByteBuffer buffer = Utf8Counter.newBuffer();
            while (true) {
                int n = channel.read(buffer);
                counter.decode(buffer, n < 0);
                if (n < 0) break;
            }
            return result(file, counter, start);
        } catch (IOException | RuntimeException e) {
            return failed(file, start, e);
        }
    }

    static FileResult result(Path file, Utf8Counter counter, long start) {
        return new FileResult(file.toString(), counter.bytes(), counter.count(), (System.nanoTime() - start) / 1e9, null);
    }

    /**
     * Why this is not a file we should open, or null when it is one (or is gone: opening it says so). Opening a
     * FIFO blocks until someone writes to it, a device may never end: both are reported and skipped, never opened.
     */
    static String notAFile(Path file) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (attributes.isSymbolicLink()) attributes = Files.readAttributes(file, BasicFileAttributes.class);
            if (attributes.isDirectory()) return "is a directory";
            if (attributes.isOther()) return "not a regular file (a FIFO, socket or device): skipped";
            return null;
        } catch (IOException e) {
            return null;   // vanished, or unreadable: the open reports it
        }
    }

    static FileResult failed(Path file, long start, Throwable e) {
        String why = Files.isDirectory(file) ? "is a directory"
                : e instanceof NoSuchFileException ? "vanished: no such file any more"
                : e instanceof AccessDeniedException ? "unreadable: permission denied"
                : e instanceof IllegalStateException ? e.getMessage()
                : e.getClass().getSimpleName() + ": " + e.getMessage();
        return new FileResult(file.toString(), 0, 0, (System.nanoTime() - start) / 1e9, why);
    }

    void print(IoReport report) {
        System.out.printf("%s: %d files, sorted by processing time%n", report.model(), report.files().size());
        report.files().stream().sorted(Comparator.comparingDouble(FileResult::seconds)).forEach(f -> System.out.println(f.error() == null
                ? String.format("  %-24s %,15d characters in %.3f s", Path.of(f.file()).getFileName(), f.chars(), f.seconds())
                : String.format("  %-24s FAILED: %s", Path.of(f.file()).getFileName(), f.error())));
        System.out.printf("%s took %.3f s, %.2f s CPU, peak RSS %.0f MiB%n", report.model(), report.seconds(), report.cpuSeconds(), report.peakRssMiB());
    }
}

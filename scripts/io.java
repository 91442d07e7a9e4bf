///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 25
//PREVIEW
//RUNTIME_OPTIONS --enable-native-access=ALL-UNNAMED
//DESCRIPTION File loading: read every file in data/ and count its characters, in every model, each in a fresh JVM, beside a plain sequential reader.
//SOURCES lib/Comparison.java lib/ChildJvm.java lib/JvmUsage.java

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.CompletionHandler;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.StructuredTaskScope;
import java.util.concurrent.StructuredTaskScope.Joiner;
import java.util.concurrent.StructuredTaskScope.Subtask;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

// //JAVA 25 and //PREVIEW: the structured model uses the JDK 25 preview StructuredTaskScope.
@Command(name = "io", mixinStandardHelpOptions = true, version = "io 1.0",
        description = {"Loads every file in --data and reports its length in characters, in every model.",
                "Without --model: each model in its own fresh JVM, beside 'baseline', one plain sequential reader.",
                "Models: baseline, serial, threads, virtual, processes, completable, structured."})
class io implements Callable<Integer> {
    static final List<String> MODELS = List.of("baseline", "serial", "threads", "virtual", "processes", "completable", "structured");
    static final int CHUNK = 1 << 18;   // 256 KiB at a time: memory stays flat whatever the file sizes

    /** Direct (off-heap) buffers: the kernel copies into them once; a heap buffer costs a second copy. */
    static ByteBuffer newBuffer() {
        return ByteBuffer.allocateDirect(CHUNK);
    }

    @Option(names = "--data", description = "Folder of files to load (default: data/ at the repo root).")
    Path data;
    @Option(names = "--model", description = "Run one model in this JVM.")
    String model;
    @Option(names = "--models", split = ",", description = "Models to compare, each in a fresh JVM (default: all).")
    List<String> models = MODELS;
    @Mixin ComparisonOptions compare;
    @Option(names = "--json", description = "One JSON object on stdout and nothing else there.")
    boolean json;
    @Option(names = "--jit-warmup", paramLabel = "MB", description = "Count this many MB of in-memory text before the clock "
            + "starts, so the JIT has compiled the counting code; 0 = cold (default: ${DEFAULT-VALUE}).")
    int jitWarmupMb = 256;
    @Option(names = "--cold", description = "Evict the files from the page cache before every run (GNU dd iflag=nocache; "
            + "no root needed), so each model reads from the disk.")
    boolean cold;
    @Option(names = "--count-file", hidden = true, description = "Child process: load this one file, print its result as JSON.")
    Path childFile;

    /** One file: its size, its length in characters, how long it took; error is null when it loaded. */
    record FileResult(String file, long bytes, long chars, double seconds, String error) {}

    record IoReport(String model, double seconds, double cpuSeconds, double peakRssMiB, List<FileResult> files) {}

    record Row(String model, double medianSeconds, double minSeconds, double maxSeconds, double peakRssMiB,
               double xBaseline, int files, int failed) {}

    public static void main(String[] args) {
        System.exit(new CommandLine(new io()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (childFile != null) {
            System.out.println(Comparison.JSON.toJson(load(childFile)));
            return CommandLine.ExitCode.OK;
        }
        String problem = compare.problem(model == null ? models : Stream.concat(models.stream(), Stream.of(model)).toList(), MODELS);
        if (problem != null) {
            System.err.println("io: " + problem);
            return CommandLine.ExitCode.USAGE;
        }
        Path folder = data != null ? data : Files.isDirectory(Path.of("data")) ? Path.of("data") : Path.of("..", "data");
        List<Path> files = dataFiles(folder);
        if (files.isEmpty()) {
            System.err.println("io: no files in " + folder + ": run ./generate_files.sh first (./generate_files.sh 5 2 for a quick run)");
            return CommandLine.ExitCode.USAGE;
        }
        if (jitWarmupMb < 0) {
            System.err.println("io: --jit-warmup must be at least 0");
            return CommandLine.ExitCode.USAGE;
        }
        if (model == null) return compare(folder, files);
        double warmUp = warmUp(jitWarmupMb);
        if (!json && jitWarmupMb > 0) System.out.printf("(JIT warm-up, not timed: %d MB counted in %.2f s)%n", jitWarmupMb, warmUp);
        IoReport report = runModel(model, files);
        if (json) System.out.println(Comparison.JSON.toJson(report));
        else printFiles(report);
        return CommandLine.ExitCode.OK;
    }

    /**
     * Counts in-memory text, one chunk over and over, until the JIT has compiled the counting code. Without it, a
     * fresh JVM's first seconds run that loop interpreted, and 21 platform threads competing with the compiler
     * threads for 2 cores made the threads model 2-10x slower than the others for reasons that have nothing to do
     * with threads. Returns the seconds it took. (The processes model's children still start cold, in the clock.)
     */
    static double warmUp(int megabytes) {
        long start = System.nanoTime();
        ByteBuffer text = newBuffer();
        while (text.hasRemaining()) text.put((byte) ('A' + text.position() % 26));
        text.put(CHUNK - 2, (byte) 0xC3).put(CHUNK - 1, (byte) 0xA9);   // an "é": the decoder's path runs too
        Counter counter = new Counter();
        for (long done = 0; done < (long) megabytes << 20; done += CHUNK)
            counter.decode(text.position(CHUNK), false);                  // as if a read had just filled it
        return (System.nanoTime() - start) / 1e9;
    }

    /** What is in the folder, hidden files (.generated) left out, directories kept: they are reported as such. */
    static List<Path> dataFiles(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) return List.of();
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList();
        }
    }

    IoReport runModel(String name, List<Path> files) throws Exception {
        JvmUsage usage = JvmUsage.start();
        long start = System.nanoTime();
        List<FileResult> results = switch (name) {
            case "baseline" -> files.stream().map(io::readPlain).toList();
            case "serial" -> files.stream().map(io::load).toList();
            case "threads" -> threads(files, Executors.newThreadPerTaskExecutor(Thread.ofPlatform().factory()));
            case "virtual" -> threads(files, Executors.newVirtualThreadPerTaskExecutor());
            case "processes" -> processes(files);
            case "completable" -> completable(files);
            case "structured" -> structured(files);
            default -> throw new IllegalArgumentException(name);
        };
        double seconds = (System.nanoTime() - start) / 1e9;
        return new IoReport(name, seconds, usage.cpuSeconds(), usage.peakRssMiB(), results);
    }

    // ---- the models ----

    /** A thread per file: platform threads (the OS's) or virtual ones, the same code. */
    static List<FileResult> threads(List<Path> files, ExecutorService executor) {
        List<Future<FileResult>> loads;
        try (executor) {
            loads = files.stream().map(file -> executor.submit(() -> load(file))).toList();
        }
        return loads.stream().map(Future::resultNow).toList();
    }

    /** A child JVM per file, as Python's process per file: each prints its result as one JSON line. */
    static List<FileResult> processes(List<Path> files) throws IOException, InterruptedException {
        List<Process> children = new ArrayList<>();
        for (Path file : files)
            children.add(new ProcessBuilder(ChildJvm.command("io", List.of("--count-file", file.toString())))
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start());
        List<FileResult> results = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            Process child = children.get(i);
            String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            int exit = child.waitFor();
            results.add(exit == 0 && !out.isEmpty() ? Comparison.JSON.fromJson(out, FileResult.class)
                    : new FileResult(files.get(i).toString(), 0, 0, 0, "child process " + child.pid() + " died (exit code " + exit + ")"));
        }
        return results;
    }

    /** AsynchronousFileChannel reads, one callback per chunk, composed with CompletableFuture: aiofiles in Java. */
    static List<FileResult> completable(List<Path> files) {
        List<CompletableFuture<FileResult>> loads = files.stream().map(io::loadAsync).toList();
        return loads.stream().map(CompletableFuture::join).toList();
    }

    /** Every file a subtask of one scope; awaitAll: a file that fails does not cancel the others. */
    static List<FileResult> structured(List<Path> files) throws InterruptedException {
        try (var scope = StructuredTaskScope.open(Joiner.<FileResult>awaitAll())) {
            List<Subtask<FileResult>> loads = files.stream().map(file -> scope.fork(() -> load(file))).toList();
            scope.join();
            return loads.stream().map(Subtask::get).toList();
        }
    }

    // ---- the work: stream a file through a UTF-8 decoder and count characters ----

    /** Loads one file in 256 KiB chunks, decoding strictly: invalid UTF-8 is reported, never replaced. */
    static FileResult load(Path file) {
        long start = System.nanoTime();
        try (SeekableByteChannel channel = Files.newByteChannel(file)) {
            Counter counter = new Counter();
            ByteBuffer buffer = newBuffer();
            while (true) {
                int n = channel.read(buffer);
                counter.decode(buffer, n < 0);
                if (n < 0) break;
            }
            return counter.result(file, start);
        } catch (IOException | RuntimeException e) {
            return failed(file, start, e);
        }
    }

    /** The same work with AsynchronousFileChannel: each read completes in a callback that asks for the next. */
    static CompletableFuture<FileResult> loadAsync(Path file) {
        long start = System.nanoTime();
        CompletableFuture<FileResult> done = new CompletableFuture<>();
        AsynchronousFileChannel channel;
        try {
            channel = AsynchronousFileChannel.open(file, StandardOpenOption.READ);
        } catch (IOException | RuntimeException e) {
            return CompletableFuture.completedFuture(failed(file, start, e));
        }
        Counter counter = new Counter();
        ByteBuffer buffer = newBuffer();
        channel.read(buffer, 0, 0L, new CompletionHandler<Integer, Long>() {
            @Override public void completed(Integer n, Long position) {
                try {
                    counter.decode(buffer, n < 0);
                    if (n >= 0) {
                        channel.read(buffer, position + n, position + n, this);
                        return;
                    }
                    done.complete(counter.result(file, start));
                } catch (RuntimeException e) {
                    done.complete(io.failed(file, start, e));
                }
                close(channel);
            }

            @Override public void failed(Throwable e, Long position) {
                done.complete(io.failed(file, start, e));
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

    /** The baseline: one plain sequential read of the bytes, no decoding. The floor a model is compared with. */
    static FileResult readPlain(Path file) {
        long start = System.nanoTime();
        try (SeekableByteChannel channel = Files.newByteChannel(file)) {
            ByteBuffer buffer = newBuffer();
            long bytes = 0;
            for (int n = channel.read(buffer); n >= 0; n = channel.read(buffer.clear())) bytes += n;
            return new FileResult(file.toString(), bytes, bytes, (System.nanoTime() - start) / 1e9, null);
        } catch (IOException | RuntimeException e) {
            return failed(file, start, e);
        }
    }

    /** Decodes chunk by chunk and counts: a file is never held whole. */
    static final class Counter {
        private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        private final CharBuffer chars = CharBuffer.allocate(CHUNK);
        private long bytes;
        private long count;

        /** Takes the bytes read into buffer (flips and compacts it), counting the characters they decode to. */
        void decode(ByteBuffer buffer, boolean endOfInput) {
            buffer.flip();
            // ASCII fast path: a byte below 0x80 is one character, and 32 bytes are checked at once. The
            // decoder is 5x slower per byte and only sees the rest (from the first non-ASCII byte on).
            int ascii = buffer.position();
            int limit = buffer.limit();
            while (ascii + 32 <= limit && ((buffer.getLong(ascii) | buffer.getLong(ascii + 8) | buffer.getLong(ascii + 16)
                    | buffer.getLong(ascii + 24)) & 0x8080808080808080L) == 0) ascii += 32;
            while (ascii + 8 <= limit && (buffer.getLong(ascii) & 0x8080808080808080L) == 0) ascii += 8;
            while (ascii < limit && buffer.get(ascii) >= 0) ascii++;
            count += ascii - buffer.position();
            bytes += ascii - buffer.position();
            buffer.position(ascii);
            long before = buffer.remaining();
            CoderResult result = decoder.decode(buffer, chars, endOfInput);
            bytes += before - buffer.remaining();
            if (result.isError())
                throw new IllegalStateException("not valid UTF-8 at byte " + bytes);
            if (endOfInput) decoder.flush(chars);
            count += chars.position();
            chars.clear();
            buffer.compact();
        }

        FileResult result(Path file, long start) {
            return new FileResult(file.toString(), bytes, count, (System.nanoTime() - start) / 1e9, null);
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

    // ---- output and the comparison ----

    void printFiles(IoReport report) {
        System.out.printf("%s: %d files, sorted by processing time%n", report.model(), report.files().size());
        report.files().stream().sorted(Comparator.comparingDouble(FileResult::seconds)).forEach(f -> System.out.println(f.error() == null
                ? String.format("  %-24s %,15d characters in %.3f s", Path.of(f.file()).getFileName(), f.chars(), f.seconds())
                : String.format("  %-24s FAILED: %s", Path.of(f.file()).getFileName(), f.error())));
        System.out.printf("%s took %.3f s, %.2f s CPU, peak RSS %.0f MiB%n", report.model(), report.seconds(), report.cpuSeconds(), report.peakRssMiB());
    }

    Integer compare(Path folder, List<Path> files) throws Exception {
        long total = 0;
        for (Path file : files) if (Files.isRegularFile(file)) total += Files.size(file);
        System.err.printf("%d files, %,d bytes in %s; page cache before: %s%n", files.size(), total, folder, PageCache.describe(files));
        Map<String, List<IoReport>> measured = new LinkedHashMap<>();
        for (String name : models) {
            List<IoReport> reports = new ArrayList<>();
            for (int i = 0; i < compare.warmup + compare.runs; i++) {
                if (cold) PageCache.evict(files);
                IoReport report = runInFreshJvm(name, folder);
                if (i >= compare.warmup) reports.add(report);
            }
            measured.put(name, reports);
        }
        String cache = cold ? "cold: evicted before every run" : PageCache.describe(files);
        Double baseline = measured.containsKey("baseline") ? median(measured.get("baseline")) : null;
        List<Row> rows = new ArrayList<>();
        measured.forEach((name, reports) -> {
            double median = median(reports);
            IoReport last = reports.getLast();
            rows.add(new Row(name, median, reports.stream().mapToDouble(IoReport::seconds).min().orElseThrow(),
                    reports.stream().mapToDouble(IoReport::seconds).max().orElseThrow(),
                    reports.stream().mapToDouble(IoReport::peakRssMiB).max().orElseThrow(),
                    baseline == null ? Double.NaN : median / baseline, last.files().size(),
                    (int) last.files().stream().filter(f -> f.error() != null).count()));
        });
        if (compare.format == Comparison.Format.json || json) {
            System.out.println(Comparison.JSON.toJson(Map.of("files", files.size(), "bytes", total, "pageCache", cache, "rows", rows)));
        } else {
            List<String> headers = List.of("model", "files", "failed", "median s", "min-max s", "x baseline", "peak RSS MiB");
            List<List<String>> cells = rows.stream().map(r -> List.of(r.model(), String.valueOf(r.files()), String.valueOf(r.failed()),
                    String.format("%.3f", r.medianSeconds()), String.format("%.3f-%.3f", r.minSeconds(), r.maxSeconds()),
                    String.format("%.2f", r.xBaseline()), String.format("%.0f", r.peakRssMiB()))).toList();
            System.out.print(Comparison.render(compare.format, headers, cells));
            if (compare.format == Comparison.Format.table)
                System.out.printf("%d files, %,d bytes; page cache: %s; median of %d runs after %d warm-up, each in a fresh JVM.%n",
                        files.size(), total, cache, compare.runs, compare.warmup);
        }
        if (compare.chart != null)
            Comparison.barChart(compare.chart, "Loading " + files.size() + " files (median of " + compare.runs + " runs)",
                    rows.stream().map(Row::model).toList(), rows.stream().map(Row::medianSeconds).toList(),
                    rows.stream().map(r -> (Double) null).toList());
        return CommandLine.ExitCode.OK;
    }

    private static double median(List<IoReport> reports) {
        return Comparison.median(reports.stream().map(IoReport::seconds).toList());
    }

    IoReport runInFreshJvm(String name, Path folder) throws IOException, InterruptedException {
        String out = ChildJvm.output("io --model " + name,
                ChildJvm.command("io", List.of("--model", name, "--json", "--data", folder.toString(),
                        "--jit-warmup", String.valueOf(jitWarmupMb))));
        return Comparison.JSON.fromJson(out, IoReport.class);
    }

    /** How much of the files the kernel holds in its page cache, from util-linux's fincore where it exists. */
    static final class PageCache {
        /** Asks the kernel to drop each file's cached pages: dd reads nothing (count=0) and advises DONTNEED. */
        static void evict(List<Path> files) throws IOException, InterruptedException {
            for (Path file : files) {
                if (!Files.isRegularFile(file)) continue;
                Process dd = new ProcessBuilder("dd", "if=" + file, "iflag=nocache", "count=0", "status=none")
                        .redirectErrorStream(true).start();
                String out = new String(dd.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
                if (dd.waitFor() != 0) throw new IOException("could not evict " + file + " from the page cache: " + out);
            }
        }

        static String describe(List<Path> files) {
            List<String> command = new ArrayList<>(List.of("fincore", "--bytes", "--noheadings", "--output", "RES,SIZE"));
            files.stream().filter(Files::isRegularFile).forEach(f -> command.add(f.toString()));
            try {
                Process fincore = new ProcessBuilder(command).redirectErrorStream(true).start();
                String out = new String(fincore.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (fincore.waitFor() != 0) return "unknown (fincore failed)";
                long cached = 0, size = 0;
                for (String line : out.strip().split("\n")) {
                    String[] cols = line.strip().split("\\s+");
                    cached += Long.parseLong(cols[0]);
                    size += Long.parseLong(cols[1]);
                }
                double share = size == 0 ? 0 : 100.0 * cached / size;
                return String.format("%.0f%% cached (%s)", share, share > 95 ? "warm" : share < 5 ? "cold" : "partly warm");
            } catch (IOException | RuntimeException | InterruptedException e) {
                return "unknown (no fincore: util-linux)";
            }
        }
    }
}

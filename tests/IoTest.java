//SOURCES ../scripts/io_comparison.java

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** File loading on small files the tests generate in a temporary folder with the project's own script. */
class IoTest {
    static Path data;

    /** Runs a top-level shell script of the project with DATA_DIR set; returns its exit code and output. */
    static TestSupport.Finished shell(Path dir, String script, String... args) throws Exception {
        List<String> command = TestSupport.concat(List.of("sh", TestSupport.repoRoot().resolve(script).toString()), List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(false);
        builder.environment().put("DATA_DIR", dir.toString());
        Process p = builder.start();
        String out = new String(p.getInputStream().readAllBytes());
        String err = new String(p.getErrorStream().readAllBytes());
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        return new TestSupport.Finished(p.exitValue(), out, err);
    }

    @BeforeAll
    static void generate() throws Exception {
        data = Files.createTempDirectory("io-data");
        assertEquals(0, shell(data, "generate_files.sh", "4", "1").exitCode());
    }

    /** Each io_ script's model, called in this JVM. */
    static FileModel model(String name) {
        return switch (name) {
            case "baseline" -> io_baseline::loadAll;
            case "serial" -> io_serial::loadAll;
            case "threads" -> io_threads::loadAll;
            case "virtual" -> io_virtual::loadAll;
            case "processes" -> files -> io_processes.loadAll(files, 2, usage -> { });
            case "completable" -> io_completable::loadAll;
            case "structured" -> io_structured::loadAll;
            default -> throw new IllegalArgumentException(name);
        };
    }

    static FileRun.IoReport run(String name, List<Path> files) throws Exception {
        return new FileRun().run(name, model(name), files);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"baseline", "serial", "threads", "virtual", "processes", "completable", "structured"})
    void everyModelReportsTheLengthOfEveryFileAsItsByteCount(String model) throws Exception {
        List<Path> files = FileRun.dataFiles(data);
        assertEquals(4, files.size());
        FileRun.IoReport report = run(model, files);
        assertEquals(files.stream().map(Path::toString).toList(), report.files().stream().map(FileRun.FileResult::file).toList());
        for (FileRun.FileResult f : report.files()) {
            assertEquals(null, f.error(), f.toString());
            assertEquals(Files.size(Path.of(f.file())), f.chars(), "base64 text: one character per byte");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"serial", "completable"})
    void multiByteCharactersAcrossChunkEdgesAreCountedOnce(String model) throws Exception {
        // ASCII (the fast path) up to one byte before a chunk edge, then 2-, 3- and 4-byte characters across it
        String text = "a".repeat(Utf8Counter.CHUNK - 1) + "é€😀" + "b".repeat(Utf8Counter.CHUNK) + "ü" + "c".repeat(37);
        Path dir = Files.createTempDirectory("io-utf8");
        Files.writeString(dir.resolve("mixed.txt"), text);
        FileRun.FileResult f = run(model, FileRun.dataFiles(dir)).files().getFirst();
        assertEquals(null, f.error());
        assertEquals(text.length(), f.chars(), "UTF-16 characters, as String.length() counts them");
        assertEquals(text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length, f.bytes());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"baseline", "serial", "threads", "virtual", "processes", "completable", "structured"})
    void aBadFileIsReportedAndTheOthersGoOn(String model) throws Exception {
        Path dir = Files.createTempDirectory("io-bad");
        Files.writeString(dir.resolve("good.txt"), "héllo");   // 5 characters, 6 bytes
        Files.write(dir.resolve("bad.txt"), new byte[] {'o', 'k', (byte) 0xff, (byte) 0xfe});
        Files.createDirectory(dir.resolve("folder.txt"));
        assertEquals(0, new ProcessBuilder("mkfifo", dir.resolve("fifo.txt").toString()).start().waitFor(), "mkfifo");
        List<Path> files = TestSupport.concat(FileRun.dataFiles(dir).stream().map(Path::toString).toList(),
                List.of(dir.resolve("vanished.txt").toString())).stream().map(Path::of).toList();
        FileRun.IoReport report = run(model, files);   // opening the FIFO would block for ever
        assertEquals(5, report.files().size(), "every file appears once");
        for (FileRun.FileResult f : report.files()) {
            String name = Path.of(f.file()).getFileName().toString();
            switch (name) {
                case "good.txt" -> assertEquals(model.equals("baseline") ? 6 : 5, f.chars(), "the baseline counts bytes: " + f);
                case "bad.txt" -> assertEquals(model.equals("baseline") ? null : "not valid UTF-8 at byte 2", f.error(), "the baseline does not decode");
                case "folder.txt" -> assertEquals("is a directory", f.error());
                case "fifo.txt" -> assertEquals("not a regular file (a FIFO, socket or device): skipped", f.error());
                case "vanished.txt" -> assertEquals("vanished: no such file any more", f.error());
                default -> throw new AssertionError(name);
            }
        }
    }

    @Test
    void aFileResultCrossesThePipeWholeAndAnythingElseIsRefused() {
        for (var result : List.of(new FileRun.FileResult("data/1.txt", 1_048_576, 1_048_570, 0.0125, null),
                new FileRun.FileResult("data/é \"odd\".txt", 0, 0, 0, "not valid UTF-8 at byte 7")))
        {
            assertEquals(result, FileRun.FileResult.fromJson(JsonParser.parseString(ChildJvm.JSON.toJson(result.toJson()))));
            assertEquals(result, FileRun.FileResult.fromJson(ChildJvm.JSON.toJsonTree(result)));   // the fields of the --json report
        }
        for (String notOne : List.of("[1]", "{\"file\":\"a\"}", "{\"file\":1,\"bytes\":1,\"chars\":1,\"seconds\":1,\"error\":null}"))
            assertThrows(JsonParseException.class, () -> FileRun.FileResult.fromJson(JsonParser.parseString(notOne)), notOne);
    }

    @Test
    void generationKeepsCompleteFilesAndRmRemovesOnlyWhatItMade() throws Exception {
        Path dir = Files.createTempDirectory("io-gen");
        assertEquals(0, shell(dir, "generate_files.sh", "3", "1").exitCode());
        assertEquals(List.of("0.80.txt", "0.90.txt", "1.txt"), FileRun.dataFiles(dir).stream().map(p -> p.getFileName().toString()).toList());
        assertEquals(1024 * 1024, Files.size(dir.resolve("1.txt")));
        assertTrue(Files.readString(dir.resolve("1.txt")).matches("[A-Za-z0-9+/]+"), "base64 text");
        var again = shell(dir, "generate_files.sh", "3", "1");
        assertTrue(again.stdout().contains("is complete") && !again.stdout().contains("writing"), again.stdout());
        Files.writeString(dir.resolve("mine.txt"), "not generated");
        assertEquals(0, shell(dir, "rm_files.sh").exitCode());
        assertEquals(List.of("mine.txt"), FileRun.dataFiles(dir).stream().map(p -> p.getFileName().toString()).toList());
        assertEquals(0, shell(dir, "rm_files.sh").exitCode(), "safe to run twice");
        assertTrue(Files.exists(dir.resolve("mine.txt")));
    }

    @Test
    void generationAndRemovalNeverTouchAFileTheyDidNotWrite() throws Exception {
        Path dir = Files.createTempDirectory("io-mine");
        Files.writeString(dir.resolve("1.txt"), "my own notes, named as a generated file would be");
        Files.write(dir.resolve("0.80.txt"), "a".repeat(839_680).getBytes());   // exactly the size generation would write
        var made = shell(dir, "generate_files.sh", "3", "1");
        assertEquals(0, made.exitCode(), made.stderr());
        assertTrue(made.stdout().contains("1.txt is not one this script wrote") && made.stdout().contains("0.80.txt is not one"), made.stdout());
        assertEquals(944_128, Files.size(dir.resolve("0.90.txt")), "the one free name is generated");
        Files.writeString(dir.resolve("0.90.txt"), "changed after generation: mine now");
        var removed = shell(dir, "rm_files.sh");
        assertEquals(0, removed.exitCode(), removed.stderr());
        assertEquals("my own notes, named as a generated file would be", Files.readString(dir.resolve("1.txt")));
        assertEquals("a".repeat(839_680), Files.readString(dir.resolve("0.80.txt")));
        assertEquals("changed after generation: mine now", Files.readString(dir.resolve("0.90.txt")));
        assertTrue(removed.stdout().contains("0.90.txt was changed since generate_files.sh wrote it"), removed.stdout());
    }

    @ParameterizedTest(name = "generate_files.sh {0}")
    @ValueSource(strings = {"99999999999999999999 1", "1 99999999999999999999", "10001 1", "1 1048577", "10000 1048576"})
    void aNumberTooBigForTheShellOrTheDiskIsOneLineAndNothingIsWritten(String args) throws Exception {
        Path dir = Files.createTempDirectory("io-big");
        var run = shell(dir, "generate_files.sh", args.split(" "));
        assertEquals(2, run.exitCode(), run.stdout());
        assertEquals(1, run.stderr().lines().count(), run.stderr());
        assertTrue(run.stderr().startsWith("usage:") || run.stderr().contains("MiB free: nothing written"), run.stderr());
        try (var left = Files.list(dir)) {
            assertEquals(List.of(), left.filter(f -> f.toString().endsWith(".txt")).toList());
        }
    }

    @ParameterizedTest(name = "generate_files.sh {0}")
    @ValueSource(strings = {"0 1", "abc", "3 -1", "2 x"})
    void generationRejectsBadArguments(String args) throws Exception {
        var run = shell(Files.createTempDirectory("io-args"), "generate_files.sh", args.split(" "));
        assertEquals(2, run.exitCode());
        assertTrue(run.stderr().startsWith("usage:"), run.stderr());
    }

    @Test
    void missingOrEmptyDataSaysToRunGenerateFiles() throws Exception {
        for (String folder : List.of("/no/such/folder", Files.createTempDirectory("io-empty").toString())) {
            for (String script : List.of("io_serial", "io_comparison")) {
                var run = TestSupport.runScript(script, "--data", folder);
                assertEquals(2, run.exitCode());
                assertTrue(run.stderr().contains("run ./generate_files.sh"), run.stderr());
            }
        }
        assertEquals(2, TestSupport.runScript("io_comparison", "--models", "gevent").exitCode());
    }

    @Test
    void comparisonShowsEveryModelBesideTheBaseline() throws Exception {
        var run = TestSupport.runScript("io_comparison", "--data", data.toString(), "--runs", "1", "--warmup", "0", "--format", "csv",
                "--models", "baseline,serial,virtual");
        assertEquals(0, run.exitCode(), run.stderr());
        List<String> lines = run.stdout().lines().toList();
        assertEquals("model,files,failed,median s,min-max s,x baseline,peak RSS MiB", lines.get(0));
        assertTrue(lines.get(1).startsWith("baseline,4,0,") && lines.get(1).contains(",1.00,"), lines.get(1));
        assertEquals(4, lines.size());
        assertTrue(run.stderr().contains("page cache before:"), run.stderr());
    }

    @Test
    void thePageCacheShareOfTinyFilesIsAtMost100Percent() throws Exception {
        Path dir = Files.createTempDirectory("io-tiny");
        Path tiny = Files.writeString(dir.resolve("tiny.txt"), "25 bytes of text, cached.");
        Files.readAllBytes(tiny);   // now in the page cache: one whole 4 KiB page for 25 bytes
        String share = PageCache.describe(List.of(tiny));
        assertTrue(share.equals("100% cached (warm)") || share.startsWith("unknown"), share);
    }
}

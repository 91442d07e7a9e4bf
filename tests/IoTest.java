import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
    static TestSupport.Run shell(Path dir, String script, String... args) throws Exception {
        List<String> command = TestSupport.concat(List.of("sh", TestSupport.repoRoot().resolve(script).toString()), List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(false);
        builder.environment().put("DATA_DIR", dir.toString());
        Process p = builder.start();
        String out = new String(p.getInputStream().readAllBytes());
        String err = new String(p.getErrorStream().readAllBytes());
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        return new TestSupport.Run(p.exitValue(), out, err);
    }

    @BeforeAll
    static void generate() throws Exception {
        data = Files.createTempDirectory("io-data");
        assertEquals(0, shell(data, "generate_files.sh", "4", "1").exitCode());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"baseline", "serial", "threads", "virtual", "processes", "completable", "structured"})
    void everyModelReportsTheLengthOfEveryFileAsItsByteCount(String model) throws Exception {
        List<Path> files = io.dataFiles(data);
        assertEquals(4, files.size());
        io.IoReport report = new io().runModel(model, files);
        assertEquals(files.stream().map(Path::toString).toList(), report.files().stream().map(io.FileResult::file).toList());
        for (io.FileResult f : report.files()) {
            assertEquals(null, f.error(), f.toString());
            assertEquals(Files.size(Path.of(f.file())), f.chars(), "base64 text: one character per byte");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"serial", "completable"})
    void multiByteCharactersAcrossChunkEdgesAreCountedOnce(String model) throws Exception {
        // ASCII (the fast path) up to one byte before a chunk edge, then 2-, 3- and 4-byte characters across it
        String text = "a".repeat(io.CHUNK - 1) + "é€😀" + "b".repeat(io.CHUNK) + "ü" + "c".repeat(37);
        Path dir = Files.createTempDirectory("io-utf8");
        Files.writeString(dir.resolve("mixed.txt"), text);
        io.FileResult f = new io().runModel(model, io.dataFiles(dir)).files().getFirst();
        assertEquals(null, f.error());
        assertEquals(text.length(), f.chars(), "UTF-16 characters, as String.length() counts them");
        assertEquals(text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length, f.bytes());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"serial", "threads", "virtual", "processes", "completable", "structured"})
    void aBadFileIsReportedAndTheOthersGoOn(String model) throws Exception {
        Path dir = Files.createTempDirectory("io-bad");
        Files.writeString(dir.resolve("good.txt"), "héllo");   // 5 characters, 6 bytes
        Files.write(dir.resolve("bad.txt"), new byte[] {'o', 'k', (byte) 0xff, (byte) 0xfe});
        Files.createDirectory(dir.resolve("folder.txt"));
        List<Path> files = TestSupport.concat(io.dataFiles(dir).stream().map(Path::toString).toList(),
                List.of(dir.resolve("vanished.txt").toString())).stream().map(Path::of).toList();
        io.IoReport report = new io().runModel(model, files);
        assertEquals(4, report.files().size(), "every file appears once");
        for (io.FileResult f : report.files()) {
            String name = Path.of(f.file()).getFileName().toString();
            switch (name) {
                case "good.txt" -> assertEquals(5, f.chars(), f.toString());
                case "bad.txt" -> assertEquals("not valid UTF-8 at byte 2", f.error());
                case "folder.txt" -> assertEquals("is a directory", f.error());
                case "vanished.txt" -> assertEquals("vanished: no such file any more", f.error());
                default -> throw new AssertionError(name);
            }
        }
    }

    @Test
    void generationKeepsCompleteFilesAndRmRemovesOnlyWhatItMade() throws Exception {
        Path dir = Files.createTempDirectory("io-gen");
        assertEquals(0, shell(dir, "generate_files.sh", "3", "1").exitCode());
        assertEquals(List.of("0.80.txt", "0.90.txt", "1.txt"), io.dataFiles(dir).stream().map(p -> p.getFileName().toString()).toList());
        assertEquals(1024 * 1024, Files.size(dir.resolve("1.txt")));
        assertTrue(Files.readString(dir.resolve("1.txt")).matches("[A-Za-z0-9+/]+"), "base64 text");
        var again = shell(dir, "generate_files.sh", "3", "1");
        assertTrue(again.stdout().contains("is complete") && !again.stdout().contains("writing"), again.stdout());
        Files.writeString(dir.resolve("mine.txt"), "not generated");
        assertEquals(0, shell(dir, "rm_files.sh").exitCode());
        assertEquals(List.of("mine.txt"), io.dataFiles(dir).stream().map(p -> p.getFileName().toString()).toList());
        assertEquals(0, shell(dir, "rm_files.sh").exitCode(), "safe to run twice");
        assertTrue(Files.exists(dir.resolve("mine.txt")));
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
            var run = TestSupport.runScript("io", "--data", folder, "--model", "serial");
            assertTrue(run.exitCode() != 0);
            assertTrue(run.stderr().contains("run ./generate_files.sh"), run.stderr());
        }
        assertEquals(2, TestSupport.runScript("io", "--model", "gevent").exitCode());
    }

    @Test
    void comparisonShowsEveryModelBesideTheBaseline() throws Exception {
        var run = TestSupport.runScript("io", "--data", data.toString(), "--runs", "1", "--warmup", "0", "--format", "csv",
                "--models", "baseline,serial,virtual");
        assertEquals(0, run.exitCode(), run.stderr());
        List<String> lines = run.stdout().lines().toList();
        assertEquals("model,files,failed,median s,min-max s,x baseline,peak RSS MiB", lines.get(0));
        assertTrue(lines.get(1).startsWith("baseline,4,0,") && lines.get(1).contains(",1.00,"), lines.get(1));
        assertEquals(4, lines.size());
        assertTrue(run.stderr().contains("page cache before:"), run.stderr());
    }
}

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The shape of the playground: every script builds and runs on its own; lib knows no script and no model. */
class LayoutTest {
    static Path scripts() {
        return TestSupport.repoRoot().resolve("scripts");
    }

    static List<String> scriptNames() throws Exception {
        try (Stream<Path> files = Files.list(scripts())) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".java")).sorted().toList();
        }
    }

    static List<Path> libFiles() throws Exception {
        try (Stream<Path> files = Files.walk(scripts().resolve("lib"))) {
            return files.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        }
    }

    /** Each script must build on its own with JBang: its //DEPS and //SOURCES are complete without the others. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("scriptNames")
    void everyScriptBuildsOnItsOwnWithJBang(String script) throws Exception {
        Path root = TestSupport.repoRoot();
        Process build = new ProcessBuilder(root.resolve("jbang").toString(), "build", "scripts/" + script)
                .directory(root.toFile()).redirectErrorStream(true).start();
        String out = new String(build.getInputStream().readAllBytes());
        assertTrue(build.waitFor(300, TimeUnit.SECONDS));
        assertEquals(0, build.exitValue(), out);
        assertTrue(Files.isExecutable(scripts().resolve(script)), script + " must be executable: the README runs ./scripts/" + script);
    }

    /** `jbang ws_virtual` (the catalog) must say what the script's own //DESCRIPTION says: nine had drifted. */
    @Test
    void theCatalogHasEveryScriptWithItsOwnDescription() throws Exception {
        var aliases = com.google.gson.JsonParser.parseString(Files.readString(TestSupport.repoRoot().resolve("jbang-catalog.json")))
                .getAsJsonObject().getAsJsonObject("aliases");
        for (String script : scriptNames()) {
            String name = script.replace(".java", "");
            assertTrue(aliases.has(name), "no alias for " + script);
            String description = Files.readAllLines(scripts().resolve(script)).stream().filter(l -> l.startsWith("//DESCRIPTION "))
                    .findFirst().orElseThrow(() -> new AssertionError(script + " has no //DESCRIPTION")).substring("//DESCRIPTION ".length());
            assertEquals(description, aliases.getAsJsonObject(name).get("description").getAsString(), script);
        }
    }

    @Test
    void libSourcesOnlyLibAndNamesNoScriptOrModel() throws Exception {
        Path lib = scripts().resolve("lib").toRealPath();
        Pattern scriptName = Pattern.compile("\\b(ws|cpu|io|pool)_[a-z]|site_sim|worker_pool|interleave|one_task|webscrape_comparison");
        Pattern modelTest = Pattern.compile("(model|name)\\.equals\\(\"");
        for (Path file : libFiles()) {
            for (String line : Files.readAllLines(file)) {
                if (line.startsWith("//SOURCES"))
                    for (String source : line.substring("//SOURCES".length()).strip().split("\\s+"))
                        assertTrue(file.getParent().resolve(source).normalize().toAbsolutePath().startsWith(lib),
                                file + " sources " + source + ", outside lib/");
                assertTrue(!scriptName.matcher(line).find(), file + " names a script: " + line);
                assertTrue(!modelTest.matcher(line).find(), file + " asks which model it is: " + line);
            }
        }
    }

    /** The way the README runs a script directly (./scripts/x.java) must work on a machine without JBang on the PATH. */
    @Test
    void aScriptRunsDirectlyFromAnyFolderWithoutJBangOnThePath() throws Exception {
        ProcessBuilder direct = new ProcessBuilder(scripts().resolve("cpu_serial.java").toString(), "--tasks", "1", "--scale", "1", "--json")
                .directory(Files.createTempDirectory("elsewhere").toFile());
        direct.environment().put("PATH", "/usr/bin:/bin");
        Process run = direct.start();
        String out = new String(run.getInputStream().readAllBytes());
        assertTrue(run.waitFor(300, TimeUnit.SECONDS));
        assertEquals(0, run.exitValue(), out + new String(run.getErrorStream().readAllBytes()));
        assertTrue(out.contains("\"model\":\"serial\""), out);
    }

    /** The wrapper uses an installed jbang, but never itself: the repo root on the PATH must not make it recurse. */
    @Test
    void theWrapperDoesNotCallItselfWhenTheRepoRootIsOnThePath() throws Exception {
        Path root = TestSupport.repoRoot();
        ProcessBuilder wrapper = new ProcessBuilder(root.resolve("jbang").toString(), "version").redirectErrorStream(true);
        wrapper.environment().put("PATH", root + ":/usr/bin:/bin");
        Process run = wrapper.start();
        String out = new String(run.getInputStream().readAllBytes());
        assertTrue(run.waitFor(120, TimeUnit.SECONDS), "the wrapper did not end: it calls itself");
        assertEquals(0, run.exitValue(), out);
        assertTrue(out.strip().matches("(?s).*\\d+\\.\\d+\\.\\d+.*"), out);
    }
}

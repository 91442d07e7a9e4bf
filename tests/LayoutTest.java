//SOURCES ../scripts/lib/run/Models.java

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The shape of the playground: every script builds and runs on its own; lib knows no script and never asks which model it is; one word per model. */
class LayoutTest {
    static Path scripts() {
        return TestSupport.repoRoot().resolve("scripts");
    }

    /** What a learner runs (the models and the drivers, in scripts/) and the instruments (scripts/lab/), as paths under scripts/. */
    static List<String> scriptNames() throws Exception {
        try (Stream<Path> top = Files.list(scripts()); Stream<Path> lab = Files.list(scripts().resolve("lab"))) {
            return Stream.concat(top, lab).filter(p -> p.toString().endsWith(".java"))
                    .map(p -> scripts().relativize(p).toString()).sorted().toList();
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

    /** `jbang ws_virtual` (the catalog) must run the script and say what its own //DESCRIPTION says. */
    @Test
    void theCatalogHasEveryScriptWithItsOwnDescription() throws Exception {
        var aliases = com.google.gson.JsonParser.parseString(Files.readString(TestSupport.repoRoot().resolve("jbang-catalog.json")))
                .getAsJsonObject().getAsJsonObject("aliases");
        for (String script : scriptNames()) {
            String name = Path.of(script).getFileName().toString().replace(".java", "");
            assertTrue(aliases.has(name), "no alias for " + script);
            assertEquals("scripts/" + script, aliases.getAsJsonObject(name).get("script-ref").getAsString(), name);
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

    /** Out of memory, every script's JVM ends at once with the JVM's one line, on stderr: --json's stdout stays JSON. */
    @Test
    void everyScriptExitsOnOutOfMemoryAndTheJvmSpeaksOnStderr() throws Exception {
        for (String script : scriptNames()) {
            String options = String.join(" ", Files.readAllLines(scripts().resolve(script)).stream()
                    .filter(l -> l.startsWith("//RUNTIME_OPTIONS ")).toList());
            assertTrue(options.contains("-XX:+ExitOnOutOfMemoryError") && options.contains("-XX:+DisplayVMOutputToStderr"),
                    script + "'s //RUNTIME_OPTIONS: " + options);
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

    /** Every key a script, a driver or the pool uses for a model is in the one vocabulary, and docs/design.md shows it whole. */
    @Test
    void everyModelKeyIsInTheVocabularyAndTheDesignPageShowsIt() throws Exception {
        Pattern measured = Pattern.compile("run\\.measure\\(\"([^\"]+)\"");
        Pattern listed = Pattern.compile("MODELS = List\\.of\\(([^)]*)\\)");
        Pattern poolModels = Pattern.compile("enum Model \\{([^}]*)}");
        List<String> used = new ArrayList<>();
        List<Path> files = new ArrayList<>(libFiles());
        for (String script : scriptNames()) files.add(scripts().resolve(script));
        for (Path file : files) {
            String text = Files.readString(file);
            for (Matcher m = measured.matcher(text); m.find(); ) used.add(m.group(1));
            for (Matcher m = listed.matcher(text); m.find(); )
                for (String key : m.group(1).split(",")) used.add(key.strip().replace("\"", ""));
            for (Matcher m = poolModels.matcher(text); m.find(); )
                for (String key : m.group(1).split(",")) used.add(key.strip());
            String name = file.getFileName().toString().replace(".java", "");
            if (file.getParent().equals(scripts()) && name.matches("(ws|cpu|io)_\\w+") && !name.matches(".*_(comparison|sweep)"))
                used.add(name.substring(name.indexOf('_') + 1).replace('_', '-'));
        }
        assertTrue(used.size() > 30, "the keys were found: " + used);
        for (String key : used) assertTrue(Models.NAMES.containsKey(key), "model key " + key + " is not in Models.NAMES " + Models.NAMES.keySet());

        Map<String, String> shown = new LinkedHashMap<>();
        Matcher row = Pattern.compile("(?m)^\\| `([^`]+)` \\| ([^|]+) \\|").matcher(section(TestSupport.repoRoot().resolve("docs/design.md"), "### Models"));
        while (row.find()) shown.put(row.group(1), row.group(2).strip());
        assertEquals(Models.NAMES, shown, "docs/design.md's table of models");
    }

    /** The text of a markdown file from a heading to the next heading of the same level. */
    static String section(Path file, String heading) throws Exception {
        String text = Files.readString(file);
        int start = text.indexOf("\n" + heading + "\n");
        assertTrue(start >= 0, file + " has no section " + heading);
        String level = heading.substring(0, heading.indexOf(' ') + 1);
        int end = text.indexOf("\n" + level, start + heading.length() + 1);
        return text.substring(start, end < 0 ? text.length() : end);
    }

    /** A user has no issue 13: nothing the project ships speaks of how it was made. Commit messages keep the history. */
    @Test
    void nothingInTheTreeSpeaksOfHowItWasMade() throws Exception {
        Pattern history = Pattern.compile("(?i)\\bissues? ?#?\\d+|\\bthe issue'?s?\\b|\\bthis stop\\b|\\bstop \\d+|\\bsessions?\\b"
                + "|\\bscratch\\b|\\bhad drifted\\b|\\bit used to\\b");
        // in prose, also the words of a lab notebook (code has its own "target" URIs and bodies "not kept")
        Pattern notebook = Pattern.compile("(?i)\\btried\\b|\\bnot kept\\b|\\btargets?\\b|\\bnot there yet\\b|\\bwhat changed since\\b");
        Path root = TestSupport.repoRoot();
        Process git = new ProcessBuilder("git", "ls-files").directory(root.toFile()).start();
        List<String> tracked = new String(git.getInputStream().readAllBytes()).lines().toList();
        assertTrue(git.waitFor(30, TimeUnit.SECONDS) && git.exitValue() == 0, "git ls-files");
        List<String> found = new ArrayList<>();
        for (String name : tracked) {
            if (!name.matches(".*\\.(java|md|sh|json)|jbang|url_list|\\.ci/run") || name.equals("tests/LayoutTest.java")) continue;
            List<String> lines = Files.readAllLines(root.resolve(name));
            for (int i = 0; i < lines.size(); i++)
                if (history.matcher(lines.get(i)).find() || name.endsWith(".md") && notebook.matcher(lines.get(i)).find())
                    found.add(name + ":" + (i + 1) + ": " + lines.get(i).strip());
        }
        assertEquals(List.of(), found, "history belongs in commit messages");
    }

    /** The defaults the docs quote are the scripts' own: each `--help` block in README.md and docs/ is what the script prints now. */
    @Test
    void everyHelpTheDocsShowIsWhatTheScriptPrints() throws Exception {
        Pattern block = Pattern.compile("(?s)```\\n\\$ \\./jbang scripts/(?:lab/)?(\\w+)\\.java --help\\n(.*?)```");
        Path root = TestSupport.repoRoot();
        List<Path> pages = new ArrayList<>(List.of(root.resolve("README.md")));
        try (Stream<Path> docs = Files.walk(root.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        int checked = 0;
        for (Path page : pages) {
            for (Matcher m = block.matcher(Files.readString(page)); m.find(); checked++) {
                var help = TestSupport.runScript(m.group(1), "--help");
                assertEquals(0, help.exitCode(), help.stderr());
                assertEquals(help.stdout(), m.group(2), root.relativize(page) + ": " + m.group(1) + " --help");
            }
        }
        assertTrue(checked >= 3, "the docs show the options of the web-scrape, CPU and file scripts: " + checked);
    }
}

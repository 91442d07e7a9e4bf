import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The AOT cache a worker child starts from (JDK 25: JEPs 483, 514, 515): the classes it loaded and linked, and
 * method profiles, from an earlier run of the same main class on the same classpath. One cache per (JDK,
 * classpath with each jar's size and time, main class, JVM flags) in ~/.cache/jvm-playground/aot: a changed
 * script or dependency is a new key, so a stale cache is never used (the newest 4 of a main class are kept). When there is none, the
 * first child of that kind records one (-XX:AOTMode=record) and, when it has exited, this JVM assembles the cache
 * (-XX:AOTMode=create) and renames it into place; the run says so, and the other children start without. An assembly
 * that fails is said in one line, and the next run records again.
 * A recording left by a run that was killed is removed by the next run. -Dplayground.aot=off starts every child
 * without one.
 */
final class AotCache {
    private static final Set<String> training = ConcurrentHashMap.newKeySet();
    /** Each cache this run has checked, once: "" when it is whole, else what is wrong with it. */
    private static final Map<String, String> checked = new ConcurrentHashMap<>();
    private static final Set<String> said = ConcurrentHashMap.newKeySet();
    private static final AtomicBoolean swept = new AtomicBoolean();
    /** A training child's recording, CACHE.PID.conf (PID: the JVM that started it), its assembly, .conf.aot, and what that said, .conf.log. */
    private static final Pattern RECORDING = Pattern.compile(".*\\.aot\\.(\\d{1,18})\\.conf(\\.aot|\\.aot\\.crc|\\.log)?");
    private static final int KEEP = 4;   // caches kept per main class (~20-30 MB each)

    private AotCache() {}

    /** Where the caches live: $XDG_CACHE_HOME or ~/.cache, then jvm-playground/aot. */
    static Path folder() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("jvm-playground").resolve("aot");
    }

    /** A child about to start: the flags that use its cache or train one, and what to do once it has exited. */
    record Plan(List<String> flags, Path configuration, Path cache, String mainClass, List<String> jvmFlags) {
        /**
         * After a training child exited by itself (its stdin closed): its recorded configuration is assembled into
         * the cache here, in a JVM whose output goes nowhere (a few seconds, once), then renamed into place.
         */
        void assemble() throws InterruptedException {
            if (configuration == null) return;
            Path assembling = Path.of(configuration + ".aot");
            Path output = Path.of(configuration + ".log");
            String failure = null;
            try {
                if (!Files.isRegularFile(configuration)) return;   // killed before it recorded anything
                List<String> command = new ArrayList<>(ChildJvm.command(mainClass, jvmFlags, List.of()));
                command.removeLast();   // no main class: the assembly reads the configuration, on the same classpath
                command.addAll(command.indexOf("-cp"), List.of("-XX:AOTMode=create", "-XX:AOTConfiguration=" + configuration,
                        "-XX:AOTCache=" + assembling));
                Process assembly = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
                if (!assembly.waitFor(120, TimeUnit.SECONDS)) {
                    assembly.destroyForcibly().waitFor();
                    failure = "its assembly took more than 120 s";
                } else if (assembly.exitValue() != 0 || !Files.isRegularFile(assembling)) {
                    failure = "its assembly ended with exit code " + assembly.exitValue() + lastLine(output);
                } else {
                    Files.writeString(sum(assembling), checksum(assembling));
                    Files.move(sum(assembling), sum(cache), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                    Files.move(assembling, cache, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                    keepNewest(mainClass, KEEP);
                }
            } catch (IOException e) {
                failure = e.toString();
            } finally {
                training.remove(cache.toString());
                deleteQuietly(configuration);
                deleteQuietly(assembling);
                deleteQuietly(sum(assembling));
                deleteQuietly(output);
            }
            // said once, by this run; nothing is left behind, so the next run that starts such a child records again
            if (failure != null)
                System.err.println("(the AOT cache for " + mainClass + " children was not made: " + failure + "; children start without it,"
                        + " and the next run tries again)");
        }

        private static String lastLine(Path output) {
            try (Stream<String> lines = Files.lines(output)) {
                return lines.filter(l -> !l.isBlank()).reduce((first, second) -> second).map(l -> ": " + l.strip()).orElse("");
            } catch (IOException | java.io.UncheckedIOException e) {
                return "";
            }
        }
    }

    static Plan plan(String mainClass, List<String> jvmFlags) {
        // warnings (a cache that cannot be mapped, say) go to stderr, not to the child's stdout, which is its answers
        List<String> quiet = List.of("-Xlog:disable", "-Xlog:all=warning,aot*=error:stderr");
        if ("off".equals(System.getProperty("playground.aot"))) return new Plan(List.of(), null, null, mainClass, jvmFlags);
        Path cache;
        try {
            Files.createDirectories(folder());
            if (swept.compareAndSet(false, true)) removeOrphanedRecordings();
            cache = file(mainClass, jvmFlags);
        } catch (IOException e) {
            return new Plan(List.of(), null, null, mainClass, jvmFlags);   // no cache folder: children start as they always did
        }
        if (Files.isRegularFile(cache)) {
            String damage = checked.computeIfAbsent(cache.toString(), path -> damage(cache));
            if (damage.isEmpty()) return new Plan(concat(quiet, "-XX:AOTCache=" + cache), null, cache, mainClass, jvmFlags);
            // a damaged cache crashes a JVM that maps it, or is refused and leaves every child slow: said once, made again
            if (said.add(cache.toString()))
                System.err.println("(the AOT cache " + cache + " " + damage + ": removed, and made again by the next child)");
            deleteQuietly(cache);
            deleteQuietly(sum(cache));
            checked.put(cache.toString(), "");   // the one this run makes next is its own
        }
        if (!training.add(cache.toString())) return new Plan(quiet, null, cache, mainClass, jvmFlags);   // another child trains it
        System.err.println("(no AOT cache yet for " + mainClass + " children on this classpath: the first one records what it loads,"
                + " and " + cache + " is made when it exits, a few seconds, once; later children start faster)");
        Path configuration = Path.of(cache + "." + ProcessHandle.current().pid() + ".conf");
        List<String> record = new ArrayList<>(quiet);
        // no "AOTConfiguration recorded: ..." from the JVM as it exits: this run has said so already
        record.addAll(List.of("-XX:+UnlockDiagnosticVMOptions", "-XX:-DisplayVMOutput"));
        record.addAll(List.of("-XX:AOTMode=record", "-XX:AOTConfiguration=" + configuration));
        return new Plan(record, configuration, cache, mainClass, jvmFlags);
    }

    /** Where the cache of this main class with these flags, on this JDK and classpath, lives. */
    static Path file(String mainClass, List<String> jvmFlags) throws IOException {
        return folder().resolve(mainClass + "-" + key(mainClass, jvmFlags) + ".aot");
    }

    /** A cache's checksum, CACHE.aot.crc, written when the cache was made. */
    static Path sum(Path cache) {
        return Path.of(cache + ".crc");
    }

    /** CRC-32C of the whole file (~25 MB: a few ms; the JVM itself checks no checksum when it maps a cache). */
    private static String checksum(Path file) throws IOException {
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        try (var in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 20];
            for (int n; (n = in.read(buffer)) > 0; ) crc.update(buffer, 0, n);
        }
        return Long.toHexString(crc.getValue()) + " " + Files.size(file) + "\n";
    }

    /** "" when the cache's checksum is the one written when it was made; else what is wrong, for the user. */
    private static String damage(Path cache) {
        try {
            if (!Files.isRegularFile(sum(cache))) return "has no checksum (an older version of the playground made it)";
            return checksum(cache).equals(Files.readString(sum(cache))) ? "" : "is damaged (its checksum is not the one it was made with)";
        } catch (IOException e) {
            return "cannot be read (" + e.getMessage() + ")";
        }
    }

    /** SHA-256 of what the cache depends on: the JDK, every classpath entry with its size and time, the flags. */
    private static String key(String mainClass, List<String> jvmFlags) throws IOException {
        StringBuilder what = new StringBuilder(System.getProperty("java.home")).append('\n')
                .append(System.getProperty("java.runtime.version")).append('\n').append(mainClass).append('\n')
                .append(jvmFlags).append('\n');
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            Path path = Path.of(entry);
            what.append(entry).append(' ');
            if (Files.exists(path)) what.append(Files.size(path)).append(' ').append(Files.getLastModifiedTime(path).toMillis());
            what.append('\n');
        }
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(what.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);   // every JDK has SHA-256
        }
    }

    /**
     * A run that was killed (Ctrl-C, kill -9) while a child of it recorded leaves that recording behind, 15-25 MB:
     * a recording whose JVM is gone is removed by the next run that starts a child.
     */
    private static void removeOrphanedRecordings() {
        try (Stream<Path> all = Files.list(folder())) {
            all.filter(p -> {
                Matcher m = RECORDING.matcher(p.getFileName().toString());
                return m.matches() && ProcessHandle.of(Long.parseLong(m.group(1))).isEmpty();
            }).forEach(AotCache::deleteQuietly);
        } catch (IOException | java.io.UncheckedIOException e) {
            // not swept this time: a leftover costs disk space, nothing else
        }
    }

    /** Caches of one main class beyond the newest {@code keep} are old classpaths (an edited script): removed. */
    private static void keepNewest(String mainClass, int keep) throws IOException {
        try (Stream<Path> all = Files.list(folder())) {
            all.filter(p -> p.getFileName().toString().startsWith(mainClass + "-") && p.toString().endsWith(".aot"))
                    .sorted(Comparator.comparing((Path p) -> p.toFile().lastModified()).reversed())
                    .skip(keep).forEach(old -> {
                        deleteQuietly(old);
                        deleteQuietly(sum(old));
                    });
        }
    }

    private static List<String> concat(List<String> flags, String flag) {
        return Stream.concat(flags.stream(), Stream.of(flag)).toList();
    }

    private static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            // a leftover in a cache folder hurts no one
        }
    }
}

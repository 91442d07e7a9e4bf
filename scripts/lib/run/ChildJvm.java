//DEPS com.google.code.gson:gson:2.13.2
//SOURCES JvmUsage.java AotCache.java

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonPrimitive;
import com.google.gson.Strictness;
import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * The one way this playground starts another JVM, and the one way the two talk.
 * <p>Started: this JVM's own java and classpath (plain java, no JBang and no second compile), always with
 * --enable-preview (so a class compiled for the StructuredTaskScope preview loads), -XX:+ExitOnOutOfMemoryError
 * (a JVM out of memory exits at once with one line instead of hanging), the JVM flags the caller
 * passes on, and {@code -Dplayground.parent=PID} so that the child ends when its parent does, however the
 * parent died. A parent that exits stops its children first (one shutdown hook).
 * <p>Spoken: one JSON value per line, both ways. A worker child reads a request per line and answers one line
 * each; when its stdin closes it sends its {@link Usage} and exits. A model the harness runs takes its
 * arguments and prints one JSON line, its report.
 */
final class ChildJvm implements AutoCloseable {
    // strict: a line of a child's that is not JSON (a bare word a library printed) is never read as a String answer
    static final Gson JSON = new GsonBuilder().serializeNulls().disableHtmlEscaping().setStrictness(Strictness.STRICT).create();
    private static final String PARENT = "playground.parent";
    private static final AtomicBoolean hookInstalled = new AtomicBoolean();

    /**
     * What a worker child used, its last line: CPU seconds and the kernel's high-water mark of its memory. Written and
     * read by hand, as every answer of a worker child is (a record's toJson and fromJson): Gson's reflection on a record
     * it has not met yet cost a fresh child 20-50 ms at its exit, inside the parent's clock (and a parent that had not
     * read one yet did the same); Gson's @JsonAdapter on the record instead, ~30 ms at its first answer (an annotation
     * is a dynamic proxy, its class made at run time).
     */
    record Usage(double cpuSeconds, double peakRssMiB) {
        JsonObject toJson() {
            JsonObject json = new JsonObject();
            json.addProperty("cpuSeconds", cpuSeconds);
            json.addProperty("peakRssMiB", peakRssMiB);
            return json;
        }

        static Usage fromJson(JsonElement line) {
            JsonObject json = object(line, "a child's usage");
            return new Usage(number(json, "cpuSeconds"), number(json, "peakRssMiB"));
        }
    }

    // ---- reading an answer written by hand (a record's own toJson and fromJson, not Gson's reflection) ----

    /** The line's object, or a JsonParseException saying it is not {@code what}. */
    static JsonObject object(JsonElement line, String what) {
        if (!line.isJsonObject()) throw new JsonParseException("not " + what + ": " + line);
        return line.getAsJsonObject();
    }

    static double number(JsonObject json, String name) {
        return primitive(json, name, true).getAsDouble();
    }

    static long whole(JsonObject json, String name) {
        return primitive(json, name, true).getAsLong();
    }

    /** A string field; null when the field is JSON's null. */
    static String text(JsonObject json, String name) {
        if (json.get(name) instanceof JsonNull) return null;
        return primitive(json, name, false).getAsString();
    }

    private static JsonPrimitive primitive(JsonObject json, String name, boolean number) {
        if (!(json.get(name) instanceof JsonPrimitive value) || value.isNumber() != number)
            throw new JsonParseException("no " + (number ? "number " : "string ") + name + " in " + json);
        return value;
    }

    private final Process process;
    private final AotCache.Plan aot;
    private final BufferedReader fromChild;
    private final Writer toChild;

    private ChildJvm(Process process, AotCache.Plan aot) {
        this.process = process;
        this.aot = aot;
        this.fromChild = process.inputReader(StandardCharsets.UTF_8);
        this.toChild = process.outputWriter(StandardCharsets.UTF_8);
    }

    static List<String> command(String mainClass, List<String> jvmFlags, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.add("--enable-preview");
        command.add("-XX:+ExitOnOutOfMemoryError");   // out of memory: exit at once with one line, never hang half-dead
        // stdout is the child's answers: the JVM's own output (-XX:+PrintCompilation, -Xlog, a JFR's "Started
        // recording") goes to stderr. Written in pieces from other threads, it cut into answers' lines and lost them.
        command.addAll(List.of("-XX:+DisplayVMOutputToStderr", "-Xlog:all=off:stdout", "-Xlog:all=warning:stderr"));
        command.add("--enable-native-access=ALL-UNNAMED");   // the progress bar's terminal library, without a warning
        command.add("-D" + PARENT + "=" + ProcessHandle.current().pid());
        command.addAll(jvmFlags);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
        command.addAll(args);
        return command;
    }

    /**
     * Starts a worker child, from its AOT cache when there is one (see {@link AotCache}); its stderr is this JVM's,
     * so a child's one-line complaint reaches the user.
     */
    static ChildJvm start(String mainClass, List<String> jvmFlags, List<String> args) throws IOException {
        stopChildrenOnExit();
        AotCache.Plan aot = AotCache.plan(mainClass, jvmFlags);
        List<String> flags = new ArrayList<>(jvmFlags);
        flags.addAll(aot.flags());
        return new ChildJvm(new ProcessBuilder(command(mainClass, flags, args)).redirectError(ProcessBuilder.Redirect.INHERIT).start(), aot);
    }

    long pid() {
        return process.pid();
    }

    ProcessHandle handle() {
        return process.toHandle();
    }

    /** Sends one request (a JSON line: a newline inside a task cannot break the format). */
    void send(Object request) throws IOException {
        toChild.write(JSON.toJson(request));
        toChild.write('\n');
        toChild.flush();
    }

    /**
     * The child's next answer, or null when the child is gone (its stdout closed). A line that is not one (a native
     * library's print, a JVM flag the caller gave that sends output to stdout after all) is passed on to stderr and
     * skipped, never taken for an answer (a worker would take the wrong answer, or none, and its pool would wait for ever).
     */
    <T> T receive(Class<T> type) throws IOException {
        return receive(json -> JSON.fromJson(json, type));
    }

    /** The same, read from its JSON by {@code reader}: a record's own fromJson, say. */
    <T> T receive(Function<JsonElement, T> reader) throws IOException {
        for (String line = fromChild.readLine(); line != null; line = fromChild.readLine()) {
            try {
                JsonElement json = JSON.fromJson(line, JsonElement.class);
                T answer = json == null ? null : reader.apply(json);
                if (answer != null) return answer;   // null: a blank line, or JSON's null
            } catch (JsonParseException e) {
                System.err.println("pid " + pid() + " printed: " + line);
            }
        }
        return null;
    }

    /** One request, one answer; null when the child died before answering. */
    <T> T ask(Object request, Class<T> answer) {
        return ask(request, json -> JSON.fromJson(json, answer));
    }

    /** The same, the answer read from its JSON by {@code reader}. */
    <T> T ask(Object request, Function<JsonElement, T> reader) {
        try {
            send(request);
            return receive(reader);
        } catch (IOException e) {
            return null;   // the pipe broke: the child is gone
        }
    }

    /** Waits for the child to end (after it died, or after finish) and returns its exit code. */
    int exitCode() throws InterruptedException {
        return process.waitFor();
    }

    void kill() {
        process.destroyForcibly();
    }

    /** Closes the child's stdin, reads its usage, waits for it to exit (5 s, then kills it). Null if it died. */
    Usage finish() throws InterruptedException {
        Usage usage = null;
        try {
            toChild.close();
            usage = receive(Usage::fromJson);
        } catch (IOException | RuntimeException e) {
            // gone already: no usage to report
        }
        if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
        else aot.assemble();   // a child that recorded what it loaded: its AOT cache is made now (see AotCache)
        return usage;
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) finish();
    }

    // ---- the child's side ----

    /**
     * A worker child's whole life: one request per stdin line, one answer per stdout line, until stdin closes;
     * then its usage, and exit code 0. Ends by itself if its parent dies while it works.
     */
    static <Q> int serve(Class<Q> requestType, Function<Q, ?> answer) throws IOException {
        exitWithParent();
        System.setOut(System.err);   // a library's print goes to stderr: stdout is the answers'
        // UTF-8 whatever the platform's encoding; one write and one flush per answer
        PrintStream out = new PrintStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out)), false, StandardCharsets.UTF_8);
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                out.println(JSON.toJson(answer.apply(JSON.fromJson(line, requestType))));
                out.flush();
            }
        }
        out.println(JSON.toJson(JvmUsage.childUsage().toJson()));
        out.flush();
        return 0;
    }

    /**
     * When this JVM was started by ChildJvm, ends it (shutdown hooks and all, so its own children are stopped
     * too) as soon as the parent is gone, SIGKILL included: the parent's pid is watched, not a pipe.
     */
    static void exitWithParent() {
        String parent = System.getProperty(PARENT);
        if (parent == null) return;
        var handle = ProcessHandle.of(Long.parseLong(parent));
        if (handle.isEmpty()) exitOrphaned();
        else exitWhenGone(handle.get());
    }

    /** Ends this JVM (exit code 143, hooks run) when {@code parent} ends, however it ended. */
    static void exitWhenGone(ProcessHandle parent) {
        parent.onExit().thenRun(ChildJvm::exitOrphaned);
    }

    private static void exitOrphaned() {
        System.err.println("pid " + ProcessHandle.current().pid() + ": parent process gone, exiting");
        Thread.ofPlatform().start(() -> System.exit(143));   // not on the watcher's thread: exit waits for the hooks
    }

    /** Once per JVM: on exit (normal, Ctrl-C, SIGTERM), stop every child and grandchild this JVM started. */
    static void stopChildrenOnExit() {
        if (!hookInstalled.compareAndSet(false, true)) return;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            List<ProcessHandle> all = ProcessHandle.current().descendants().toList();
            all.forEach(ProcessHandle::destroy);   // SIGTERM first: a child's own hooks stop its children
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            for (ProcessHandle p : all) {
                try {
                    p.onExit().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (Exception e) {
                    p.destroyForcibly();   // still there after 2 s, or we were interrupted: SIGKILL
                }
            }
        }));
    }

    // ---- the harness's side ----

    /**
     * Runs a child to its end within {@code limit} and parses its stdout's last line as one JSON object. A child
     * that fails, prints nothing, or outlives the limit (it and its children are killed) is an IOException
     * naming it, with its stderr.
     */
    static <T> T runToEnd(String name, List<String> command, Class<T> type, Duration limit) throws IOException, InterruptedException {
        stopChildrenOnExit();
        Path out = Files.createTempFile("child-jvm", ".out");
        Path errors = Files.createTempFile("child-jvm", ".err");
        try {
            Process child = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(errors.toFile()).start();
            child.getOutputStream().close();
            if (!child.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                child.descendants().forEach(ProcessHandle::destroyForcibly);
                child.destroyForcibly().waitFor();
                throw new IOException(name + " did not finish within " + limit.toSeconds() + " s: killed");
            }
            List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank()).toList();
            if (child.exitValue() != 0 || lines.isEmpty()) {   // its stderr says why; out of memory, the JVM says it on stdout
                String why = Files.readString(errors).strip();
                throw new IOException(name + " failed (exit code " + child.exitValue() + "): " + (why.isEmpty() && !lines.isEmpty() ? lines.getLast() : why));
            }
            return JSON.fromJson(lines.getLast(), type);
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(errors);
        }
    }
}

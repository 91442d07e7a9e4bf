///usr/bin/env "$(dirname "$0")/../jbang" "$0" "$@" ; exit $?
//JAVA 25
//PREVIEW
//RUNTIME_OPTIONS -XX:+ExitOnOutOfMemoryError -XX:+DisplayVMOutputToStderr
//DESCRIPTION One task, run and its result returned in each model Java has: Thread, virtual Thread, ExecutorService, CompletableFuture, StructuredTaskScope, a child Process.
//DEPS info.picocli:picocli:4.7.7
//SOURCES lib/cpu/CpuWork.java lib/run/ChildJvm.java

import java.io.IOException;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.StructuredTaskScope;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

// //JAVA 25 and //PREVIEW: StructuredTaskScope is a JDK 25 preview API that changes again in JDK 26.
@Command(name = "one_task", mixinStandardHelpOptions = true, version = "one_task 1.0",
        description = "Runs one task (count to --millions million) in every model and prints its result and what ran it.")
class one_task implements Callable<Integer> {
    @Option(names = "--millions", description = "Millions of steps of the task (default: ${DEFAULT-VALUE}).")
    int millions = 50;

    /** What one model returned, and who computed it. */
    record Answer(String model, long result, String ranBy) {}

    public static void main(String[] args) throws IOException {
        // a child parses no command line: picocli's model of this one costs ~0.2 s of a child's start
        if (args.length == 1 && args[0].equals("--child")) System.exit(ChildJvm.serve(Long.class, CpuWork::crunch));
        System.exit(new CommandLine(new one_task()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (millions < 1) {
            System.err.println("one_task: --millions must be at least 1, got " + millions);
            return CommandLine.ExitCode.USAGE;
        }
        for (Answer answer : runAll(millions))
            System.out.printf("%-22s result %016x  ran by %s%n", answer.model(), answer.result(), answer.ranBy());
        return CommandLine.ExitCode.OK;
    }

    static List<Answer> runAll(int millions) throws Exception {
        Callable<Answer> task = () -> new Answer(null, CpuWork.crunch((long) millions * CpuWork.STEPS_PER_MILLION), whoAmI());
        return List.of(
                named("Thread", platformThread(task)),
                named("virtual Thread", virtualThread(task)),
                named("ExecutorService", executor(task)),
                named("CompletableFuture", completable(task)),
                named("StructuredTaskScope", structured(task)),
                childProcess(millions));
    }

    // ---- each model: start the task, wait for it, take its result ----

    static Answer platformThread(Callable<Answer> task) throws InterruptedException {
        var result = new AtomicReference<Answer>();   // a Thread returns nothing: the result comes back through shared state
        Thread thread = Thread.ofPlatform().start(() -> result.set(call(task)));
        thread.join();
        return result.get();
    }

    static Answer virtualThread(Callable<Answer> task) throws InterruptedException {
        var result = new AtomicReference<Answer>();
        Thread thread = Thread.ofVirtual().start(() -> result.set(call(task)));
        thread.join();
        return result.get();
    }

    static Answer executor(Callable<Answer> task) throws Exception {
        try (ExecutorService executor = Executors.newSingleThreadExecutor()) {
            Future<Answer> future = executor.submit(task);
            return future.get();
        }
    }

    static Answer completable(Callable<Answer> task) {
        return CompletableFuture.supplyAsync(() -> call(task)).join();   // on the common ForkJoinPool
    }

    static Answer structured(Callable<Answer> task) throws InterruptedException {
        try (var scope = StructuredTaskScope.open()) {
            var subtask = scope.fork(task);
            scope.join();
            return subtask.get();
        }
    }

    static Answer childProcess(int millions) throws Exception {
        ChildJvm child = ChildJvm.start("one_task", List.of(), List.of("--child"));   // the task goes down a pipe, its result comes back up
        Long result = child.ask((long) millions * CpuWork.STEPS_PER_MILLION, Long.class);
        if (result == null) throw new IllegalStateException("child process " + child.pid() + " died (exit code " + child.exitCode() + ")");
        child.finish();
        return new Answer("child Process", result, "process " + child.pid() + " (this one is " + ProcessHandle.current().pid() + ")");
    }

    // ---- helpers ----

    static Answer named(String model, Answer answer) {
        return new Answer(model, answer.result(), answer.ranBy());
    }

    static String whoAmI() {
        return CpuWork.ranBy() + ", pid " + ProcessHandle.current().pid();
    }

    private static Answer call(Callable<Answer> task) {
        try {
            return task.call();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}

///usr/bin/env "$(dirname "$0")/../jbang" "$0" "$@" ; exit $?
//JAVA 25+
//RUNTIME_OPTIONS --enable-native-access=ALL-UNNAMED -XX:+ExitOnOutOfMemoryError -XX:+DisplayVMOutputToStderr
//DESCRIPTION How models interleave, measured: a 2 s CPU task, four sleeping I/O tasks and a poll every 0.5 s under platform threads, virtual threads on one carrier and on all, CompletableFuture and one event loop; then N sleeps one after another and at once.
//DEPS io.vertx:vertx-core:5.0.7
//SOURCES lib/cpu/CpuWork.java lib/run/FreshJvm.java lib/out/OutputOptions.java

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "interleave", mixinStandardHelpOptions = true, version = "interleave 1.0",
        description = {"One CPU-bound task (busy --cpu-seconds), four I/O tasks sleeping 0, 1, 2 and 3 s, and a poll",
                "every 0.5 s until they are done; then --sleepers tasks of 1 s, one after another and at once.",
                "Without --model: every model in its own fresh JVM, each event log, and what to notice.",
                "Models: threads, virtual-1, virtual, completable, eventloop, sleepers."})
class interleave implements Callable<Integer> {
    static final List<String> MODELS = List.of("threads", "virtual-1", "virtual", "completable", "eventloop", "sleepers");
    static final List<Integer> IO_SECONDS = List.of(0, 1, 2, 3);

    @Option(names = "--model", description = "Run one model in this JVM (virtual-1 needs -Djdk.virtualThreadScheduler.parallelism=1).")
    String model;
    @Option(names = "--cpu-seconds", description = "How long the CPU task computes (default: ${DEFAULT-VALUE}).")
    double cpuSeconds = 2;
    @Option(names = "--sleepers", description = "Tasks in the sequential-versus-concurrent demo (default: ${DEFAULT-VALUE}).")
    int sleepers = 5;
    @Mixin TimelineOption timeline = new TimelineOption();
    @Mixin JsonOption json = new JsonOption();

    /** Something that happened, in seconds from the start, and the thread it happened on. */
    record Event(double at, String task, String what, String thread) {}

    record Run(String model, double seconds, List<Event> events, int pollsWhileCpuRan) {}

    public static void main(String[] args) {
        System.exit(new CommandLine(new interleave()).setExecutionExceptionHandler(FreshJvm::oneLine).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        String problem = model != null && !MODELS.contains(model) ? "unknown model " + model + "; pick from " + MODELS
                : !(cpuSeconds > 0) ? "--cpu-seconds must be positive, got " + cpuSeconds
                : sleepers < 1 ? "--sleepers must be at least 1, got " + sleepers
                : "virtual-1".equals(model) && !"1".equals(System.getProperty("jdk.virtualThreadScheduler.parallelism"))
                ? "virtual-1 needs -Djdk.virtualThreadScheduler.parallelism=1 (run without --model to get its own JVM)"
                : timeline.problem();
        if (problem != null) {
            System.err.println("interleave: " + problem);
            return CommandLine.ExitCode.USAGE;
        }
        if (model == null) return everyModel();
        ChildJvm.exitWithParent();
        Run run = run(model);
        if (json.on) System.out.println(ChildJvm.JSON.toJson(run));
        else print(run);
        if (timeline.file != null) Charts.timeline(timeline.file, model + ": what ran when (thick: running, thin: waiting)", spans(run));
        return CommandLine.ExitCode.OK;
    }

    /** Every model in a fresh JVM (virtual-1 with one carrier), one after another. */
    int everyModel() throws Exception {
        List<FreshJvm.Job> jobs = new ArrayList<>();
        for (String m : MODELS) {
            List<String> args = new ArrayList<>(List.of("--model", m, "--json", "--cpu-seconds", String.valueOf(cpuSeconds),
                    "--sleepers", String.valueOf(sleepers)));
            if (timeline.file != null) args.addAll(List.of("--timeline", Charts.perModel(timeline.file, m).toString()));
            jobs.add(new FreshJvm.Job(m, "interleave",
                    m.equals("virtual-1") ? List.of("-Djdk.virtualThreadScheduler.parallelism=1") : List.of(), args));
        }
        // one run each: the event log is the result, not a time to average
        List<Run> runs = FreshJvm.compare(jobs, 0, 1, Duration.ofMinutes(5), Run.class, Run::seconds, () -> { })
                .stream().map(FreshJvm.Measured::last).toList();
        runs.forEach(interleave::print);
        System.out.println("model        seconds   polls while the CPU task ran");
        for (Run r : runs)
            System.out.printf("%-11s %8.2f   %s%n", r.model(), r.seconds(), r.model().equals("sleepers") ? "-" : String.valueOf(r.pollsWhileCpuRan()));
        if (timeline.file != null) System.out.println("timelines: " + MODELS.stream().map(m -> Charts.perModel(timeline.file, m).toString()).toList());
        return CommandLine.ExitCode.OK;
    }

    // ---- the tasks: the same three kinds in every model ----

    /** The event log every task writes to. */
    static final class Log {
        final long start = System.nanoTime();
        final List<Event> events = new ArrayList<>();

        synchronized void event(String task, String what) {
            events.add(new Event((System.nanoTime() - start) / 1e9, task, what, CpuWork.ranBy()));
        }

        synchronized List<Event> snapshot() {
            return List.copyOf(events);
        }
    }

    /** Computes for cpuSeconds of wall time and never blocks: it gives its thread back only when it is done. */
    static void cpuTask(Log log, double cpuSeconds) {
        log.event("cpu", "start");
        long end = System.nanoTime() + (long) (cpuSeconds * 1e9), x = CpuWork.crunch(0);
        while (System.nanoTime() < end) x = CpuWork.crunchFrom(x, CpuWork.STEPS_PER_MILLION);
        log.event("cpu", "finish " + Long.toHexString(x));
    }

    static void ioTask(Log log, int seconds) {
        log.event("io " + seconds + "s", "start");
        sleep(seconds * 1000L);
        log.event("io " + seconds + "s", "finish");
    }

    /** Every 0.5 s a poll, until the other tasks are done. */
    static void pollTask(Log log, CountDownLatch others) {
        log.event("poll", "start");
        try {
            while (!others.await(500, TimeUnit.MILLISECONDS)) log.event("poll", "poll");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        log.event("poll", "finish");
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- the models ----

    Run run(String model) throws Exception {
        // Vert.x starts before the clock (~0.4 s), as the other models' JVMs and pools do
        Vertx vertx = model.equals("eventloop") ? Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1)
                .setBlockedThreadCheckInterval(TimeUnit.HOURS.toMillis(1))) : null;
        Log log = new Log();
        switch (model) {
            case "threads" -> threads(log, Thread.ofPlatform());
            case "virtual", "virtual-1" -> threads(log, Thread.ofVirtual());
            case "completable" -> completable(log);
            case "eventloop" -> eventLoop(vertx, log);
            case "sleepers" -> sleepers(log);
            default -> throw new IllegalArgumentException(model);
        }
        List<Event> events = log.snapshot();
        double seconds = (System.nanoTime() - log.start) / 1e9;
        return new Run(model, seconds, events, pollsWhileCpuRan(events));
    }

    /** A thread per task. Platform threads are scheduled by the OS, which preempts; virtual threads by the JDK, which does not. */
    void threads(Log log, Thread.Builder builder) throws InterruptedException {
        CountDownLatch others = new CountDownLatch(1 + IO_SECONDS.size());
        List<Thread> threads = new ArrayList<>();
        threads.add(builder.name("cpu").start(() -> { cpuTask(log, cpuSeconds); others.countDown(); }));
        for (int s : IO_SECONDS) threads.add(builder.name("io-" + s).start(() -> { ioTask(log, s); others.countDown(); }));
        threads.add(builder.name("poll").start(() -> pollTask(log, others)));
        for (Thread t : threads) t.join();
    }

    /**
     * CompletableFuture the asyncio way: sleeps are timers (delayedExecutor), not blocked threads; the CPU task
     * and every callback run on CompletableFuture's default executor, the common ForkJoinPool (cores - 1 threads).
     */
    void completable(Log log) {
        List<CompletableFuture<Void>> tasks = new ArrayList<>();
        tasks.add(CompletableFuture.runAsync(() -> cpuTask(log, cpuSeconds)));
        for (int s : IO_SECONDS)
            tasks.add(CompletableFuture.runAsync(() -> log.event("io " + s + "s", "start"))
                    .thenRunAsync(() -> log.event("io " + s + "s", "finish"), CompletableFuture.delayedExecutor(s, TimeUnit.SECONDS)));
        CompletableFuture<Void> others = CompletableFuture.allOf(tasks.toArray(CompletableFuture[]::new));
        CompletableFuture<Void> polling = new CompletableFuture<>();
        log.event("poll", "start");
        pollLater(log, others, polling);
        polling.join();
    }

    static void pollLater(Log log, CompletableFuture<Void> others, CompletableFuture<Void> polling) {
        CompletableFuture.runAsync(() -> {
            if (others.isDone()) {
                log.event("poll", "finish");
                polling.complete(null);
            } else {
                log.event("poll", "poll");
                pollLater(log, others, polling);
            }
        }, CompletableFuture.delayedExecutor(500, TimeUnit.MILLISECONDS));
    }

    /**
     * One Vert.x event loop thread runs everything, asyncio's way: each task a callback queued on it in order, a
     * sleep a timer, the poll a periodic timer. Nothing preempts a callback, so the CPU task, queued first, holds
     * the loop for its whole run and every other callback waits behind it. (Vert.x's watchdog logs a warning with
     * a stack trace when a callback holds the loop over 2 s; it is switched off here: the event log says it.)
     */
    void eventLoop(Vertx vertx, Log log) throws InterruptedException {
        try {
            Context loop = vertx.getOrCreateContext();
            CountDownLatch pollDone = new CountDownLatch(1);
            int[] others = {1 + IO_SECONDS.size()};   // touched only on the loop's one thread: no lock, no atomic
            long[] poll = {-1};
            Runnable oneDone = () -> {
                if (--others[0] > 0 || poll[0] < 0) return;
                vertx.cancelTimer(poll[0]);
                log.event("poll", "finish");
                pollDone.countDown();
            };
            loop.runOnContext(v -> {
                cpuTask(log, cpuSeconds);
                oneDone.run();
            });
            for (int s : IO_SECONDS)
                loop.runOnContext(v -> {
                    log.event("io " + s + "s", "start");
                    vertx.setTimer(Math.max(1, s * 1000L), timer -> {   // a timer's delay is 1 ms at least
                        log.event("io " + s + "s", "finish");
                        oneDone.run();
                    });
                });
            loop.runOnContext(v -> {
                log.event("poll", "start");
                poll[0] = vertx.setPeriodic(500, timer -> log.event("poll", "poll"));
                if (others[0] == 0) {   // everything ended before the poll began
                    others[0]++;
                    oneDone.run();
                }
            });
            pollDone.await();
        } finally {
            vertx.close().await();
        }
    }

    /** N tasks that each sleep 1 s: one after another (N s), then a virtual thread each (1 s). */
    void sleepers(Log log) throws InterruptedException {
        for (int i = 1; i <= sleepers; i++) {
            log.event("sequential " + i, "start");
            sleep(1000);
            log.event("sequential " + i, "finish");
        }
        List<Thread> threads = IntStream.rangeClosed(1, sleepers).mapToObj(i -> Thread.ofVirtual().start(() -> {
            log.event("concurrent " + i, "start");
            sleep(1000);
            log.event("concurrent " + i, "finish");
        })).toList();
        for (Thread t : threads) t.join();
    }

    // ---- reading the log ----

    /** Polls logged strictly between the CPU task's start and finish. */
    static int pollsWhileCpuRan(List<Event> events) {
        Event start = events.stream().filter(e -> e.task().equals("cpu") && e.what().equals("start")).findFirst().orElse(null);
        Event end = events.stream().filter(e -> e.task().equals("cpu") && e.what().startsWith("finish")).findFirst().orElse(null);
        if (start == null || end == null) return 0;
        return (int) events.stream().filter(e -> e.what().equals("poll") && e.at() > start.at() && e.at() < end.at()).count();
    }

    static void print(Run run) {
        System.out.printf("== %s ==%n", run.model());
        for (Event e : run.events())
            System.out.printf("+%.2fs %-13s %-24s [%s]%n", e.at(), e.task(), e.what(), e.thread());
        System.out.printf("took %.2f s. %s%n%n", run.seconds(), notice(run));
    }

    /** What the reader should notice, with this run's numbers. */
    static String notice(Run run) {
        int polls = run.pollsWhileCpuRan();
        return switch (run.model()) {
            case "threads" -> polls + " polls while the CPU task ran: the OS preempts threads, so the poll keeps its 0.5 s beat beside the CPU work.";
            case "virtual-1" -> polls + " polls while the CPU task ran: one carrier and no preemption, like an event loop; "
                    + "the CPU task never blocks, so the poll and the 1 s sleeper wait until it finishes.";
            case "virtual" -> polls + " polls while the CPU task ran: the CPU task holds one carrier, the other tasks share the rest.";
            case "completable" -> polls + " polls while the CPU task ran: sleeps are timers, but every callback runs on the "
                    + "common pool (the threads in brackets: cores - 1 of them); while the CPU task holds a pool thread, "
                    + "callbacks that need it wait, an event loop blocked by CPU work.";
            case "eventloop" -> polls + " polls while the CPU task ran: one thread runs every callback, and the CPU task, queued "
                    + "first, keeps it until it is done: the poll's timer and the sleepers' timers fire only after (virtual-1 in "
                    + "another form; but a Thread.sleep in a callback would freeze this loop, where it unmounts a virtual thread).";
            default -> String.format("One after another the sleeps add up (%.2f s); at once they overlap (%.2f s).",
                    span(run.events(), "sequential"), span(run.events(), "concurrent"));
        };
    }

    /** Seconds from the first to the last event of the tasks whose name starts with prefix. */
    static double span(List<Event> events, String prefix) {
        var times = events.stream().filter(e -> e.task().startsWith(prefix)).mapToDouble(Event::at).summaryStatistics();
        return times.getMax() - times.getMin();
    }

    /** The log as timeline spans: the CPU task runs, sleepers and I/O tasks wait, the poll wakes for a moment each time. */
    static List<Charts.Span> spans(Run run) {
        List<Charts.Span> spans = new ArrayList<>();
        List<String> tasks = run.events().stream().map(Event::task).distinct().toList();
        for (String task : tasks) {
            List<Event> mine = run.events().stream().filter(e -> e.task().equals(task)).toList();
            double start = mine.getFirst().at(), end = mine.getLast().at();
            if (task.equals("cpu")) {
                spans.add(new Charts.Span(task, start, end, true));
            } else {
                spans.add(new Charts.Span(task, start, end, false));
                Stream.of(mine.getFirst(), mine.getLast()).distinct().forEach(e -> spans.add(new Charts.Span(task, e.at(), e.at() + 0.03, true)));
                mine.stream().filter(e -> e.what().equals("poll")).forEach(e -> spans.add(new Charts.Span(task, e.at(), e.at() + 0.03, true)));
            }
        }
        return spans;
    }
}

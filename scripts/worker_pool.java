///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 25+
//DESCRIPTION A long-running pool of N workers (platform threads, virtual threads or child JVMs) fed by a bounded queue; tasks come from arguments, a file or stdin while it runs.
//DEPS info.picocli:picocli:4.7.7
//DEPS com.google.code.gson:gson:2.13.2
//SOURCES lib/Scraper.java lib/CpuWork.java lib/ChildJvm.java lib/Comparison.java

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "worker_pool", mixinStandardHelpOptions = true, version = "worker_pool 1.0",
        description = {"Starts --workers workers that take tasks from a bounded queue and stay alive between them.",
                "Tasks: a URL (http:// or https://) is fetched; 'cpu N' crunches N million steps.",
                "They come from the arguments, then --tasks FILE, else stdin (one per line, typed while it runs).",
                "Lines 'stats' (per-worker counts and busy time) and 'shutdown' (finish the queue, stop) control it.",
                "EOF or 'shutdown' drains the queue; Ctrl-C or --drain=false cancels what has not finished.",
                "--bench N: throughput and latency of N tiny tasks for every kind, each in a fresh JVM."})
class worker_pool implements Callable<Integer> {
    enum Kind { platform, virtual, process }

    @Option(names = "--workers", description = "Workers in the pool (default: ${DEFAULT-VALUE}).")
    int workers = 3;
    @Option(names = "--kind", description = "platform, virtual or process (default: ${DEFAULT-VALUE}).")
    Kind kind = Kind.platform;
    @Option(names = "--queue", description = "Tasks the queue holds; a producer waits when it is full (default: ${DEFAULT-VALUE}).")
    int queueSize = 10;
    @Option(names = "--tasks", paramLabel = "FILE", description = "Read tasks from this file ('-' = stdin).")
    Path taskFile;
    @Parameters(paramLabel = "TASK", description = "Tasks, e.g. https://example.com 'cpu 5'.")
    List<String> taskArgs = List.of();
    @Option(names = "--stats", description = "Print per-worker statistics at the end.")
    boolean stats;
    @Option(names = "--drain", arity = "0..1", fallbackValue = "true", paramLabel = "true|false",
            description = "At the end, finish queued tasks (true, the default) or cancel them (false).")
    boolean drain = true;
    @Option(names = "--timeout", description = "Seconds a URL may take (default: ${DEFAULT-VALUE}).")
    double timeoutSeconds = 10;
    @Option(names = "--timeline", paramLabel = "FILE", description = "At the end, draw which worker ran which task when: FILE.png or FILE.svg.")
    Path timeline;
    @Option(names = "--json", description = "Each result, and the statistics, as one JSON line.")
    boolean json;
    @Option(names = "--bench", paramLabel = "N", description = "Benchmark: N tiny tasks ('cpu 0') per kind, each kind in a fresh JVM.")
    int bench;
    @Option(names = "--runs", description = "With --bench: fresh JVMs per kind; the medians are shown (default: ${DEFAULT-VALUE}).")
    int runs = 3;
    @Option(names = "--bench-run", hidden = true, description = "One benchmark run of N tasks in this JVM, as JSON.")
    int benchRun;
    @Option(names = "--worker", hidden = true, description = "Be a process worker: a task per stdin line, a JSON answer per stdout line.")
    boolean childWorker;

    static final Gson JSON = new GsonBuilder().disableHtmlEscaping().create();   // quotes stay quotes
    static final String HELP = "expected a URL (http:// or https://), 'cpu N', 'stats' or 'shutdown'";

    /** A task waiting in the queue; submitted is System.nanoTime() when it was given to the pool. */
    record Task(long id, String text, long submitted) {}

    /**
     * One task's one result. worker 0 means no worker saw it (the line was not a task, or it was cancelled in
     * the queue). startedAt: seconds from the pool's start to when the worker took the task; seconds: how long
     * it ran; latency: from submit to this result.
     */
    record Result(long task, String text, int worker, String by, String outcome, String detail, double startedAt,
                  double seconds, double latency) {}

    /** What a worker did: its identity (thread or pid), tasks run, how many failed, seconds busy and alive. */
    record WorkerStats(int worker, String by, long tasks, long failed, double busySeconds, double aliveSeconds, int replaced) {}

    /** The outcome of running one task's text: what a process worker sends back on one line. */
    record Outcome(String outcome, String detail) {}

    public static void main(String[] args) {
        System.exit(new CommandLine(new worker_pool()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (workers < 1 || queueSize < 1 || timeoutSeconds <= 0 || bench < 0 || benchRun < 0 || runs < 1) {
            System.err.println("worker_pool: --workers and --queue must be at least 1, --timeout positive, --bench at least 0, --runs at least 1");
            return CommandLine.ExitCode.USAGE;
        }
        Duration timeout = Duration.ofMillis((long) (timeoutSeconds * 1000));
        if (childWorker) return childLoop(timeout);
        if (bench > 0) return benchmark();
        if (benchRun > 0) {
            System.out.println(JSON.toJson(benchRun(kind, workers, queueSize, benchRun, timeout)));
            return CommandLine.ExitCode.OK;
        }
        String problem = Comparison.chartFileProblem(timeline, "--timeline");
        if (problem != null) {
            System.err.println("worker_pool: " + problem);
            return CommandLine.ExitCode.USAGE;
        }
        PrintStream out = System.out;
        List<Result> ran = new ArrayList<>();   // for --timeline; the pool emits one result at a time
        Consumer<Result> print = r -> {
            out.println(json ? JSON.toJson(r) : describe(r));
            if (timeline != null && r.worker() > 0) ran.add(r);
        };
        try (Pool pool = new Pool(kind, workers, queueSize, timeout, print)) {
            AtomicBoolean finished = new AtomicBoolean();
            Thread ctrlC = new Thread(() -> {   // Ctrl-C: cancel what is left, every task still gets its result
                if (!finished.compareAndSet(false, true)) return;
                pool.cancel();
                summary(pool);
            });
            Runtime.getRuntime().addShutdownHook(ctrlC);
            long read = feed(pool);
            if (read == 0) System.err.println("worker_pool: no tasks: " + (taskArgs.isEmpty() && taskFile == null ? "stdin was empty" : "nothing to do"));
            if (drain) pool.shutdown(); else pool.cancel();
            if (!finished.compareAndSet(false, true)) return 130;   // the hook has it
            if (stats) printStats(pool.stats());
            summary(pool);
            Runtime.getRuntime().removeShutdownHook(ctrlC);
            if (timeline != null) System.err.println(drawTimeline(ran));
        }
        return CommandLine.ExitCode.OK;
    }

    /** Gives the pool every line from the arguments, the file and stdin, in that order. Returns tasks given. */
    long feed(Pool pool) throws IOException, InterruptedException {
        long given = 0;
        for (String line : taskArgs) {
            if (!line(pool, line)) return given;
            given++;
        }
        boolean stdin = taskFile != null ? taskFile.toString().equals("-") : taskArgs.isEmpty();
        if (taskFile != null && !stdin && !Files.isReadable(taskFile)) {
            System.err.println("worker_pool: cannot read --tasks " + taskFile + ": skipped");
            return given;
        }
        if (taskFile == null && !stdin) return given;
        try (BufferedReader lines = stdin ? new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))
                : Files.newBufferedReader(taskFile)) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.isBlank() || line.strip().startsWith("#")) continue;
                if (!line(pool, line)) break;
                given++;
            }
        }
        return given;
    }

    /** One line: a control word or a task. False when it says to stop reading. */
    boolean line(Pool pool, String line) throws InterruptedException {
        switch (line.strip()) {
            case "shutdown" -> { return false; }
            case "stats" -> printStats(pool.stats());
            default -> pool.submit(line.strip());
        }
        return true;
    }

    void printStats(List<WorkerStats> all) {
        if (json) {
            System.out.println(JSON.toJson(java.util.Map.of("stats", all)));
            return;
        }
        System.out.println("worker  identity             tasks  failed  busy s  alive s  busy %  replaced");
        for (WorkerStats w : all)
            System.out.printf("%6d  %-19s %6d  %6d  %6.2f  %7.2f  %5.0f%%  %8d%n", w.worker(), w.by(), w.tasks(), w.failed(),
                    w.busySeconds(), w.aliveSeconds(), 100 * w.busySeconds() / Math.max(w.aliveSeconds(), 1e-9), w.replaced());
    }

    void summary(Pool pool) {
        long[] n = pool.counts();
        (json ? System.err : System.out).printf("%d tasks: %d done, %d failed, %d cancelled; %d %s workers, pool alive %.2f s%n",
                n[0] + n[1] + n[2], n[0], n[1], n[2], workers, kind, pool.aliveSeconds());
    }

    /** One lane per worker (a replaced process worker's new child gets a lane of its own), a bar per task it ran. */
    static List<Comparison.Span> spans(List<Result> results) {
        return results.stream().filter(r -> r.worker() > 0).sorted(java.util.Comparator.comparingDouble(Result::startedAt))
                .map(r -> new Comparison.Span("worker " + r.worker() + " (" + r.by() + ")", r.startedAt(), r.startedAt() + r.seconds(), true))
                .toList();
    }

    String drawTimeline(List<Result> results) throws IOException {
        List<Comparison.Span> spans = spans(results);
        List<String> lanes = Comparison.timeline(timeline, workers + " " + kind + " workers, queue " + queueSize + ": which worker ran which task when", spans);
        return String.format("timeline written to %s: %d tasks on %d lane(s)", timeline, spans.size(), lanes.size());
    }

    static String describe(Result r) {
        return String.format("%-11s %-9s #%-4d %-40s %s%s", r.worker() == 0 ? "-" : "worker " + r.worker(), r.outcome(), r.task(),
                r.text().length() > 40 ? r.text().substring(0, 37) + "..." : r.text(), r.detail(),
                r.worker() == 0 ? "" : String.format(" (%.3f s, %s)", r.seconds(), r.by()));
    }

    // ---- the tasks themselves: the same code in a thread worker and in a child JVM ----

    /** Null when the line is a task; otherwise why it is not. */
    static String problem(String text) {
        if (text.startsWith("http://") || text.startsWith("https://")) return null;
        String[] words = text.split("\\s+");
        if (!words[0].equals("cpu")) return "not a task: '" + text + "': " + HELP;
        if (words.length != 2) return "not a task: '" + text + "': 'cpu N' takes one whole number N >= 0";
        try {
            if (Long.parseLong(words[1]) >= 0) return null;
        } catch (NumberFormatException e) {
            // falls through
        }
        return "not a task: '" + text + "': N in 'cpu N' must be a whole number >= 0, got " + words[1];
    }

    /** Runs a task in this thread; an interrupt cancels it (CPU work checks between slices of a million steps). */
    static Outcome run(String text, Scraper scraper) {
        if (text.startsWith("cpu")) {
            long millions = Long.parseLong(text.split("\\s+")[1]);
            long x = CpuWork.crunch(0);
            for (long i = 0; i < millions; i++) {
                if (Thread.currentThread().isInterrupted()) return new Outcome("cancelled", "cancelled after " + i + " million steps");
                x = CpuWork.crunchFrom(x, CpuWork.STEPS_PER_MILLION);
            }
            return new Outcome("done", String.format("crunched %,d million steps: %016x", millions, x));
        }
        SiteResult page = scraper.download(text);
        if (Thread.currentThread().isInterrupted()) return new Outcome("cancelled", "cancelled while downloading");
        return page.ok() ? new Outcome("done", String.format("HTTP %d, %,d bytes", page.status(), page.bytes()))
                : new Outcome("failed", page.error());
    }

    /** A process worker's whole life: read a task, answer one JSON line, until stdin closes. */
    static int childLoop(Duration timeout) throws IOException {
        try (Scraper scraper = new Scraper(timeout, 5L << 20);
             BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                System.out.println(JSON.toJson(run(line, scraper)));
                System.out.flush();
            }
        }
        return CommandLine.ExitCode.OK;
    }

    // ---- the pool ----

    /**
     * N workers and one bounded queue. A thread worker is one platform or virtual thread that takes a task,
     * runs it, and takes the next; a process worker is one platform thread here driving one child JVM over
     * its stdin and stdout. Workers live until shutdown() or cancel(); a child JVM that dies is replaced.
     */
    static final class Pool implements AutoCloseable {
        static final Task STOP = new Task(-1, "stop", 0);
        final Kind kind;
        final BlockingQueue<Task> queue;
        final List<Worker> workers = new ArrayList<>();
        final Consumer<Result> sink;
        final Scraper scraper;
        final Duration timeout;
        final AtomicLong ids = new AtomicLong();
        final AtomicLong done = new AtomicLong(), failed = new AtomicLong(), cancelled = new AtomicLong();
        final long started = System.nanoTime();
        volatile long ended;
        volatile boolean cancelling;

        Pool(Kind kind, int size, int queueSize, Duration timeout, Consumer<Result> sink) throws IOException {
            this.kind = kind;
            this.queue = new ArrayBlockingQueue<>(queueSize);
            this.sink = sink;
            this.timeout = timeout;
            this.scraper = kind == Kind.process ? null : new Scraper(timeout, 5L << 20);   // children have their own
            for (int i = 1; i <= size; i++) workers.add(new Worker(i));
            for (Worker w : workers) w.start();
        }

        /** Queues a task, waiting while the queue is full; a line that is no task gets its failed result now. */
        void submit(String text) throws InterruptedException {
            Task task = new Task(ids.incrementAndGet(), text, System.nanoTime());
            String problem = problem(text);
            if (problem != null) {
                emit(new Result(task.id(), text, 0, "-", "failed", problem, 0, 0, 0));
            } else if (cancelling) {
                emit(cancelledResult(task));
            } else {
                queue.put(task);
                if (cancelling && queue.remove(task)) emit(cancelledResult(task));   // cancel() raced the put
            }
        }

        /** Finishes every queued task, then stops the workers (a STOP behind the last task for each). */
        void shutdown() throws InterruptedException {
            for (int i = 0; i < workers.size(); i++) queue.put(STOP);
            for (Worker w : workers) w.thread.join();
            ended = System.nanoTime();
        }

        /** Cancels what is queued and what is running; returns when every worker has stopped. */
        synchronized void cancel() {
            cancelling = true;
            for (Worker w : workers) w.stop();
            for (Worker w : workers) {
                try {
                    w.thread.join(TimeUnit.SECONDS.toMillis(10));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            List<Task> left = new ArrayList<>();
            queue.drainTo(left);
            left.stream().filter(t -> t != STOP).forEach(t -> emit(cancelledResult(t)));
            if (ended == 0) ended = System.nanoTime();
        }

        @Override
        public void close() {
            if (ended == 0) cancel();
            if (scraper != null) scraper.close();
        }

        Result cancelledResult(Task t) {
            return new Result(t.id(), t.text(), 0, "-", "cancelled", "cancelled before it started", 0, 0, seconds(t.submitted()));
        }

        void emit(Result r) {
            (switch (r.outcome()) { case "done" -> done; case "failed" -> failed; default -> cancelled; }).incrementAndGet();
            synchronized (sink) {
                sink.accept(r);
            }
        }

        long[] counts() {
            return new long[] {done.get(), failed.get(), cancelled.get()};
        }

        double aliveSeconds() {
            return ((ended == 0 ? System.nanoTime() : ended) - started) / 1e9;
        }

        List<WorkerStats> stats() {
            return workers.stream().map(Worker::stats).toList();
        }

        /** Every worker's thread. */
        List<Thread> threads() {
            return workers.stream().map(w -> w.thread).toList();
        }

        /** Every child JVM the process workers ever started, replacements included. */
        List<ProcessHandle> children() {
            return workers.stream().flatMap(w -> w.everyChild.stream()).toList();
        }

        /** One worker: a thread that loops take-run-emit; a process worker also owns a child JVM. */
        final class Worker {
            final int id;
            final Thread thread;
            final long born = System.nanoTime();
            final List<ProcessHandle> everyChild = new CopyOnWriteArrayList<>();
            volatile Process child;
            volatile BufferedReader childOut;
            volatile Writer childIn;
            volatile long tasks, failures, busyNanos;
            volatile int replaced;

            Worker(int id) throws IOException {
                this.id = id;
                Runnable loop = this::loop;
                this.thread = (kind == Kind.virtual ? Thread.ofVirtual() : Thread.ofPlatform())
                        .name("worker-" + id).unstarted(loop);
                if (kind == Kind.process) startChild();
            }

            void start() {
                thread.start();
            }

            String by() {
                return switch (kind) {
                    case platform -> "platform #" + thread.threadId();
                    case virtual -> "virtual #" + thread.threadId();
                    case process -> "pid " + child.pid();
                };
            }

            void startChild() throws IOException {
                child = new ProcessBuilder(ChildJvm.command("worker_pool",
                        List.of("--worker", "--timeout", String.valueOf(timeout.toMillis() / 1000.0))))
                        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
                everyChild.add(child.toHandle());
                childOut = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
                childIn = new java.io.OutputStreamWriter(child.getOutputStream(), StandardCharsets.UTF_8);
            }

            void loop() {
                try {
                    while (!cancelling) {
                        Task task = queue.take();
                        if (task == STOP) break;
                        if (cancelling) {
                            emit(cancelledResult(task));
                            break;
                        }
                        long start = System.nanoTime();
                        String by = by();
                        Outcome outcome = kind == Kind.process ? runInChild(task) : run(task.text(), scraper);
                        if (cancelling && !outcome.outcome().equals("done")) outcome = new Outcome("cancelled", outcome.detail());
                        long busy = System.nanoTime() - start;
                        busyNanos += busy;
                        tasks++;
                        if (!outcome.outcome().equals("done")) failures++;
                        emit(new Result(task.id(), task.text(), id, by, outcome.outcome(), outcome.detail(), (start - started) / 1e9,
                                busy / 1e9, seconds(task.submitted())));
                    }
                } catch (InterruptedException e) {
                    // cancelled while idle: nothing was running
                } finally {
                    if (child != null) endChild();
                }
            }

            /** Sends the task to the child JVM and waits for its one-line answer; a dead child is replaced. */
            Outcome runInChild(Task task) {
                try {
                    childIn.write(task.text() + "\n");
                    childIn.flush();
                    String answer = childOut.readLine();
                    if (answer != null) return JSON.fromJson(answer, Outcome.class);
                } catch (IOException e) {
                    // the child is gone: below
                }
                long pid = child.pid();
                int exit;
                try {
                    exit = child.waitFor();
                } catch (InterruptedException e) {
                    child.destroyForcibly();
                    return new Outcome("cancelled", "cancelled while worker process " + pid + " ran it");
                }
                if (cancelling) return new Outcome("cancelled", "cancelled while worker process " + pid + " ran it");
                try {
                    startChild();
                    replaced++;
                    return new Outcome("failed", "worker process " + pid + " died (exit code " + exit + ") while running it; replaced by pid " + child.pid());
                } catch (IOException e) {
                    return new Outcome("failed", "worker process " + pid + " died (exit code " + exit + "); no replacement: " + e.getMessage());
                }
            }

            /** Cancel: interrupt the thread; a child JVM is killed, which ends the task it was running. */
            void stop() {
                thread.interrupt();
                if (child != null) child.destroyForcibly();
            }

            void endChild() {
                try {
                    childIn.close();   // EOF: the child's loop ends and it exits
                } catch (IOException e) {
                    // already gone
                }
                try {
                    if (!child.waitFor(5, TimeUnit.SECONDS)) child.destroyForcibly().waitFor();
                } catch (InterruptedException e) {
                    child.destroyForcibly();
                }
            }

            WorkerStats stats() {
                return new WorkerStats(id, by(), tasks, failures, busyNanos / 1e9, seconds(born), replaced);
            }
        }
    }

    static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    // ---- the benchmark: throughput and latency of tiny tasks ----

    record BenchRun(String kind, int workers, int queue, int tasks, double seconds, double tasksPerSecond,
                    double medianMillis, double p99Millis, long failed) {}

    /** N tiny tasks through a pool of this kind, after N/10 untimed to warm the JIT (and the child JVMs). */
    static BenchRun benchRun(Kind kind, int workers, int queue, int n, Duration timeout) throws Exception {
        int warm = n / 10;
        double[] latencies = new double[n];
        AtomicLong received = new AtomicLong(), failed = new AtomicLong();
        Consumer<Result> sink = r -> {   // called one result at a time
            if (!r.outcome().equals("done")) failed.incrementAndGet();
            long k = received.getAndIncrement();
            if (k >= warm) latencies[(int) (k - warm)] = r.latency();
        };
        try (Pool pool = new Pool(kind, workers, queue, timeout, sink)) {
            for (int i = 0; i < warm; i++) pool.submit("cpu 0");
            while (received.get() < warm) Thread.sleep(1);
            long start = System.nanoTime();
            for (int i = 0; i < n; i++) pool.submit("cpu 0");
            pool.shutdown();
            double seconds = seconds(start);
            Arrays.sort(latencies);
            return new BenchRun(kind.name(), workers, queue, n, seconds, n / seconds, latencies[n / 2] * 1e3,
                    latencies[(int) Math.ceil(n * 0.99) - 1] * 1e3, failed.get());
        }
    }

    int benchmark() throws IOException, InterruptedException {
        System.out.printf("%,d tasks 'cpu 0' per kind, %d workers, queue %d; median of %d runs, each in a fresh JVM after %,d untimed tasks%n",
                bench, workers, queueSize, runs, bench / 10);
        System.out.println("kind        tasks/s   median latency ms   p99 latency ms   failed");
        for (Kind k : Kind.values()) {
            List<BenchRun> all = new ArrayList<>();
            for (int i = 0; i < runs; i++) {
                String out = ChildJvm.output("worker_pool --kind " + k, ChildJvm.command("worker_pool", List.of(
                        "--kind", k.name(), "--workers", String.valueOf(workers), "--queue", String.valueOf(queueSize),
                        "--bench-run", String.valueOf(bench))));
                all.add(JSON.fromJson(out.strip(), BenchRun.class));
            }
            System.out.printf("%-9s %9.0f   %17.3f   %14.3f   %6d%n", k, Comparison.median(all.stream().map(BenchRun::tasksPerSecond).toList()),
                    Comparison.median(all.stream().map(BenchRun::medianMillis).toList()),
                    Comparison.median(all.stream().map(BenchRun::p99Millis).toList()), all.stream().mapToLong(BenchRun::failed).sum());
        }
        return CommandLine.ExitCode.OK;
    }
}

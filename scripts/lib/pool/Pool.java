//SOURCES InThreadRunner.java ChildJvmRunner.java ClusterRunner.java PoolChild.java

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * N workers and one bounded queue. A worker is one platform or virtual thread that takes a task, has its
 * {@link TaskRunner} run it (in the thread, or in a child JVM it owns), reports the result, and takes the next.
 * Workers live until shutdown() or cancel(); every task gets exactly one result: done, failed or cancelled.
 */
final class Pool implements AutoCloseable {
    /** The pool's models: what a worker is. */
    enum Model { threads, virtual, processes, cluster }

    /** A task waiting in the queue; submitted is System.nanoTime() when it was given to the pool. */
    record Task(long id, String text, long submitted) {}

    /**
     * One task's one result. worker 0 means no worker saw it (the line was not a task, or it was cancelled in
     * the queue). startedAt: seconds from the pool's start to when the worker took the task; seconds: how long
     * it ran; latency: from submit to this result.
     */
    record Result(long task, String text, int worker, String by, PoolTask.Outcome.Status outcome, String detail, double startedAt,
                  double seconds, double latency) {
        /** What the pool prints of a task: a URL's password is never shown, though the task used it. */
        Result {
            text = SiteResult.redacted(text);
            detail = SiteResult.redacted(detail);
        }
    }

    /** What a worker did: its identity (thread or pid), tasks run, how many failed, seconds busy and alive. */
    record WorkerStats(int worker, String by, long tasks, long failed, double busySeconds, double aliveSeconds, int replaced) {}

    private static final Task STOP = new Task(-1, "stop", 0);
    private final Model model;
    private final BlockingQueue<Task> queue;
    private final List<Worker> workers = new ArrayList<>();
    private final Consumer<Result> sink;
    private final Scraper scraper;
    private final Cluster cluster;   // the cluster model's members, null for the others
    private final Duration timeout;
    private final AtomicLong ids = new AtomicLong();
    private final AtomicLong done = new AtomicLong(), failed = new AtomicLong(), cancelled = new AtomicLong();
    private final long started = System.nanoTime();
    private volatile long ended;
    private volatile boolean cancelling;

    /** {@code sink} gets every result, one at a time. */
    Pool(Model model, int size, int queueSize, Duration timeout, Consumer<Result> sink) throws IOException, InterruptedException {
        this(model, size, queueSize, timeout, sink, 2);
    }

    /** The cluster model forms a cluster of {@code members} member JVMs on this machine first (a few seconds). */
    Pool(Model model, int size, int queueSize, Duration timeout, Consumer<Result> sink, int members) throws IOException, InterruptedException {
        this.model = model;
        this.queue = new LinkedBlockingQueue<>(queueSize);
        this.sink = sink;
        this.timeout = timeout;
        this.scraper = model == Model.threads || model == Model.virtual ? new Scraper(timeout, Scraper.DEFAULT_MAX_BYTES) : null;   // the others have their own
        this.cluster = model == Model.cluster ? Cluster.startLocal("PoolChild", members, List.of(), List.of()) : null;
        for (int i = 1; i <= size; i++) workers.add(new Worker(i));
        for (Worker w : workers) w.thread.start();
    }

    /** "cluster of 2 member(s) formed in 4.10 s", or null for a pool of threads or processes. */
    String clusterFormed() {
        return cluster == null ? null : cluster.formed();
    }

    /** Queues a task, waiting while the queue is full; a line that is no task gets its failed result now. */
    void submit(String text) throws InterruptedException {
        Task task = new Task(ids.incrementAndGet(), text, System.nanoTime());
        String problem = PoolTask.problem(text);
        if (problem != null) {
            emit(new Result(task.id(), text, 0, "-", PoolTask.Outcome.Status.failed, problem, 0, 0, 0));
        } else if (cancelling) {
            emit(cancelledResult(task));
        } else {
            put(queue, task, model);
            if (cancelling && queue.remove(task)) emit(cancelledResult(task));   // cancel() raced the put
        }
    }

    /**
     * Puts {@code item} in {@code queue}, waiting while it is full. A full queue means the workers are behind; how this
     * thread waits for them is much of what a tiny task costs.
     * <p>Workers in this JVM (threads, virtual), on a machine with fewer cores than threads, may be waiting for this
     * thread's core: it yields the core a few times before it sleeps, so a worker that frees a slot is running
     * already and no OS wake-up is needed to hand over the next task. 3 platform workers on 2 cores, a bare hand-off:
     * 0.4 context switches a task and 0.35-0.47 million tasks a second with {@code put} alone, 0.12-0.21 and
     * 0.77-1.24 million with 16 yields first; in the pool's benchmark, platform workers 0.50-0.53 million against
     * 2.19-2.36 (virtual: within the noise).
     * <p>Process workers wait for child JVMs, which yields only take CPU from. Asleep in {@code put}, this thread is
     * woken by every task a worker takes: one more context switch a task, on the cores the children need. It naps
     * instead (50 µs, doubling), and fills every slot freed meanwhile in one go: 2.7 context switches a task on the
     * machine became 1.8 (vmstat, one run each), and the benchmark's medians went from 37-52 thousand tasks a second
     * to 63-64 thousand. A queue still full after 1.55 ms of naps (tasks that take long) is waited for in
     * {@code put}, woken by a take.
     * Cluster workers: {@code put} alone.
     */
    static <T> void put(BlockingQueue<T> queue, T item, Model model) throws InterruptedException {
        if (model == Model.threads || model == Model.virtual) {
            for (int i = 0; i < 16; i++) {
                if (queue.offer(item)) return;
                Thread.yield();
            }
        } else if (model == Model.processes) {
            for (long nap = 50_000; nap <= 800_000; nap *= 2) {
                if (queue.offer(item)) return;
                Thread.sleep(Duration.ofNanos(nap));
            }
        }
        queue.put(item);
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
        for (Worker w : workers) w.cancel();
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
        if (cluster != null) cluster.close();
    }

    /** Lines given to submit() so far; the next one's task number is this plus one. */
    long submitted() {
        return ids.get();
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

    /** Every child JVM the process workers ever started, replacements included, or the cluster's members. */
    List<ProcessHandle> children() {
        if (cluster != null) return cluster.started().stream().map(ChildJvm::handle).toList();
        return workers.stream().flatMap(w -> w.runner.processes().stream()).toList();
    }

    private Result cancelledResult(Task t) {
        return new Result(t.id(), t.text(), 0, "-", PoolTask.Outcome.Status.cancelled, "cancelled before it started", 0, 0, seconds(t.submitted()));
    }

    private void emit(Result r) {
        (switch (r.outcome()) { case done -> done; case failed -> failed; case cancelled -> cancelled; }).incrementAndGet();
        synchronized (sink) {
            sink.accept(r);
        }
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    /** One worker: a thread that loops take-run-report; its runner runs the task. */
    private final class Worker {
        final int id;
        final Thread thread;
        final TaskRunner runner;
        final long born = System.nanoTime();
        volatile long tasks, failures, busyNanos;

        Worker(int id) throws IOException {
            this.id = id;
            this.thread = (model == Model.virtual ? Thread.ofVirtual() : Thread.ofPlatform()).name("worker-" + id).unstarted(this::loop);
            this.runner = switch (model) {
                case processes -> new ChildJvmRunner(timeout);
                case cluster -> new ClusterRunner(cluster, thread, timeout);
                case threads, virtual -> new InThreadRunner(thread, scraper);
            };
        }

        void loop() {
            try (runner) {
                while (!cancelling) {
                    Task task = queue.take();
                    if (task == STOP) break;
                    if (cancelling) {
                        emit(cancelledResult(task));
                        break;
                    }
                    long start = System.nanoTime();
                    String by = runner.identity();
                    PoolTask.Outcome outcome;
                    try {
                        outcome = runner.run(task.text());
                    } catch (RuntimeException e) {   // a bug in a runner: this task fails, the worker goes on
                        outcome = PoolTask.Outcome.failed("the worker's runner failed: " + e);
                    }
                    by = runner.ranBy(by);
                    if (cancelling && !outcome.done()) outcome = PoolTask.Outcome.cancelled(outcome.detail());
                    long busy = System.nanoTime() - start;
                    busyNanos += busy;
                    tasks++;
                    if (!outcome.done()) failures++;
                    emit(new Result(task.id(), task.text(), id, by, outcome.outcome(), outcome.detail(), (start - started) / 1e9,
                            busy / 1e9, seconds(task.submitted())));
                }
            } catch (InterruptedException e) {
                // cancelled while idle: nothing was running
            }
        }

        void cancel() {
            thread.interrupt();
            runner.cancel();
        }

        WorkerStats stats() {
            return new WorkerStats(id, runner.identity(), tasks, failures, busyNanos / 1e9, seconds(born), runner.replaced());
        }
    }
}

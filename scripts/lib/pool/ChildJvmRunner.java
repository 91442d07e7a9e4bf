//SOURCES TaskRunner.java ../run/ChildJvm.java

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Runs each task in a child JVM this worker owns (PoolChild: a task per stdin line, an outcome per stdout line,
 * as JSON). A child that dies fails the task it was running (not retried: a task that kills its worker would
 * kill the next one too) and is replaced by a new one.
 */
final class ChildJvmRunner implements TaskRunner {
    private final Duration timeout;
    private final List<ProcessHandle> everyChild = new CopyOnWriteArrayList<>();
    private volatile ChildJvm child;
    private volatile boolean cancelled;
    private int replaced;

    ChildJvmRunner(Duration timeout) throws IOException {
        this.timeout = timeout;
        startChild();
    }

    private void startChild() throws IOException {
        child = ChildJvm.start("PoolChild", List.of(), List.of(String.valueOf(timeout.toMillis())));
        everyChild.add(child.handle());
    }

    @Override
    public String identity() {
        return "pid " + child.pid();
    }

    @Override
    public PoolTask.Outcome run(String task) {
        PoolTask.Outcome outcome = child.ask(task, PoolTask.Outcome::fromJson);
        if (outcome != null) return outcome;
        long pid = child.pid();
        int exit;
        try {
            exit = child.exitCode();
        } catch (InterruptedException e) {
            child.kill();
            return PoolTask.Outcome.cancelled("cancelled while worker process " + pid + " ran it");
        }
        if (cancelled) return PoolTask.Outcome.cancelled("cancelled while worker process " + pid + " ran it");
        try {
            startChild();
            replaced++;
            return PoolTask.Outcome.failed("worker process " + pid + " died (exit code " + exit + ") while running it; replaced by pid " + child.pid());
        } catch (IOException e) {
            return PoolTask.Outcome.failed("worker process " + pid + " died (exit code " + exit + "); no replacement: " + e.getMessage());
        }
    }

    /** Killing the child ends the task it was running. */
    @Override
    public void cancel() {
        cancelled = true;
        child.kill();
    }

    @Override
    public int replaced() {
        return replaced;
    }

    @Override
    public List<ProcessHandle> processes() {
        return List.copyOf(everyChild);
    }

    /** EOF on its stdin: the child's loop ends and it exits (killed after 5 s). */
    @Override
    public void close() {
        try {
            child.finish();
        } catch (InterruptedException e) {
            child.kill();
        }
    }
}

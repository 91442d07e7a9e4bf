//SOURCES PoolTask.java

/**
 * How a worker runs the task it took from the queue: in its own thread ({@link InThreadRunner}) or in a child
 * JVM it owns ({@link ChildJvmRunner}). The worker's loop (take, run, report) is the same for both.
 */
interface TaskRunner extends AutoCloseable {
    /** What runs the tasks: "platform #23", "virtual #24" or "pid 1234". */
    String identity();

    /** What ran the task that just ended, given what the runner was when it began (a cluster's member is known only after). */
    default String ranBy(String atStart) {
        return atStart;
    }

    /** Runs one task to its outcome; the worker's thread is interrupted to cancel it. */
    PoolTask.Outcome run(String task);

    /** Cancels the task running now, from another thread. */
    void cancel();

    /** How many times a dead runner (a child JVM) was replaced. */
    default int replaced() {
        return 0;
    }

    /** Every process this runner ever started, replacements included (none for a thread). */
    default java.util.List<ProcessHandle> processes() {
        return java.util.List.of();
    }

    /** Ends the runner once its worker stops (a child JVM is told to exit). */
    @Override
    default void close() {}
}

//SOURCES TaskRunner.java ../cluster/Cluster.java

import java.io.Serializable;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs each task on a member of a Hazelcast cluster: the worker thread hands it over as a durable task (kept on a
 * second member too, and run again there if its member dies first: at least once) and waits for its outcome. The
 * members take turns, live as long as the pool, and take tasks from every worker as they come.
 */
final class ClusterRunner implements TaskRunner {
    private static final AtomicInteger handedOut = new AtomicInteger();   // the members' turns, across the workers
    private final Cluster cluster;
    private final Thread worker;
    private final Duration timeout;
    private volatile String lastMember = "cluster";

    ClusterRunner(Cluster cluster, Thread worker, Duration timeout) {
        this.cluster = cluster;
        this.worker = worker;
        this.timeout = timeout;
    }

    /** The member that ran this worker's last task ("cluster" before the first). */
    @Override
    public String identity() {
        return lastMember;
    }

    @Override
    public String ranBy(String atStart) {
        return lastMember;
    }

    @Override
    public PoolTask.Outcome run(String task) {
        try {
            var ran = cluster.run(new OnMember(task, timeout.toMillis()), handedOut.getAndIncrement());
            lastMember = ran.member();
            return new PoolTask.Outcome(ran.outcome(), ran.detail());
        } catch (InterruptedException e) {   // a durable task cannot be stopped from here: it runs on, its outcome unread
            return PoolTask.Outcome.cancelled("cancelled while a cluster member ran it (it may run to its end there)");
        } catch (ExecutionException e) {
            return PoolTask.Outcome.failed("on the cluster: " + e.getCause().getMessage());
        }
    }

    @Override
    public void cancel() {
        worker.interrupt();
    }

    /** A task as it travels to a member (Java serialization), and back: its outcome and the member that ran it. */
    record OnMember(String task, long timeoutMillis) implements Callable<Ran>, Serializable {
        private static volatile Scraper scraper;   // one a member, made by its first task

        @Override
        public Ran call() {
            if (scraper == null) {
                synchronized (OnMember.class) {
                    if (scraper == null) scraper = new Scraper(Duration.ofMillis(timeoutMillis), Scraper.DEFAULT_MAX_BYTES);
                }
            }
            PoolTask.Outcome outcome = PoolTask.run(task, scraper);
            return new Ran(outcome.outcome(), outcome.detail(), Cluster.lane);
        }
    }

    record Ran(PoolTask.Outcome.Status outcome, String detail, String member) implements Serializable {}
}

//SOURCES PoolTask.java ../run/ChildJvm.java ../cluster/Cluster.java

import java.io.IOException;
import java.time.Duration;

/**
 * A process worker's child JVM: a task per stdin line, its outcome per stdout line (JSON), until stdin closes. Or,
 * started by the cluster model, a member of its cluster.
 */
final class PoolChild {
    private PoolChild() {}

    /** args[0]: milliseconds a URL may take. */
    public static void main(String[] args) throws Exception {
        if (Cluster.isMemberChild(args)) System.exit(Cluster.serveAsMember(args, nothing -> { }));
        int exitCode;
        try (Scraper scraper = new Scraper(Duration.ofMillis(Long.parseLong(args[0])), Scraper.DEFAULT_MAX_BYTES)) {
            exitCode = ChildJvm.serve(String.class, task -> PoolTask.run(task, scraper).toJson());
        }
        System.exit(exitCode);
    }
}

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The playground's one word per model: the key every job, option, JSON field, table and picture uses, and the name a
 * sentence gives it, derived from the key here and nowhere else. A script passes its key; lib never branches on one.
 * docs/design.md shows this table; a test checks that every script's key is in it.
 */
final class Models {
    private Models() {}

    static final Map<String, String> NAMES = names(
            "serial", "Serial",
            "threads", "Platform threads",
            "threads-10", "Platform threads, a pool of 10",
            "threads-N", "Platform threads, one per task",
            "virtual", "Virtual threads",
            "virtual-1", "Virtual threads on one carrier",
            "processes", "Child processes",
            "completable", "CompletableFuture",
            "structured", "Structured concurrency",
            "eventloop", "Event loop",
            "reactive", "Reactive streams",
            "parallel-stream", "Parallel stream",
            "cluster", "Cluster",
            "baseline", "Baseline",
            "sleepers", "Sleepers");

    /** "Virtual threads" for "virtual"; a key that is not in the table is a mistake in the script that passed it. */
    static String name(String key) {
        String name = NAMES.get(key);
        if (name == null) throw new IllegalArgumentException("no model " + key + "; the models are " + NAMES.keySet());
        return name;
    }

    private static Map<String, String> names(String... keysAndNames) {
        Map<String, String> names = new LinkedHashMap<>();
        for (int i = 0; i < keysAndNames.length; i += 2) names.put(keysAndNames[i], keysAndNames[i + 1]);
        return java.util.Collections.unmodifiableMap(names);
    }
}

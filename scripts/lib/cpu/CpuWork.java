/**
 * CPU work the JIT cannot fold away. A plain {@code count += 1} loop is compiled into one addition
 * (measured here on JDK 25: 2 billion iterations "took" 0-1 ms). Here every step depends on the one
 * before (a xorshift64 generator), the result is returned, printed and compared between models, so each
 * of the N iterations really runs.
 */
final class CpuWork {
    /** "Count to N million" means N million steps per unit of --scale. */
    static final long STEPS_PER_MILLION = 1_000_000;

    private CpuWork() {}

    static long crunch(long steps) {
        return crunchFrom(0x9E3779B97F4A7C15L, steps);
    }

    /** Goes on from x: crunchFrom(crunch(a), b) == crunch(a + b), so long work can be cut into slices. */
    static long crunchFrom(long x, long steps) {
        for (long i = 0; i < steps; i++) {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
        }
        return x;
    }

    /** What runs the caller: "platform main", or "virtual #22 on ForkJoinPool-1-worker-1" (its carrier). */
    static String ranBy() {
        Thread me = Thread.currentThread();
        String name = me.getName().isEmpty() ? "#" + me.threadId() : me.getName();
        if (!me.isVirtual()) return "platform " + name;
        String text = me.toString();   // VirtualThread[#22]/runnable@ForkJoinPool-1-worker-1
        return "virtual " + name + " on " + (text.contains("@") ? text.substring(text.indexOf('@') + 1) : "?");
    }

    /** The loop the JIT folds: kept only to show, in the linearity benchmark, why it measures nothing. */
    static long naiveCount(long steps) {
        long count = 0;
        for (long i = 0; i < steps; i++) count += 1;
        return count;
    }
}

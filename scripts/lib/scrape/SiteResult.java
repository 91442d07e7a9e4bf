/**
 * What one download gave: {@code error} is null when the page came back whole with a 2xx status.
 * {@code trace} says when and where it ran (for --timeline); null when the model reports a URL it never
 * downloaded, or cancelled (a structured deadline).
 */
record SiteResult(String url, int status, long bytes, String title, int links, long millis, String error, Trace trace) {
    boolean ok() { return error == null; }

    /** A URL the model gave up on before (or without) downloading it. */
    static SiteResult failed(String url, long millis, String error) {
        return new SiteResult(url, 0, 0, null, 0, millis, error, null);
    }

    /** The same result, said to have run on {@code thread} (a child process names itself). */
    SiteResult ranOn(String thread) {
        return trace == null ? this : new SiteResult(url, status, bytes, title, links, millis, error,
                new Trace(thread, trace.sentAt(), trace.receivedAt(), trace.doneAt()));
    }

    /**
     * The thread that waited for the page (null when none did: a non-blocking request), and the wall-clock
     * seconds since the epoch when the request was sent, the body was in, and the page was parsed. Wall
     * clock, not nanoTime: a child process's times must line up with its parent's.
     */
    record Trace(String thread, double sentAt, double receivedAt, double doneAt) {
        static double now() {
            java.time.Instant now = java.time.Instant.now();
            return now.getEpochSecond() + now.getNano() / 1e9;
        }

        /** "main", "pool-1-thread-3" or "virtual #42" (a virtual thread has no name unless given one). */
        static String currentThread() {
            Thread me = Thread.currentThread();
            if (!me.getName().isEmpty()) return me.getName();
            return (me.isVirtual() ? "virtual #" : "thread #") + me.threadId();
        }
    }
}

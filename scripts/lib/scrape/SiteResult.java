//DEPS com.google.code.gson:gson:2.13.2
//SOURCES ../run/ChildJvm.java

import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;

/**
 * What one download gave: {@code error} is null when the page came back whole with a 2xx status.
 * {@code trace} says when and where it ran (for --timeline); null when the model reports a URL it never
 * downloaded, or cancelled (a structured deadline).
 */
record SiteResult(String url, int status, long bytes, String title, int links, long millis, String error, Trace trace) {
    /** A URL's userinfo (http://user:password@host/): what a result shows of it, in every output, is {@code ***}. */
    private static final java.util.regex.Pattern USERINFO =
            java.util.regex.Pattern.compile("(?i)\\b([a-z][a-z0-9+.-]*://)[^/?#@\\s]+@");

    /** Every output (text, JSON, a child's answer, the pool's lines) is made from a result: none shows a URL's password. */
    SiteResult {
        url = redacted(url);
        error = redacted(error);
    }

    /** {@code text} with the userinfo of every URL in it replaced by {@code ***}; the request itself is never changed. */
    static String redacted(String text) {
        return text == null || text.indexOf('@') < 0 ? text : USERINFO.matcher(text).replaceAll("$1***@");
    }

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

    /**
     * Its line up a child JVM's pipe (the processes model), written by hand as ChildJvm.Usage's is: no Gson
     * reflection on a record, which cost a fresh JVM tens of ms inside the model's clock.
     */
    JsonObject toJson() {
        JsonObject json = new JsonObject();
        json.addProperty("url", url);
        json.addProperty("status", status);
        json.addProperty("bytes", bytes);
        json.addProperty("title", title);
        json.addProperty("links", links);
        json.addProperty("millis", millis);
        json.addProperty("error", error);
        if (trace == null) {
            json.add("trace", JsonNull.INSTANCE);
        } else {
            JsonObject t = new JsonObject();
            t.addProperty("thread", trace.thread());
            t.addProperty("sentAt", trace.sentAt());
            t.addProperty("receivedAt", trace.receivedAt());
            t.addProperty("doneAt", trace.doneAt());
            json.add("trace", t);
        }
        return json;
    }

    static SiteResult fromJson(JsonElement line) {
        JsonObject json = ChildJvm.object(line, "a download's result");
        Trace trace = null;
        if (json.get("trace") instanceof JsonObject t)
            trace = new Trace(ChildJvm.text(t, "thread"), ChildJvm.number(t, "sentAt"), ChildJvm.number(t, "receivedAt"),
                    ChildJvm.number(t, "doneAt"));
        else if (!(json.get("trace") instanceof JsonNull)) throw new JsonParseException("no trace (an object or null) in " + json);
        return new SiteResult(ChildJvm.text(json, "url"), (int) ChildJvm.whole(json, "status"), ChildJvm.whole(json, "bytes"),
                ChildJvm.text(json, "title"), (int) ChildJvm.whole(json, "links"), ChildJvm.whole(json, "millis"),
                ChildJvm.text(json, "error"), trace);
    }
}

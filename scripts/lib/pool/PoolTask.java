//SOURCES ../scrape/Scraper.java ../cpu/CpuWork.java ../run/ChildJvm.java

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import java.util.HexFormat;

/**
 * What a pool's task is, and how one runs: a URL (http:// or https://) is fetched; "cpu N" crunches N million
 * steps. The same code runs in a worker thread and in a worker's child JVM.
 */
final class PoolTask {
    static final String HELP = "expected a URL (http:// or https://), 'cpu N', 'stats' or 'shutdown'";

    private PoolTask() {}

    /**
     * The outcome of running one task: done, failed or cancelled, and what to say about it. A worker's child JVM sends
     * it up its pipe written by hand, as ChildJvm.Usage's is.
     */
    record Outcome(Status outcome, String detail) {
        /** How a task ended; its name is the word the pool prints and its JSON carries. */
        enum Status { done, failed, cancelled }

        static Outcome done(String detail) { return new Outcome(Status.done, detail); }
        static Outcome failed(String detail) { return new Outcome(Status.failed, detail); }
        static Outcome cancelled(String detail) { return new Outcome(Status.cancelled, detail); }

        boolean done() {
            return outcome == Status.done;
        }

        JsonObject toJson() {
            JsonObject json = new JsonObject();
            json.addProperty("outcome", outcome.name());
            json.addProperty("detail", detail);
            return json;
        }

        static Outcome fromJson(JsonElement line) {
            JsonObject json = ChildJvm.object(line, "a task's outcome");
            String outcome = ChildJvm.text(json, "outcome");
            try {
                return new Outcome(Status.valueOf(outcome), ChildJvm.text(json, "detail"));
            } catch (IllegalArgumentException e) {
                throw new JsonParseException("a task's outcome is done, failed or cancelled, not " + outcome);
            }
        }
    }

    /** Null when the line is a task; otherwise why it is not. */
    static String problem(String text) {
        if (text.startsWith("http://") || text.startsWith("https://")) return null;
        String n = cpuArgument(text);
        if (n == null) return "not a task: '" + text + "': " + HELP;
        if (n.isEmpty()) return "not a task: '" + text + "': 'cpu N' takes one whole number N >= 0";
        try {
            if (Long.parseLong(n) >= 0) return null;
        } catch (NumberFormatException e) {
            // falls through
        }
        return "not a task: '" + text + "': N in 'cpu N' must be a whole number >= 0, got " + n;
    }

    /**
     * What follows the word "cpu" (stripped; empty when nothing does), or null when the line's first word is not cpu.
     * Not text.split("\\s+"): a regex split (a Matcher and an ArrayList per call) was a third of the CPU a
     * trivial task cost the pool (JFR, the pool's benchmark, 1,000,000 tasks).
     */
    private static String cpuArgument(String text) {
        String line = text.strip();
        if (!line.startsWith("cpu")) return null;
        if (line.length() == 3) return "";
        return Character.isWhitespace(line.charAt(3)) ? line.substring(4).strip() : null;
    }

    /** Runs a task in this thread; an interrupt cancels it (CPU work checks between slices of a million steps). */
    static Outcome run(String text, Scraper scraper) {
        if (text.startsWith("cpu")) {
            long millions = Long.parseLong(cpuArgument(text));
            long x = CpuWork.crunch(0);
            for (long i = 0; i < millions; i++) {
                if (Thread.currentThread().isInterrupted()) return Outcome.cancelled("cancelled after " + i + " million steps");
                x = CpuWork.crunchFrom(x, CpuWork.STEPS_PER_MILLION);
            }
            // not String.format: "%,d" builds a DecimalFormat on every call, more than a trivial task costs
            return Outcome.done("crunched " + millions + " million steps: " + HexFormat.of().toHexDigits(x));
        }
        SiteResult page = scraper.download(text);
        if (Thread.currentThread().isInterrupted()) return Outcome.cancelled("cancelled while downloading");
        return page.ok() ? Outcome.done(String.format("HTTP %d, %,d bytes", page.status(), page.bytes()))
                : Outcome.failed(page.error());
    }
}

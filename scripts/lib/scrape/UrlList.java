//SOURCES Scraper.java

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The URL list file: one URL per line; blank lines and # comments are skipped. A line that cannot be a download
 * (not UTF-8, not a URL, not http or https) stays in the list with its line number and why, so that it is one
 * failed result and the rest of the file runs. Only a file that cannot be read at all stops the run.
 */
final class UrlList {
    static final class BadInput extends Exception {
        BadInput(String message) { super(message); }
    }

    /** One line of the file that is not blank and no comment: its number, its text, and what is wrong with it (null: nothing). */
    record Line(int number, String url, String problem) {
        boolean ok() {
            return problem == null;
        }

        /** What a user reads for a line that was not downloaded: "line 3: not valid UTF-8 (byte 0xE9 at column 21)". */
        String why() {
            return "line " + number + ": " + problem;
        }
    }

    /** The default list is the repo's url_list, whether the user runs from the repo root or scripts/. */
    static Path defaultFile() {
        for (Path candidate : List.of(Path.of("url_list"), Path.of("..", "url_list")))
            if (Files.isRegularFile(candidate)) return candidate;
        return Path.of("url_list");
    }

    static List<Line> read(Path file) throws BadInput {
        Path path = file != null ? file : defaultFile();
        byte[] bytes = readable(path);
        int start = bytes.length >= 3 && (bytes[0] & 0xFF) == 0xEF && (bytes[1] & 0xFF) == 0xBB && (bytes[2] & 0xFF) == 0xBF ? 3 : 0;   // a UTF-8 BOM
        List<Line> lines = new ArrayList<>();
        int number = 0;
        for (int from = start; from < bytes.length; ) {
            int end = from;
            while (end < bytes.length && bytes[end] != '\n') end++;
            number++;
            Line line = line(number, Arrays.copyOfRange(bytes, from, end > from && bytes[end - 1] == '\r' ? end - 1 : end));
            if (line != null) lines.add(line);
            from = end + 1;
        }
        if (lines.isEmpty()) throw new BadInput("no URLs in " + path + (bytes.length == 0 ? " (it is empty)" : " (only blank lines and # comments)"));
        return lines;
    }

    /** The whole file, or one line saying why it cannot be read at all. */
    private static byte[] readable(Path path) throws BadInput {
        if (!Files.exists(path))
            throw new BadInput("URL file not found: " + path + " (run from the repo root, pass --urls FILE, or use --sim)");
        if (Files.isDirectory(path)) throw new BadInput("URL file " + path + " is a directory, not a file");
        // a device (/dev/zero), a FIFO or a socket never ends, or blocks: only a regular file is read
        if (!Files.isRegularFile(path)) throw new BadInput("URL file " + path + " is not a regular file (a device, FIFO or socket)");
        try {
            long size = Files.size(path), most = Runtime.getRuntime().maxMemory() / 4;
            if (size > most)
                throw new BadInput(String.format("URL file %s is %,d MiB, more than a quarter of this JVM's heap (%,d MiB): split it",
                        path, size >> 20, Runtime.getRuntime().maxMemory() >> 20));
        } catch (IOException e) {
            throw new BadInput("cannot read URL file " + path + ": " + e.getMessage());
        }
        try {
            return Files.readAllBytes(path);
        } catch (AccessDeniedException e) {
            throw new BadInput("cannot read URL file " + path + ": permission denied");
        } catch (IOException | OutOfMemoryError e) {
            throw new BadInput("cannot read URL file " + path + ": " + e.getMessage());
        }
    }

    /** A line's URL and what is wrong with it; null for a blank line or a comment. */
    private static Line line(int number, byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length + 1);
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        CoderResult result = decoder.decode(in, out, true);
        if (result.isError()) {   // in stops at the first byte that is not UTF-8 (a Latin-1 é is 0xE9)
            String problem = String.format("not valid UTF-8 (byte 0x%02X at column %d): save the file as UTF-8",
                    bytes[in.position()] & 0xFF, in.position() + 1);
            return new Line(number, new String(bytes, StandardCharsets.UTF_8).strip(), problem);
        }
        decoder.flush(out);
        String text = out.flip().toString().strip();
        if (text.isEmpty() || text.startsWith("#")) return null;
        return new Line(number, text, Scraper.problemWith(text));
    }

    static <T> List<T> repeat(List<T> lines, int times) throws BadInput {
        if (times < 1) throw new BadInput("--repeat must be at least 1, got " + times);
        List<T> repeated = new ArrayList<>(lines.size() * times);
        for (int i = 0; i < times; i++) repeated.addAll(lines);
        return repeated;
    }
}

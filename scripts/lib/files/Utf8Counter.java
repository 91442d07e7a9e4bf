import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Counts the characters of UTF-8 text fed to it chunk by chunk, decoding strictly: invalid UTF-8 is an error,
 * never replaced. A file is never held whole. Counts UTF-16 characters, as String.length() does.
 */
final class Utf8Counter {
    static final int CHUNK = 1 << 18;   // 256 KiB at a time: memory stays flat whatever the file sizes

    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    private final CharBuffer chars = CharBuffer.allocate(CHUNK);
    private long bytes;
    private long count;

    /** Direct (off-heap) buffers: the kernel copies into them once; a heap buffer costs a second copy. */
    static ByteBuffer newBuffer() {
        return ByteBuffer.allocateDirect(CHUNK);
    }

    long bytes() {
        return bytes;
    }

    long count() {
        return count;
    }

    /** Takes the bytes read into buffer (flips and compacts it), counting the characters they decode to. */
    void decode(ByteBuffer buffer, boolean endOfInput) {
        buffer.flip();
        int ascii = asciiEnd(buffer, buffer.position(), buffer.limit());
        count += ascii - buffer.position();
        bytes += ascii - buffer.position();
        buffer.position(ascii);
        long before = buffer.remaining();
        CoderResult result = decoder.decode(buffer, chars, endOfInput);
        bytes += before - buffer.remaining();
        if (result.isError())
            throw new IllegalStateException("not valid UTF-8 at byte " + bytes);
        if (endOfInput) decoder.flush(chars);
        count += chars.position();
        chars.clear();
        buffer.compact();
    }

    /**
     * Where the run of ASCII bytes from {@code from} ends: a byte below 0x80 is one character, and 32 bytes are
     * checked at once. The decoder is 5x slower per byte and only sees the rest (from the first non-ASCII byte on).
     * A method of its own, so that the JIT compiles this loop alone, without the decoder: a fresh JVM (a child
     * of the processes model) has it optimised sooner.
     */
    private static int asciiEnd(ByteBuffer buffer, int from, int limit) {
        int ascii = from;
        while (ascii + 32 <= limit && ((buffer.getLong(ascii) | buffer.getLong(ascii + 8) | buffer.getLong(ascii + 16)
                | buffer.getLong(ascii + 24)) & 0x8080808080808080L) == 0) ascii += 32;
        while (ascii + 8 <= limit && (buffer.getLong(ascii) & 0x8080808080808080L) == 0) ascii += 8;
        while (ascii < limit && buffer.get(ascii) >= 0) ascii++;
        return ascii;
    }

    /**
     * Counts in-memory text, one chunk over and over, until the JIT has compiled the counting code. Without it, a
     * fresh JVM's first seconds run that loop interpreted, and 21 platform threads competing with the compiler
     * threads for 2 cores made the threads model 2-10x slower than the others for reasons that have nothing to do
     * with threads. Returns the seconds it took.
     */
    static double warmUp(int megabytes) {
        long start = System.nanoTime();
        ByteBuffer text = newBuffer();
        while (text.hasRemaining()) text.put((byte) ('A' + text.position() % 26));
        text.put(CHUNK - 2, (byte) 0xC3).put(CHUNK - 1, (byte) 0xA9);   // an "é": the decoder's path runs too
        Utf8Counter counter = new Utf8Counter();
        for (long done = 0; done < (long) megabytes << 20; done += CHUNK)
            counter.decode(text.position(CHUNK), false);                  // as if a read had just filled it
        return (System.nanoTime() - start) / 1e9;
    }
}

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Reads a response body when it is wanted, not when it arrives: the HttpClient's InputStream asks the socket for
 * more only as it is read, so bytes nobody reads yet wait in the kernel under TCP flow control. At most
 * {@code maxBytes} go into one array, as long as the Content-Length says or grown as they come (never past the
 * cap, never copied again); a body that will not fit is counted up to the cap and dropped. A body not complete
 * within {@code timeout} fails with a {@link TimeoutException}: the HttpClient's own request timeout stops
 * counting once the headers are in.
 */
final class CappedBody {
    private CappedBody() {}

    /** The bytes read (none kept for a body cut at --max-bytes), how many, and whether it was cut. */
    record Body(byte[] bytes, int length, boolean cut) {
        String text(String charset) {
            try {
                return new String(bytes, 0, length, charset == null ? "UTF-8" : charset);
            } catch (java.io.UnsupportedEncodingException e) {
                return new String(bytes, 0, length, java.nio.charset.StandardCharsets.UTF_8);
            }
        }
    }

    /** One thread for every body's deadline: closing a stalled body's stream wakes its reader. */
    private static final ScheduledExecutorService DEADLINES =
            Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("body-deadlines").daemon().factory());

    static Body read(InputStream in, long maxBytes, Duration timeout, long contentLength) throws IOException {
        int cap = (int) Math.min(maxBytes, Integer.MAX_VALUE - 16);
        var stalled = new AtomicBoolean();
        ScheduledFuture<?> deadline = DEADLINES.schedule(() -> {
            stalled.set(true);
            closeQuietly(in);
        }, timeout.toMillis(), TimeUnit.MILLISECONDS);
        try (in) {
            byte[] received = contentLength > cap ? null : new byte[contentLength >= 0 ? (int) contentLength : 16 * 1024];
            byte[] skip = received == null ? new byte[16 * 1024] : null;   // a body announced too big: counted, not kept
            int length = 0;
            while (true) {
                if (received != null && length == received.length) {   // full: the end, or more than it has room for?
                    int next = in.read();
                    if (next < 0) return new Body(received, length, false);
                    if (length == cap) return new Body(null, cap, true);
                    received = Arrays.copyOf(received, (int) Math.min(cap, Math.max(16 * 1024, 2L * received.length)));
                    received[length++] = (byte) next;
                }
                int n = received != null ? in.read(received, length, received.length - length)
                        : in.read(skip, 0, (int) Math.min(skip.length, cap + 1L - length));
                if (n < 0) return new Body(received == null ? new byte[0] : received, length, false);
                length += n;
                if (length > cap) return new Body(null, cap, true);
            }
        } catch (IOException e) {
            if (stalled.get()) throw new IOException("body stalled", new TimeoutException("body not complete within " + timeout));
            throw e;
        } finally {
            deadline.cancel(false);
        }
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException e) {
            // it is being abandoned anyway
        }
    }
}

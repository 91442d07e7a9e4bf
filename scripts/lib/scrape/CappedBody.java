import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Reads at most {@code maxBytes} into one array: as long as the Content-Length says, or growing as the bytes
 * come (never past the cap, never copied again at the end). A body that will not fit (its Content-Length says
 * so, or it passes the cap) is only counted up to the cap, its bytes dropped, and the rest cancelled. Fails
 * with a {@link TimeoutException} if the body is not complete within {@code timeout} of the headers: the
 * HttpClient's own request timeout stops counting once the headers are in.
 */
final class CappedBody implements HttpResponse.BodySubscriber<CappedBody.Body> {
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

    private final int maxBytes;
    private final CompletableFuture<Body> body = new CompletableFuture<>();
    private volatile Flow.Subscription subscription;
    private byte[] received = new byte[16 * 1024];
    private int length;

    CappedBody(long maxBytes, Duration timeout, long contentLength) {
        this.maxBytes = (int) Math.min(maxBytes, Integer.MAX_VALUE - 16);
        if (contentLength > this.maxBytes) received = null;   // it will be cut: count, keep nothing
        else if (contentLength >= 0) received = new byte[(int) contentLength];
        // orTimeout drops its timer when the body completes: nothing is kept alive for the full timeout.
        body.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
        body.whenComplete((done, failure) -> { if (failure != null) cancel(); });
    }

    private void cancel() {
        Flow.Subscription s = subscription;
        if (s != null) s.cancel();
    }

    @Override public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        if (body.isDone()) s.cancel(); else s.request(Long.MAX_VALUE);
    }

    @Override public void onNext(List<ByteBuffer> buffers) {
        if (body.isDone()) return;
        for (ByteBuffer buffer : buffers) {
            if (length + buffer.remaining() > maxBytes) {   // over the cap: count it, drop the bytes, stop the transfer
                received = null;
                body.complete(new Body(null, maxBytes, true));
                cancel();
                return;
            }
            if (received == null) {   // a body announced too big: counted as it comes, up to the cap
                length += buffer.remaining();
                buffer.position(buffer.limit());
                continue;
            }
            if (length + buffer.remaining() > received.length)
                received = Arrays.copyOf(received, (int) Math.min(maxBytes, Math.max(2L * received.length, length + buffer.remaining())));
            int n = buffer.remaining();
            buffer.get(received, length, n);
            length += n;
        }
    }

    @Override public void onError(Throwable failure) { body.completeExceptionally(failure); }

    @Override public void onComplete() { body.complete(new Body(received == null ? new byte[0] : received, length, false)); }

    @Override public CompletionStage<Body> getBody() { return body; }
}

//DEPS io.vertx:vertx-web-client:5.0.7
//SOURCES CappedBody.java

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;
import io.vertx.ext.web.codec.BodyCodec;
import io.vertx.ext.web.codec.spi.BodyStream;

/**
 * The Vert.x WebClient's body, read as every other model reads one (CappedBody): at most {@code maxBytes} kept;
 * a longer body is answered as cut the moment it passes the cap, and what still arrives is counted nowhere and
 * dropped. Without it the WebClient holds any body whole, however large.
 */
final class CappedVertxBody implements BodyCodec<CappedBody.Body> {
    private final int cap;

    CappedVertxBody(long maxBytes) {
        this.cap = (int) Math.min(maxBytes, Integer.MAX_VALUE - 16);
    }

    @Override
    public BodyStream<CappedBody.Body> stream() {
        return new BodyStream<>() {
            private final Buffer kept = Buffer.buffer();
            private final Promise<CappedBody.Body> body = Promise.promise();

            @Override
            public Future<CappedBody.Body> result() {
                return body.future();
            }

            @Override
            public void handle(Throwable failure) {
                body.tryFail(failure);
            }

            @Override
            public Future<Void> write(Buffer data) {
                if (body.future().isComplete()) return Future.succeededFuture();   // cut already: dropped
                if ((long) kept.length() + data.length() > cap) body.tryComplete(new CappedBody.Body(null, cap, true));
                else kept.appendBuffer(data);
                return Future.succeededFuture();
            }

            @Override
            public Future<Void> end() {
                body.tryComplete(new CappedBody.Body(kept.getBytes(), kept.length(), false));
                return Future.succeededFuture();
            }

            @Override
            public WriteStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
                return this;
            }

            @Override
            public WriteStream<Buffer> setWriteQueueMaxSize(int maxSize) {
                return this;
            }

            @Override
            public boolean writeQueueFull() {
                return false;
            }

            @Override
            public WriteStream<Buffer> drainHandler(Handler<Void> handler) {
                return this;
            }
        };
    }
}

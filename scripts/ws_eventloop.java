///usr/bin/env "$(dirname "$0")/../jbang" "$0" "$@" ; exit $?
//JAVA 25+
//RUNTIME_OPTIONS -Xmx256m -XX:+ExitOnOutOfMemoryError -XX:+DisplayVMOutputToStderr
//DESCRIPTION Web scrape on one event loop thread (Vert.x WebClient): every callback, parse included, on the same thread, like asyncio's loop.
//DEPS io.vertx:vertx-web-client:5.0.7
//SOURCES lib/scrape/ScrapeRun.java lib/scrape/CappedVertxBody.java

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "ws_eventloop", mixinStandardHelpOptions = true, version = "ws_eventloop 1.0",
        description = "Downloads the URLs on one event loop thread: non-blocking requests, every callback on that thread.")
class ws_eventloop implements Callable<Integer> {
    @Mixin ScrapeRun run;

    public static void main(String[] args) {
        System.exit(new CommandLine(new ws_eventloop()).execute(args));
    }

    @Override
    public Integer call() {
        run.cancelOnCtrlC();   // Ctrl-C interrupts the wait for the loop: what has come back is reported, the rest cancelled
        return run.measure("eventloop", null, "thread (the event loop)", ws_eventloop::downloadAll);
    }

    /**
     * One thread does everything, as asyncio's loop does: it sends every request, its selector watches every
     * socket, and each page is parsed on it as it arrives. Nothing is shared between threads, so nothing is
     * locked; and while it parses one page, no other download moves.
     */
    static List<SiteResult> downloadAll(Scraper scraper, List<String> urls) {
        long timeoutMillis = scraper.timeout().toMillis();
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        // Vert.x keeps 5 connections per host by default: 10,000 URLs on one simulator would wait in line, 5 at a
        // time (~2,000 s at 1 s each). A connection per URL, so that every download is in flight at once.
        WebClient client = WebClient.create(vertx, new WebClientOptions().setMaxRedirects(5).setConnectTimeout((int) timeoutMillis),
                new PoolOptions().setHttp1MaxSize(Math.max(1, urls.size())));
        var body = new CappedVertxBody(scraper.maxBytes());   // at most --max-bytes of a body, as every model
        SiteResult[] results = new SiteResult[urls.size()];
        CountDownLatch done = new CountDownLatch(urls.size());
        boolean interrupted = false;
        try {
            vertx.runOnContext(start -> {   // on the loop: every callback below runs on this same thread
                for (int i = 0; i < urls.size(); i++) {
                    int at = i;
                    String url = urls.get(i);
                    long began = System.nanoTime();
                    double sentAt = SiteResult.Trace.now();
                    try {
                        var request = client.getAbs(Scraper.asciiUrl(url)).idleTimeout(timeoutMillis).as(body);
                        // as every model: --timeout for the headers, as much again for the body; whichever comes first counts
                        long deadline = vertx.setTimer(2 * timeoutMillis, late -> {
                            results[at] = scraper.failure(url, new TimeoutException(), began, SiteResult.Trace.currentThread(), sentAt);
                            done.countDown();
                        });
                        request.send().onComplete(reply -> {
                            if (!vertx.cancelTimer(deadline)) return;   // the deadline came first: already failed
                            String loop = SiteResult.Trace.currentThread();
                            try {
                                results[at] = reply.succeeded()
                                        ? scraper.page(url, reply.result().statusCode(), reply.result().body(),
                                                reply.result().getHeader("content-type"), began, loop, sentAt)
                                        : scraper.failure(url, reply.cause(), began, loop, sentAt);
                            } catch (RuntimeException e) {   // a page the parser cannot take: its result, not a hang
                                results[at] = scraper.failure(url, e, began, loop, sentAt);
                            } finally {
                                done.countDown();
                            }
                        });
                    } catch (RuntimeException badUrl) {   // malformed, or not http(s): never sent
                        results[at] = scraper.failure(url, badUrl, began, SiteResult.Trace.currentThread(), sentAt);
                        done.countDown();
                    }
                }
            });
            done.await();
        } catch (InterruptedException ctrlC) {   // what has not come back is cancelled, once the loop has stopped
            interrupted = true;
        } finally {
            client.close();
            vertx.close().await();
        }
        for (int i = 0; i < results.length; i++)
            if (results[i] == null) results[i] = SiteResult.failed(urls.get(i), 0, "cancelled while downloading");
        if (interrupted) Thread.currentThread().interrupt();
        return List.of(results);
    }

}

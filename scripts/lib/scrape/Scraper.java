//DEPS org.jsoup:jsoup:1.21.2
//SOURCES SiteResult.java CappedBody.java LazyTls.java

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.IDN;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;

/**
 * One real scrape, shared by every model so that only the concurrency differs between the scripts:
 * GET with one shared HttpClient, read at most {@code maxBytes} of the body within {@code timeout},
 * parse it with Jsoup, keep the title and the number of links. Never throws: every failure becomes a
 * {@link SiteResult} with a one-line reason.
 */
final class Scraper implements AutoCloseable {
    /** The most of a body read by default (--max-bytes): 5 MiB, far above any page of url_list. */
    static final long DEFAULT_MAX_BYTES = 5L << 20;

    private final HttpClient client;
    private final Duration timeout;
    private final long maxBytes;
    private final Semaphore parsing;
    private final ExecutorService parsers;

    static {
        // The client reads each connection in buffers of this size, whether or not the body is wanted yet: with
        // 10,000 connections open, 16 KB (its default) is 16 KB x 10,000 of heap. 4 KB keeps it ~40 MB; a -D wins.
        // Read once, when the JVM's first HttpClient is made: nothing in a model's JVM may make one before this.
        if (System.getProperty("jdk.httpclient.bufsize") == null) System.setProperty("jdk.httpclient.bufsize", "4096");
    }

    Scraper(Duration timeout, long maxBytes) {
        this.timeout = timeout;
        this.maxBytes = maxBytes;
        // One client for all requests: a client per request leaks its selector thread and sockets.
        this.client = HttpClient.newBuilder()
                // The client's own work (handing each response on) runs on virtual threads: its default, a
                // cached pool of platform threads, grows to ~90 threads under 10,000 requests.
                .executor(Executors.newVirtualThreadPerTaskExecutor())
                .version(HttpClient.Version.HTTP_1_1)    // what the sites speak; no h2c upgrade dance
                .followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(timeout)
                .sslContext(LazyTls.context())          // TLS made at the first https URL, not here (~0.2 s of a fresh JVM)
                .sslParameters(LazyTls.parameters())
                .build();
        int cores = Runtime.getRuntime().availableProcessors();
        this.parsing = new Semaphore(cores);
        this.parsers = Executors.newFixedThreadPool(cores, Thread.ofPlatform().name("parser-", 1).daemon().factory());
    }

    /**
     * Blocking download: the calling thread (platform or virtual) waits for the page. The headers are awaited
     * with no limit on how many wait; the body is read only when a core is free to parse it (a permit per core),
     * so the bytes of 10,000 pages that arrive at once wait in the kernel's socket buffers under TCP flow control,
     * not in the heap.
     */
    SiteResult download(String url) {
        long start = System.nanoTime();
        String thread = SiteResult.Trace.currentThread();
        double sentAt = SiteResult.Trace.now();
        try {
            HttpResponse<InputStream> response = client.send(request(url), HttpResponse.BodyHandlers.ofInputStream());
            try {
                parsing.acquire();
            } catch (InterruptedException e) {
                response.body().close();   // cancelled while waiting for a core: let the connection go
                throw e;
            }
            try {
                return toResult(url, response, start, thread, sentAt);
            } finally {
                parsing.release();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failed(url, start, thread, sentAt, "cancelled while downloading");
        } catch (Exception e) {
            return failed(url, start, thread, sentAt, describe(e));
        }
    }

    /** Non-blocking download: no thread waits; the future completes when the page has arrived. */
    CompletableFuture<SiteResult> downloadAsync(String url) {
        long start = System.nanoTime();
        double sentAt = SiteResult.Trace.now();
        HttpRequest request;
        try {
            request = request(url);
        } catch (BadUrl e) {
            return CompletableFuture.completedFuture(failed(url, start, null, sentAt, describe(e)));
        }
        // the body is read and parsed by one of `cores` parser threads, when one is free: until then it waits in the kernel
        return client.sendAsync(request, HttpResponse.BodyHandlers.ofInputStream())
                .thenApplyAsync(response -> toResult(url, response, start, null, sentAt), parsers)
                .exceptionally(e -> failed(url, start, null, sentAt, describe(e)));
    }

    @Override
    public void close() {
        client.shutdownNow();
        client.close();
        parsers.shutdownNow();
    }

    private HttpRequest request(String url) {
        URI uri = downloadable(url);
        // The request timeout covers only the wait for the headers; CappedBody.read gives the body its own.
        try {
            return HttpRequest.newBuilder(uri).timeout(timeout).GET().build();
        } catch (IllegalArgumentException e) {
            throw new BadUrl("malformed URL: " + e.getMessage());
        }
    }

    /** Why this URL will not be requested, in one line; null when it will be. Sends nothing. */
    static String problemWith(String url) {
        try {
            HttpRequest.newBuilder(downloadable(url));
            return null;
        } catch (BadUrl e) {
            return e.getMessage();
        } catch (IllegalArgumentException e) {
            return "malformed URL: " + e.getMessage();
        }
    }

    /** The URL as plain ASCII, ready for any client; a {@link BadUrl} saying what is wrong if it is not downloadable. */
    static String asciiUrl(String url) {
        return downloadable(url).toASCIIString();
    }

    /** The URI of an http or https URL with a host; a {@link BadUrl} saying what is wrong otherwise. */
    private static URI downloadable(String url) {
        if (url.indexOf('\uFFFD') >= 0) throw new BadUrl("malformed URL: not valid UTF-8");
        URI uri;
        try {
            uri = toUri(url.strip());
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new BadUrl("malformed URL: " + e.getMessage());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https"))
            throw new BadUrl(scheme.isEmpty() ? "malformed URL: no scheme (http:// or https://)"
                    : "unsupported scheme '" + scheme + "': only http and https are downloaded");
        if (uri.getHost() == null) throw new BadUrl("malformed URL: no host");
        return uri;
    }

    /**
     * A URI the HttpClient takes. A URL with non-ASCII characters is made ASCII the way a browser does: the host
     * by IDNA (bücher.example becomes xn--bcher-kva.example), the rest percent-encoded as UTF-8.
     */
    static URI toUri(String url) throws URISyntaxException {
        if (url.chars().allMatch(c -> c < 0x80)) return new URI(url);
        Matcher parts = URL_PARTS.matcher(url);
        if (!parts.matches()) return new URI(url);   // not scheme://authority...: let URI say what is wrong
        Matcher authority = AUTHORITY.matcher(parts.group(2));
        if (!authority.matches()) throw new URISyntaxException(url, "bad authority");
        String host = IDN.toASCII(authority.group(2), IDN.ALLOW_UNASSIGNED);
        String ascii = (authority.group(1) == null ? "" : authority.group(1)) + host + (authority.group(3) == null ? "" : authority.group(3));
        String query = parts.group(4) == null ? null : parts.group(4).substring(1);
        String fragment = parts.group(5) == null ? null : parts.group(5).substring(1);
        return new URI(new URI(parts.group(1), ascii, parts.group(3), query, fragment).toASCIIString());
    }

    private static final Pattern URL_PARTS = Pattern.compile("(?s)([A-Za-z][A-Za-z0-9+.-]*)://([^/?#]*)([^?#]*)(\\?[^#]*)?(#.*)?");
    private static final Pattern AUTHORITY = Pattern.compile("([^@]*@)?([^:@]+)(:\\d*)?");

    /**
     * Ok means a 2xx status and the whole body. A final 3xx is a redirect the client would not follow, and says why:
     * to a scheme we do not download (file:, ftp:), from https down to http, or one redirect too many (a loop).
     */
    private static String statusProblem(HttpResponse<?> response) {
        int status = response.statusCode();
        if (status >= 200 && status < 300) return null;
        if (status < 300 || status >= 400) return "HTTP " + status;
        String location = response.headers().firstValue("location").orElse(null);
        if (location == null) return "HTTP " + status + ": a redirect without a Location";
        URI target;
        try {
            target = response.uri().resolve(location.strip());
        } catch (IllegalArgumentException e) {
            return "HTTP " + status + ": redirect to a malformed URL: " + location;
        }
        String scheme = target.getScheme() == null ? "" : target.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https"))
            return "HTTP " + status + ": redirect to an unsupported scheme '" + scheme + "' (" + target + "): not followed";
        if (scheme.equals("http") && "https".equalsIgnoreCase(response.uri().getScheme()))
            return "HTTP " + status + ": redirect from https down to http (" + target + "): not followed";
        return "HTTP " + status + ": too many redirects (the client follows at most " + MAX_REDIRECTS + "; a loop?)";
    }

    /** How the JDK's HttpClient says a body ended before its Content-Length. */
    private static final Pattern CUT_SHORT = Pattern.compile("fixed content-length: (\\d+), bytes received: (\\d+)");

    /** The JDK HttpClient's limit (jdk.httpclient.redirects.retrylimit, default 5). */
    private static final int MAX_REDIRECTS = Integer.getInteger("jdk.httpclient.redirects.retrylimit", 5);

    private SiteResult toResult(String url, HttpResponse<InputStream> response, long start, String thread, double sentAt) {
        CappedBody.Body body;
        try {
            body = CappedBody.read(response.body(), maxBytes, timeout, response.headers().firstValueAsLong("content-length").orElse(-1));
        } catch (IOException e) {
            return failed(url, start, thread, sentAt, describe(e));
        }
        String contentType = response.headers().firstValue("content-type").orElse(null);
        return parsed(url, response.statusCode(), body, contentType, statusProblem(response), start, thread, sentAt, SiteResult.Trace.now());
    }

    /**
     * A page another client downloaded (the event loop's), read as every model reads one (at most --max-bytes kept):
     * parsed here as every model's page is. Ok means a 2xx status.
     */
    SiteResult page(String url, int status, CappedBody.Body body, String contentType, long start, String thread, double sentAt) {
        return parsed(url, status, body, contentType, status >= 200 && status < 300 ? null : "HTTP " + status, start, thread,
                sentAt, SiteResult.Trace.now());
    }

    /** The per-request timeout: for the headers, and as much again for the body. */
    Duration timeout() {
        return timeout;
    }

    /** The most of a body that is read (--max-bytes). */
    long maxBytes() {
        return maxBytes;
    }

    /** A failure of another client's download, in the same one-line words; its timeout is one for silence. */
    SiteResult failure(String url, Throwable cause, long start, String thread, double sentAt) {
        String why = cause instanceof TimeoutException
                ? "stalled: no answer within --timeout (" + seconds(timeout) + " for the headers, as much again for the body)" : describe(cause);
        return failed(url, start, thread, sentAt, why);
    }

    private SiteResult parsed(String url, int status, CappedBody.Body body, String contentType, String statusProblem,
                              long start, String thread, double sentAt, double receivedAt) {
        String charset = contentType == null ? null
                : contentType.replaceFirst("(?i).*charset=\"?([^\";]+).*|.*", "$1").strip();
        if (charset != null && charset.isEmpty()) charset = null;
        if (body.cut())   // failed: counted, not kept and not parsed, so a capped body costs at most its cap
            return new SiteResult(url, status, body.length(), null, 0, millisSince(start),
                    "body larger than --max-bytes " + String.format("%,d", maxBytes) + ": cut there",
                    new SiteResult.Trace(thread, sentAt, receivedAt, SiteResult.Trace.now()));
        Document page = Jsoup.parse(body.text(charset), url);
        return new SiteResult(url, status, body.length(), page.title(), page.select("a[href]").size(), millisSince(start),
                statusProblem, new SiteResult.Trace(thread, sentAt, receivedAt, SiteResult.Trace.now()));
    }

    private static SiteResult failed(String url, long start, String thread, double sentAt, String error) {
        double now = SiteResult.Trace.now();
        return new SiteResult(url, 0, 0, null, 0, millisSince(start), error, new SiteResult.Trace(thread, sentAt, now, now));
    }

    private static long millisSince(long start) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }

    /** A one-line reason a user can act on, the same whichever model hit the failure. */
    String describe(Throwable failure) {
        List<Throwable> chain = new ArrayList<>();
        for (Throwable e = failure; e != null && !chain.contains(e); e = e.getCause()) chain.add(e);
        // refused wins over a connect timeout whose cause it is (under load the client may report both)
        if (chain.stream().anyMatch(e -> e instanceof ConnectException
                && String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT).contains("refused"))) return "connection refused";
        for (Throwable e : chain) {   // the most specific cause first
            if (e instanceof BadUrl) return e.getMessage();
            if (e instanceof UnresolvedAddressException || e instanceof java.net.UnknownHostException) return "host does not resolve";
            if (e instanceof TimeoutException)
                return "body stalled: not complete within " + seconds(timeout) + " of the headers (--timeout)";
            if (e instanceof HttpConnectTimeoutException) return "could not connect within " + seconds(timeout);
            if (e instanceof HttpTimeoutException) return "no response headers within " + seconds(timeout) + " (--timeout)";
            if (e instanceof InterruptedException) return "cancelled while downloading";
        }
        if (chain.stream().anyMatch(e -> e instanceof ConnectException)) return "connection refused";
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        String message = String.valueOf(root.getMessage()).toLowerCase(Locale.ROOT);
        String every = chain.stream().map(e -> String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT)).reduce("", (a, b) -> a + " | " + b);
        if (every.contains("chunked transfer encoding"))
            return "body cut short: the connection ended before the chunked body's last chunk";
        Matcher cut = CUT_SHORT.matcher(every);
        if (cut.find())
            return "body cut short: the connection ended after " + cut.group(2) + " of " + cut.group(1) + " bytes (Content-Length)";
        if (message.contains("reset")) return "connection reset by the server";
        // the JDK gives a type for the end of a stream it expected more from; for the rest only its words (pinned by
        // WebScrapeModelsTest's faults: a refused port, a reset, a cut chunked body, a cut Content-Length body)
        if (chain.stream().anyMatch(e -> e instanceof java.io.EOFException)
                || message.contains("eof") || message.contains("no bytes") || message.contains("closed"))
            return "connection closed by the server before the response was complete";
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getClass().getSimpleName() + ": " + root.getMessage();
    }

    private static String seconds(Duration d) {
        return String.format("%.1f s", d.toMillis() / 1000.0);
    }

    /** A URL we will not request: malformed, or not http(s). */
    static final class BadUrl extends IllegalArgumentException {
        BadUrl(String message) { super(message); }
    }
}

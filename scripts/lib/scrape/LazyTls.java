import java.security.KeyManagementException;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * The JDK's default TLS context, made when the first https connection needs it instead of when the HttpClient is
 * built. Making it (the TLS provider, a SecureRandom, the trust store's 144 certificates) took ~0.2 s of a child
 * JVM's start here, with its AOT cache: most of the time until it could download, whatever its URLs; a child that
 * downloads http:// only now never pays it. Every engine is the default context's own, so certificates, host names
 * and protocols are checked exactly as by a client built without this, javax.net.ssl.* properties included.
 */
final class LazyTls extends SSLContextSpi {
    private LazyTls() {}

    /** For HttpClient.Builder.sslContext, always with {@link #parameters()}. */
    static SSLContext context() {
        return new SSLContext(new LazyTls(), null, "Default") {};
    }

    /**
     * For HttpClient.Builder.sslParameters: given none, the builder asks the context for its defaults at once. Nothing
     * set here: the engine keeps its own (the default context's) protocols and cipher suites.
     */
    static SSLParameters parameters() {
        return new SSLParameters();
    }

    /** Made on first use: the JVM initializes a class the first time it is used, once, whatever the threads. */
    private static final class Default {
        static final SSLContext CONTEXT;

        static {
            try {
                CONTEXT = SSLContext.getDefault();
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("no default TLS context in this JDK", e);
            }
        }
    }

    @Override
    protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom random) throws KeyManagementException {
        throw new KeyManagementException("the default TLS context is initialized by the JDK");
    }

    @Override
    protected SSLEngine engineCreateSSLEngine(String host, int port) {
        return Default.CONTEXT.createSSLEngine(host, port);
    }

    @Override
    protected SSLEngine engineCreateSSLEngine() {
        return Default.CONTEXT.createSSLEngine();
    }

    @Override
    protected SSLSocketFactory engineGetSocketFactory() {
        return Default.CONTEXT.getSocketFactory();
    }

    @Override
    protected SSLServerSocketFactory engineGetServerSocketFactory() {
        return Default.CONTEXT.getServerSocketFactory();
    }

    @Override
    protected SSLSessionContext engineGetServerSessionContext() {
        return Default.CONTEXT.getServerSessionContext();
    }

    @Override
    protected SSLSessionContext engineGetClientSessionContext() {
        return Default.CONTEXT.getClientSessionContext();
    }

    @Override
    protected SSLParameters engineGetDefaultSSLParameters() {
        return Default.CONTEXT.getDefaultSSLParameters();
    }

    @Override
    protected SSLParameters engineGetSupportedSSLParameters() {
        return Default.CONTEXT.getSupportedSSLParameters();
    }
}

package io.meshlive.cluster.staticrelay;

import io.meshlive.core.Admission;
import io.meshlive.core.Hub;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;

import javax.net.ssl.SSLException;
import java.net.InetAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * What every static relay of a node shares: the hub, a thread for DNS lookups (which block, so
 * never on an event loop), the TLS client context for rtmps:// and https://, the retry cap.
 */
final class RelayContext implements AutoCloseable {
    private final Hub hub;
    private final Admission publishCheck;
    private final long retryMaxMillis;
    private final ExecutorService dns = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "meshlive-relay-dns");
        t.setDaemon(true);
        return t;
    });
    private volatile SslContext tls;

    RelayContext(Hub hub, Admission publishCheck, long retryMaxMillis) {
        this.hub = hub;
        this.publishCheck = publishCheck;
        this.retryMaxMillis = retryMaxMillis;
    }

    Hub hub() {
        return hub;
    }

    /** What a pull must pass before it publishes: the node's forbid list (not signed URLs or webhooks: the operator configured it). */
    Admission publishCheck() {
        return publishCheck;
    }

    long retryMaxMillis() {
        return retryMaxMillis;
    }

    /** Looks {@code host} up on the DNS thread. */
    CompletableFuture<InetAddress> resolve(String host) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return InetAddress.getByName(host);
            } catch (java.net.UnknownHostException e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        }, dns);
    }

    /** The TLS client context (the JDK's trusted roots), made on first use. */
    SslContext tls() {
        SslContext c = tls;
        if (c == null) {
            synchronized (this) {
                if (tls == null) {
                    try {
                        tls = SslContextBuilder.forClient().build();
                    } catch (SSLException e) {
                        throw new IllegalStateException("cannot make a TLS client context: " + e.getMessage(), e);
                    }
                }
                c = tls;
            }
        }
        return c;
    }

    @Override
    public void close() {
        dns.shutdownNow();
    }
}

package io.meshlive.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the HTTP ports let strangers hold: connections in total and per client address (counted
 * across the plain and the TLS port), and how long a connection may take to send a request's
 * headers or sit between requests. One per node; {@link HttpConnectionGuard} applies it to each
 * connection.
 */
final class HttpConnectionLimits {
    private static final Logger log = LoggerFactory.getLogger(HttpConnectionLimits.class);
    /** Refusals are logged at most this often, with how many there were. */
    private static final long LOG_EVERY_NANOS = TimeUnit.SECONDS.toNanos(10);
    /** Written once to every refused plain-HTTP connection: the same bytes each time, no parsing, no allocation. */
    private static final ByteBuf BUSY = Unpooled.unreleasableBuffer(Unpooled.copiedBuffer(
            "HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain\r\nContent-Length: 32\r\nConnection: close\r\n\r\n"
                    + "too many connections; try later\n", StandardCharsets.US_ASCII).asReadOnly());

    final long headerTimeoutNanos;
    final long idleTimeoutNanos;
    private final int maxConnections;
    private final int maxPerAddress;
    private final AtomicInteger total = new AtomicInteger();
    /** Connections open per address; an address leaves the map with its last connection. Changed only by atomic per-key merges. */
    private final ConcurrentHashMap<InetAddress, Integer> perAddress = new ConcurrentHashMap<>();
    private final AtomicLong refusedSinceLog = new AtomicLong();
    private final AtomicLong lastLogNanos = new AtomicLong(System.nanoTime() - LOG_EVERY_NANOS);

    HttpConnectionLimits(ServerConfig.Http http) {
        this.headerTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(http.headerTimeoutMs);
        this.idleTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(http.idleTimeoutMs);
        this.maxConnections = http.maxConnections;
        this.maxPerAddress = http.maxConnectionsPerAddress;
    }

    /** Takes a place for a new connection from {@code address}; false when a cap is reached (nothing is taken then). */
    boolean tryAcquire(InetAddress address) {
        if (total.incrementAndGet() > maxConnections) {
            total.decrementAndGet();
            refused("http.maxConnections", maxConnections, address);
            return false;
        }
        // One atomic step per key: a counter fetched first and incremented after could meanwhile be removed
        // by another loop's release, and the connection would be counted nowhere.
        if (perAddress.merge(address, 1, Integer::sum) > maxPerAddress) {
            release(address);
            refused("http.maxConnectionsPerAddress", maxPerAddress, address);
            return false;
        }
        return true;
    }

    /** Gives back the place {@link #tryAcquire} took. */
    void release(InetAddress address) {
        total.decrementAndGet();
        perAddress.computeIfPresent(address, (a, n) -> n <= 1 ? null : n - 1);
    }

    int open() {
        return total.get();
    }

    /** The canned answer to a refused plain-HTTP connection. */
    static ByteBuf busy() {
        return BUSY.duplicate();
    }

    private void refused(String key, int cap, InetAddress address) {
        long n = refusedSinceLog.incrementAndGet();
        long now = System.nanoTime();
        long last = lastLogNanos.get();
        if (now - last >= LOG_EVERY_NANOS && lastLogNanos.compareAndSet(last, now)) {
            refusedSinceLog.addAndGet(-n);
            log.warn("HTTP: refused {} connection(s) in the last {} s at the cap {}: {} (last from {}; {} open)",
                    n, TimeUnit.NANOSECONDS.toSeconds(now - last), key, cap, address.getHostAddress(), total.get());
        }
    }
}

package io.meshlive.testkit.lab;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * A TCP forwarder between a listen address and a target that behaves like a slower, farther link
 * ({@link LinkSpec}, each direction shaped on its own). Every accepted connection gets its own
 * connection to the target and two pipes; each pipe holds at most {@code bufferBytes} in flight
 * and stops reading beyond that, so a fast sender is slowed as by a real bottleneck. Loss becomes
 * a stall (see {@link LinkShaper}). Plain blocking sockets, two threads per pipe: a lab tool for a
 * handful of node-to-node connections, not for thousands.
 */
public final class TcpLink implements AutoCloseable {
    private static final int CHUNK = 16 * 1024;
    private static final int CONNECT_TIMEOUT_MILLIS = 5000;
    private static final AtomicLong SEEDS = new AtomicLong(1);

    private final ServerSocket server;
    private final InetSocketAddress target;
    private final LinkPolicy policy;
    /** What sizes each pipe's buffer (the policy's spec for a source may change; buffers do not). */
    private final LinkSpec spec;
    private final LinkStats stats = new LinkStats();
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private TcpLink(ServerSocket server, InetSocketAddress target, LinkSpec spec, LinkPolicy policy) {
        this.server = server;
        this.target = target;
        this.spec = spec;
        this.policy = policy;
    }

    /** Listens on {@code listen} (port 0: any free one) and forwards every connection to {@code target}. */
    public static TcpLink start(InetSocketAddress listen, InetSocketAddress target, LinkSpec spec) throws IOException {
        return start(listen, target, spec, LinkPolicy.fixed(spec));
    }

    /**
     * As {@link #start(InetSocketAddress, InetSocketAddress, LinkSpec)}, each connection shaped (both
     * ways) by what {@code policy} says for the connecting client's address, asked again for every
     * chunk; {@code buffers} sizes the pipes' buffers.
     */
    public static TcpLink start(InetSocketAddress listen, InetSocketAddress target, LinkSpec buffers, LinkPolicy policy)
            throws IOException {
        ServerSocket server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(listen, 128);
        TcpLink link = new TcpLink(server, target, buffers, policy);
        thread("tcp-link-accept-" + server.getLocalPort(), link::acceptLoop);
        return link;
    }

    public int port() {
        return server.getLocalPort();
    }

    public LinkSpec spec() {
        return spec;
    }

    public LinkStats stats() {
        return stats;
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            stats.connections.incrementAndGet();
            thread("tcp-link-connect", () -> connect(client));
        }
    }

    private void connect(Socket client) {
        Socket upstream = new Socket();
        sockets.add(client);
        sockets.add(upstream);
        try {
            client.setTcpNoDelay(true);
            upstream.setTcpNoDelay(true);
            upstream.connect(target, CONNECT_TIMEOUT_MILLIS);
        } catch (IOException e) {
            closeQuietly(client);
            closeQuietly(upstream);
            return;
        }
        long seed = SEEDS.getAndIncrement();
        java.util.concurrent.atomic.AtomicInteger open = new java.util.concurrent.atomic.AtomicInteger(2);
        Runnable ended = () -> {
            if (open.decrementAndGet() == 0) {
                closeQuietly(client);
                closeQuietly(upstream);
                sockets.remove(client);
                sockets.remove(upstream);
            }
        };
        InetAddress source = client.getInetAddress();
        Supplier<LinkSpec> specs = () -> policy.specFor(source);
        new Pipe(client, upstream, new LinkShaper(specs, true, seed), ended).start("up");
        new Pipe(upstream, client, new LinkShaper(specs, true, seed * 31 + 7), ended).start("down");
    }

    /** One direction: a reader that stamps each chunk with its arrival time, a writer that delivers it then. */
    private final class Pipe {
        private static final Chunk END = new Chunk(null, 0, 0);
        private final Socket from;
        private final Socket to;
        private final LinkShaper shaper;
        private final Semaphore room;
        /** Chunks in flight; their bytes are bounded by {@link #room}. */
        private final BlockingQueue<Chunk> queue = new LinkedBlockingQueue<>();
        private final int chunk;
        private final Runnable ended;

        Pipe(Socket from, Socket to, LinkShaper shaper, Runnable ended) {
            this.from = from;
            this.to = to;
            this.shaper = shaper;
            this.room = new Semaphore(spec.bufferBytes());
            this.chunk = Math.min(CHUNK, spec.bufferBytes());
            this.ended = ended;
        }

        void start(String direction) {
            thread("tcp-link-read-" + direction, this::read);
            thread("tcp-link-write-" + direction, this::write);
        }

        private void read() {
            try (InputStream in = from.getInputStream()) {
                while (true) {
                    byte[] buf = new byte[chunk];
                    int n = in.read(buf);
                    if (n < 0) {
                        break;
                    }
                    room.acquire(n);
                    long at = shaper.arrival(n, System.nanoTime());
                    stats.count(shaper.fate(), n);
                    queue.put(new Chunk(buf, n, at));
                }
            } catch (IOException | InterruptedException e) {
                // the connection ended or the link closed
            }
            queue.offer(END);
        }

        private void write() {
            try {
                OutputStream out = to.getOutputStream();
                while (true) {
                    Chunk c = queue.take();
                    if (c == END) {
                        to.shutdownOutput();
                        break;
                    }
                    waitUntil(c.arrival);
                    out.write(c.bytes, 0, c.length);
                    room.release(c.length);
                }
            } catch (IOException | InterruptedException e) {
                // A side is gone: so is the whole connection, as when a real link breaks.
                closeQuietly(from);
                closeQuietly(to);
            }
            ended.run();
        }
    }

    private record Chunk(byte[] bytes, int length, long arrival) {
    }

    /** Parks until {@code nanoTime}: the chunk's arrival is a point in time, not a condition to poll. */
    static void waitUntil(long nanoTime) {
        for (long left = nanoTime - System.nanoTime(); left > 0; left = nanoTime - System.nanoTime()) {
            LockSupport.parkNanos(left);
        }
    }

    static Thread thread(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        sockets.forEach(TcpLink::closeQuietly);
        sockets.clear();
    }
}

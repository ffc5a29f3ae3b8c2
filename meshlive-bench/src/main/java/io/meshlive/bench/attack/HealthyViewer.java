package io.meshlive.bench.attack;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * One HTTP-FLV viewer that plays through every attack: it counts the bytes it gets and the longest
 * silence between two reads, so the report can say whether the attacks cost a healthy viewer anything.
 */
final class HealthyViewer implements AutoCloseable {
    private final Socket socket;
    private final Thread thread;
    private volatile long bytes;
    private volatile long lastReadNanos = System.nanoTime();
    private volatile long maxGapNanos;
    /** The longest silence since {@link #markPhase()}: what one attack cost the viewer. */
    private volatile long phaseGapNanos;
    private volatile boolean ended;

    HealthyViewer(RawHttp http, String path) throws IOException {
        socket = http.open("127.0.0.1");
        socket.setSoTimeout(0);
        socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        thread = new Thread(this::read, "healthy-viewer");
        thread.setDaemon(true);
        thread.start();
    }

    private void read() {
        byte[] buf = new byte[64 * 1024];
        try {
            InputStream in = socket.getInputStream();
            int n;
            while ((n = in.read(buf)) > 0) {
                long now = System.nanoTime();
                if (bytes > 0) {
                    maxGapNanos = Math.max(maxGapNanos, now - lastReadNanos);
                    phaseGapNanos = Math.max(phaseGapNanos, now - lastReadNanos);
                }
                lastReadNanos = now;
                bytes += n;
            }
        } catch (IOException e) {
            // closed
        }
        ended = true;
    }

    long bytes() {
        return bytes;
    }

    long maxGapMillis() {
        return Math.max(maxGapNanos, bytes > 0 ? System.nanoTime() - lastReadNanos : 0) / 1_000_000;
    }

    /** Starts counting the longest silence anew (at the start of an attack). */
    void markPhase() {
        phaseGapNanos = 0;
    }

    long phaseGapMillis() {
        return Math.max(phaseGapNanos, bytes > 0 ? System.nanoTime() - lastReadNanos : 0) / 1_000_000;
    }

    boolean ended() {
        return ended;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}

package io.meshlive.server.it;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * An HTTP-FLV viewer that reads on its own thread and keeps score while the test does something
 * else: tags received, the media time reached, the longest silence between two tags, and when
 * and how the stream ended.
 */
final class FlvWatcher implements AutoCloseable {
    private final HttpFlvClient client;
    private final Thread thread;

    // Written by the reader thread only.
    private volatile long tags;
    private volatile long videoFrames;
    private volatile long mediaMillis = -1;
    private volatile long lastTagNanos;
    private volatile long maxGapNanos;
    private volatile long endedNanos;
    private volatile String endReason;

    private FlvWatcher(HttpFlvClient client, FlvTagReader reader, String name) {
        this.client = client;
        this.thread = new Thread(() -> read(reader), "flv-watcher-" + name);
        thread.setDaemon(true);
    }

    /** Connects to {@code stream} over HTTP-FLV, checks the file header and starts reading. */
    static FlvWatcher start(TestServer server, String stream) throws IOException {
        return start(server.host(), server.httpPort(), stream);
    }

    /** Like {@link #start(TestServer, String)}, from the node at {@code host:httpPort} (another process). */
    static FlvWatcher start(String host, int httpPort, String stream) throws IOException {
        HttpFlvClient client = HttpFlvClient.open(host, httpPort, stream, 0);
        try {
            FlvTagReader reader = client.flv();
            reader.readFileHeader();
            FlvWatcher w = new FlvWatcher(client, reader, stream);
            w.thread.start();
            return w;
        } catch (IOException | RuntimeException | Error e) {
            client.close();
            throw e;
        }
    }

    private void read(FlvTagReader reader) {
        String reason;
        try {
            FlvTag tag;
            while ((tag = reader.next()) != null) {
                count(tag, System.nanoTime());
            }
            reason = "closed by the server";
        } catch (IOException e) {
            reason = e.toString();
        }
        endReason = reason;
        endedNanos = System.nanoTime();
    }

    private void count(FlvTag tag, long now) {
        if (lastTagNanos != 0) {
            maxGapNanos = Math.max(maxGapNanos, now - lastTagNanos);
        }
        lastTagNanos = now;
        if (tag.isVideoFrame()) {
            videoFrames++;
            mediaMillis = tag.timestamp();
        }
        tags++;
    }

    long tags() {
        return tags;
    }

    long videoFrames() {
        return videoFrames;
    }

    /** Timestamp of the latest video frame received, in ms; -1 before the first. */
    long mediaMillis() {
        return mediaMillis;
    }

    /** The longest time between two consecutive tags so far. */
    long maxGapMillis() {
        return TimeUnit.NANOSECONDS.toMillis(maxGapNanos);
    }

    boolean isEnded() {
        return endedNanos != 0;
    }

    /** How the stream ended: "closed by the server", or the exception; null while it runs. */
    String endReason() {
        return endReason;
    }

    /** Waits for the stream to end and returns when it did ({@link System#nanoTime()}); fails the test after {@code limit}. */
    long awaitEnd(Duration limit) throws InterruptedException {
        thread.join(limit.toMillis());
        if (!isEnded()) {
            throw new AssertionError("the HTTP-FLV viewer is still receiving after " + limit.toMillis()
                    + " ms (" + tags + " tags so far)");
        }
        return endedNanos;
    }

    @Override
    public String toString() {
        return "FLV viewer: " + tags + " tags, " + videoFrames + " video frames up to " + mediaMillis
                + " ms, longest silence " + maxGapMillis() + " ms" + (isEnded() ? ", ended: " + endReason : "");
    }

    @Override
    public void close() throws IOException, InterruptedException {
        client.close();
        thread.join(2000);
    }
}

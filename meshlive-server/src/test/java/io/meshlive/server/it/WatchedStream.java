package io.meshlive.server.it;

import io.meshlive.testkit.TestPattern;
import io.meshlive.testkit.Ffmpeg;
import io.meshlive.testkit.ExternalProcess;
import java.io.IOException;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A live stream that ffmpeg publishes and an HTTP-FLV viewer watches, for tests that throw bad
 * clients at the node next to it: {@link #mark} before each one, {@link #assertStillPlaying}
 * after, and the viewer must have received more, with the publisher still on.
 */
final class WatchedStream implements AutoCloseable {
    private final String name;
    private final ExternalProcess publisher;
    private final FlvWatcher viewer;
    private long tagsAtMark;

    private WatchedStream(String name, ExternalProcess publisher, FlvWatcher viewer) {
        this.name = name;
        this.publisher = publisher;
        this.viewer = viewer;
    }

    /** Publishes {@code live/name} to {@code server}, waits for it to be live and starts watching it. */
    static WatchedStream start(TestServer server, String name) throws IOException {
        ExternalProcess publisher = Ffmpeg.publish(TestPattern.live(), server.rtmpUrl(name));
        try {
            server.awaitLive(name, publisher);
            return new WatchedStream(name, publisher, FlvWatcher.start(server, name));
        } catch (IOException | RuntimeException | Error e) {
            publisher.close();
            throw e;
        }
    }

    /** Notes how far the viewer got. */
    void mark() {
        tagsAtMark = viewer.tags();
    }

    /** The viewer received more since {@link #mark} (within {@code limit}), has not ended, and the publisher still runs. */
    void assertStillPlaying(Duration limit) {
        await("more tags at the viewer of live/" + name + ": " + viewer).atMost(limit)
                .until(() -> viewer.tags() > tagsAtMark);
        assertThat(viewer.isEnded()).as("%s", viewer).isFalse();
        assertThat(publisher.isAlive()).as("publisher: %s", publisher.describe()).isTrue();
    }

    FlvWatcher viewer() {
        return viewer;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        try {
            viewer.close();
        } finally {
            publisher.close();
        }
    }
}

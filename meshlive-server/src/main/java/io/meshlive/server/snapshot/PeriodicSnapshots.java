package io.meshlive.server.snapshot;

import io.meshlive.core.AccessRequest;
import io.meshlive.core.Hub;
import io.meshlive.core.Stream;
import io.meshlive.core.StreamKey;
import io.meshlive.server.hooks.Webhooks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * Every interval, saves a picture of each live stream of the enabled apps ({@link SnapshotFiles})
 * for content review and announces it with an {@code on_snapshot} webhook. A keyframe already
 * saved is not saved again: a stream whose GOP is longer than the interval gets one file per GOP.
 */
final class PeriodicSnapshots implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(PeriodicSnapshots.class);

    private final Hub hub;
    private final LiveSnapshots live;
    private final Set<String> apps;
    private final int width;
    private final SnapshotFiles files;
    private final Webhooks webhooks;
    /** Where files are written: not an event loop. */
    private final Executor io;
    private final Map<StreamKey, Long> lastSaved = new ConcurrentHashMap<>();

    PeriodicSnapshots(Hub hub, LiveSnapshots live, Set<String> apps, int width, SnapshotFiles files, Webhooks webhooks, Executor io) {
        this.hub = hub;
        this.live = live;
        this.apps = apps;
        this.width = width;
        this.files = files;
        this.webhooks = webhooks;
        this.io = io;
    }

    @Override
    public void run() {
        try {
            saveAll();
        } catch (RuntimeException e) {
            // A task that throws is never scheduled again: log and keep going.
            log.warn("periodic snapshots failed", e);
        }
    }

    private void saveAll() {
        lastSaved.keySet().removeIf(key -> hub.streams().get(key) == null);
        for (Stream s : hub.streams().all()) {
            StreamKey key = s.key();
            if (apps.contains(key.app())) {
                Instant now = Instant.now();
                // Failures were logged by LiveSnapshots, once per stream.
                live.latest(key, width).thenAcceptAsync(taken -> save(key, now, taken), io);
            }
        }
    }

    private void save(StreamKey key, Instant time, LiveSnapshot taken) {
        if (taken == null || Long.valueOf(taken.keyframeId()).equals(lastSaved.put(key, taken.keyframeId()))) {
            return;
        }
        Path file;
        try {
            file = files.write(key, time, taken.picture().jpeg());
        } catch (IOException e) {
            log.warn("stream {}: cannot save snapshot: {}", key, e.toString());
            return;
        }
        // Not a viewer's play: "snapshot" names who made the event, and there is no client.
        AccessRequest about = new AccessRequest(AccessRequest.Action.PLAY, "snapshot", key, Map.of(), null);
        webhooks.notify("on_snapshot", about, Map.of("path", file.toAbsolutePath().toString(),
                "size", taken.picture().jpeg().length, "width", taken.picture().width(), "height", taken.picture().height(),
                "takenAtMillis", time.toEpochMilli()));
    }
}

package io.meshlive.server.snapshot;

import io.meshlive.core.Hub;
import io.meshlive.server.hooks.Webhooks;
import io.meshlive.transcode.snapshot.SnapshotMaker;

import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Snapshots on one node: pictures on request ({@link LiveSnapshots}) and, for the apps that ask,
 * saved every interval ({@link PeriodicSnapshots}). One thread does all the decoding, encoding and
 * file writing: a picture costs milliseconds, and one thread caps what snapshots can take from
 * the I/O threads' cores.
 *
 * @param quality         JPEG quality 1-100
 * @param intervalSeconds how often the enabled apps' streams are saved
 * @param keep            files kept per stream
 * @param width           width of saved pictures; 0 = the stream's own
 * @param apps            the apps whose streams are saved
 */
public final class Snapshots implements AutoCloseable {
    /** How often the pictures of ended streams are forgotten. */
    private static final long SWEEP_SECONDS = 10;

    private final ScheduledThreadPoolExecutor thread;
    private final LiveSnapshots live;

    public Snapshots(Hub hub, int quality, int intervalSeconds, int keep, int width, Set<String> apps, Path dataDir, Webhooks webhooks) {
        this.thread = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "meshlive-snapshot");
            t.setDaemon(true);
            return t;
        });
        thread.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.live = new LiveSnapshots(hub, new SnapshotMaker(quality), thread);
        thread.scheduleWithFixedDelay(live::dropEnded, SWEEP_SECONDS, SWEEP_SECONDS, TimeUnit.SECONDS);
        if (!apps.isEmpty()) {
            SnapshotFiles files = new SnapshotFiles(dataDir.resolve("snapshots"), keep);
            thread.scheduleAtFixedRate(new PeriodicSnapshots(hub, live, Set.copyOf(apps), width, files, webhooks, thread),
                    intervalSeconds, intervalSeconds, TimeUnit.SECONDS);
        }
    }

    public LiveSnapshots live() {
        return live;
    }

    @Override
    public void close() throws InterruptedException {
        // Decodes already queued still run, so the keyframes they hold are released.
        thread.shutdown();
        thread.awaitTermination(2, TimeUnit.SECONDS);
    }
}

package io.meshlive.hls;

import io.meshlive.core.Hub;
import io.meshlive.core.PublishListener;
import io.meshlive.core.Session;
import io.meshlive.core.Stream;
import io.meshlive.core.StreamKey;
import io.netty.channel.EventLoop;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The node's running {@link HlsPackager}s, one per live stream and flavour: a packager starts
 * with the first request while its stream is live (or at publish, when {@link
 * HlsSettings#onDemand()} is off) and stops after {@link HlsSettings#idleMillis()} without one.
 * On a node that pulls streams from elsewhere (a cluster edge), a player's request for a stream
 * not live here starts its packager anyway: subscribing is what asks the hub for the pull.
 */
final class HlsPackagers {
    /**
     * At most this many packagers wait for a pull at once: a stranger asking for names that exist
     * nowhere holds one each until the hub gives up on the stream (no origin within the cluster's
     * grace, then the publisher-gone timeout), so their number is bounded here.
     */
    static final int MAX_WAITING_FOR_PULL = 64;

    private record Key(StreamKey stream, Flavour flavour) {
    }

    private final Hub hub;
    private final HlsSettings settings;
    private final ConcurrentHashMap<Key, HlsPackager> packagers = new ConcurrentHashMap<>();
    /** Packagers started for a stream not live here, until the pull feeds them (or they close). */
    private final Set<Key> waitingForPull = ConcurrentHashMap.newKeySet();

    HlsPackagers(Hub hub, HlsSettings settings) {
        this.hub = hub;
        this.settings = settings;
        if (!settings.onDemand()) {
            hub.onPublish(new PackageFromPublish());
        }
    }

    /** hls.onDemand false: both flavours are packaged from the moment a stream is published. */
    private final class PackageFromPublish implements PublishListener {
        @Override
        public void published(Stream stream, Session publisher) {
            StreamKey key = stream.key();
            // Called holding the stream's lock: the packagers are started from a loop.
            hub.workers().loop(Math.floorMod(key.hashCode(), hub.workers().size())).execute(() -> {
                for (Flavour flavour : Flavour.values()) {
                    HlsPackager p = get(key, flavour);
                    if (p != null) {
                        p.touched();
                    }
                }
            });
        }

        @Override
        public void unpublished(Stream stream, Session publisher) {
            // The packagers stay for a publisher that comes back; without one they go when idle.
        }
    }

    /** Whether {@code key} has a publisher now. */
    private boolean published(StreamKey key) {
        Stream live = hub.streams().get(key);
        return live != null && live.publisher() != null;
    }

    /** The packager of {@code key} in {@code flavour}, started if need be; null when the stream is not live here. Any thread. */
    HlsPackager get(StreamKey key, Flavour flavour) {
        return get(new Key(key, flavour), false);
    }

    /**
     * Like {@link #get}, for a player's request: where the hub can pull streams from elsewhere, a
     * stream not live here is packaged too (its first playlist waits for the pull), up to {@link
     * #MAX_WAITING_FOR_PULL} of them at once; null past that, or when nothing could feed it.
     */
    HlsPackager getOrPull(StreamKey key, Flavour flavour) {
        return get(new Key(key, flavour), hub.streams().feedsOnDemand());
    }

    private HlsPackager get(Key k, boolean pull) {
        HlsPackager existing = packagers.get(k);
        if (existing != null && !existing.closed()) {
            return existing;
        }
        boolean waits = !published(k.stream());
        if (waits && !(pull && reserveWaitingPlace(k))) {
            return null;
        }
        EventLoop loop = hub.workers().loop(Math.floorMod(k.hashCode(), hub.workers().size()));
        HlsPackager fresh = new HlsPackager(k.flavour(), settings, loop, k.stream(), waits);
        HlsPackager won = packagers.compute(k, (kk, old) -> old == null || old.closed() ? fresh : old);
        if (won == fresh) {
            loop.execute(() -> {
                hub.streams().subscribe(k.stream(), fresh);
                watchIdle(k, fresh);
            });
        }
        return won;
    }

    /** Whether one more packager may wait for a pull (those the pull fed, or that closed, leave first). */
    private boolean reserveWaitingPlace(Key k) {
        waitingForPull.removeIf(w -> {
            HlsPackager p = packagers.get(w);
            return p == null || p.closed() || p.fed();
        });
        if (waitingForPull.size() >= MAX_WAITING_FOR_PULL) {
            return false;
        }
        waitingForPull.add(k);
        return true;
    }

    private void watchIdle(Key k, HlsPackager p) {
        p.eventLoop().schedule(() -> {
            // Packaged from publish (not on demand): kept while the stream has a publisher.
            if (p.closed() || p.idle(System.nanoTime()) && (settings.onDemand() || !published(k.stream()))) {
                p.close();
                packagers.remove(k, p);
            } else {
                watchIdle(k, p);
            }
        }, Math.max(1000, settings.idleMillis() / 4), TimeUnit.MILLISECONDS);
    }

    /** Stops every packager (shutdown). */
    void close() {
        packagers.values().forEach(p -> p.eventLoop().execute(p::close));
        packagers.clear();
    }
}

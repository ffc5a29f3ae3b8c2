package io.meshlive.hls;

import io.meshlive.core.Hub;
import io.meshlive.core.Session;
import io.meshlive.core.StreamKey;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * HLS players as sessions, so the API, the console and the metrics count them like RTMP and FLV
 * viewers. HLS has no connection per player, so a session is what one client (address and
 * User-Agent) fetches of one stream, and it ends after a quiet spell. Keying by client rather
 * than by a token in the URL keeps every player working unchanged (no redirect, no rewritten
 * URIs); clients behind one NAT with the same player count once.
 */
final class HlsSessions {
    /** A player is gone after this long without a request (several target durations). */
    static final long QUIET_NANOS = TimeUnit.SECONDS.toNanos(15);
    /** How long a kicked client is refused. */
    static final long KICK_NANOS = TimeUnit.SECONDS.toNanos(60);

    private record Key(StreamKey stream, Flavour flavour, String client, String userAgent) {
    }

    private final Hub hub;
    private final ConcurrentHashMap<Key, HlsSession> live = new ConcurrentHashMap<>();
    /** Kicked clients and when they were kicked. */
    private final ConcurrentHashMap<Key, Long> kicked = new ConcurrentHashMap<>();

    HlsSessions(Hub hub) {
        this.hub = hub;
    }

    /** One client's HLS session: requests refresh it; kicking it refuses the client for a while. */
    final class HlsSession extends Session {
        private final Key key;
        private volatile long lastSeenNanos = System.nanoTime();

        private HlsSession(Key key) {
            super(key.flavour() == Flavour.TS ? "hls" : "ll-hls", Role.VIEWER, key.client());
            this.key = key;
            this.stream = key.stream();
        }

        @Override
        public void close(String reason) {
            kicked.put(key, System.nanoTime());
            end();
        }

        private void end() {
            if (live.remove(key, this)) {
                hub.sessions().remove(this);
            }
        }

        /** Counts bytes sent; several loops may add, and a racy counter is fine for stats. */
        void sent(int bytes) {
            bytesOut += bytes;
        }
    }

    /** The session a request belongs to, created on the client's first request; null while the client is kicked. */
    HlsSession touch(StreamKey stream, Flavour flavour, String client, String userAgent) {
        Key key = new Key(stream, flavour, client, userAgent == null ? "" : userAgent);
        long now = System.nanoTime();
        Long kickedAt = kicked.get(key);
        if (kickedAt != null) {
            if (now - kickedAt < KICK_NANOS) {
                return null;
            }
            kicked.remove(key, kickedAt);
        }
        HlsSession s = live.computeIfAbsent(key, k -> {
            HlsSession fresh = new HlsSession(k);
            hub.sessions().add(fresh);
            return fresh;
        });
        s.lastSeenNanos = now;
        return s;
    }

    /** Ends sessions quiet for too long and forgets expired kicks; {@code now} is System.nanoTime(). */
    void sweep(long now) {
        for (HlsSession s : live.values()) {
            if (now - s.lastSeenNanos > QUIET_NANOS) {
                s.end();
            }
        }
        kicked.values().removeIf(at -> now - at >= KICK_NANOS);
    }

    int size() {
        return live.size();
    }
}

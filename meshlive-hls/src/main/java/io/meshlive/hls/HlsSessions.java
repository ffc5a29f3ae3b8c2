package io.meshlive.hls;

import io.meshlive.core.Hub;
import io.meshlive.core.Session;
import io.meshlive.core.StreamKey;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * HLS players as sessions, so the API, the console and the metrics count them like RTMP and FLV
 * viewers. HLS has no connection per player, so a session is named by a token: admitting a
 * player's first playlist request starts one, and every URI the player is then given carries the
 * token ({@code ?session=TOKEN}), so its later requests are counted against it and not admitted
 * again. A session ends after a quiet spell; a kicked one's token is refused for a while.
 */
final class HlsSessions {
    /** The query parameter that carries the token. */
    static final String TOKEN_PARAM = "session";
    /** A player is gone after this long without a request (several target durations). */
    static final long QUIET_NANOS = TimeUnit.SECONDS.toNanos(15);
    /** How long a kicked token is refused. */
    static final long KICK_NANOS = TimeUnit.SECONDS.toNanos(60);
    /** 128 random bits, base64url: what {@link #newToken()} makes and {@link #start} accepts. */
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{22}");

    private final Hub hub;
    private final SecureRandom random = new SecureRandom();
    private final ConcurrentHashMap<String, HlsSession> live = new ConcurrentHashMap<>();
    /** Kicked tokens and when they were kicked. */
    private final ConcurrentHashMap<String, Long> kicked = new ConcurrentHashMap<>();

    HlsSessions(Hub hub) {
        this.hub = hub;
    }

    /** One player's HLS session: requests refresh it; kicking it refuses its token for a while. */
    final class HlsSession extends Session {
        private final String token;
        private final Flavour flavour;
        /** {@code ?session=TOKEN}: what its playlists append to every URI, encoded once. */
        private final byte[] uriQuery;
        /** The only address its token is good from (its admission was bound to it), or null: any. */
        private final String boundIp;
        private volatile long lastSeenNanos = System.nanoTime();

        private HlsSession(String token, StreamKey stream, Flavour flavour, String clientIp, String boundIp) {
            super(flavour == Flavour.TS ? "hls" : "ll-hls", Role.VIEWER, clientIp);
            this.token = token;
            this.flavour = flavour;
            this.boundIp = boundIp;
            this.uriQuery = ("?" + TOKEN_PARAM + "=" + token).getBytes(StandardCharsets.US_ASCII);
            this.stream = stream;
        }

        String token() {
            return token;
        }

        /** Whether its token serves {@code stream} in {@code flavour} to a request from {@code clientIp}. */
        private boolean serves(StreamKey stream, Flavour flavour, String clientIp) {
            return stream().equals(stream) && this.flavour == flavour && (boundIp == null || boundIp.equals(clientIp));
        }

        /** What the playlists it is given append to their URIs, so its requests carry its token; not to be modified. */
        byte[] uriQuery() {
            return uriQuery;
        }

        @Override
        public void close(String reason) {
            kicked.put(token, System.nanoTime());
            end();
        }

        /** Ends the session without refusing its token (quiet, or its stream ended). */
        void end() {
            if (live.remove(token, this)) {
                hub.sessions().remove(this);
            }
        }

        /** Counts bytes sent; several loops may add, and a racy counter is fine for stats. */
        void sent(int bytes) {
            bytesOut += bytes;
        }
    }

    /** A fresh token, for a player that has none. */
    String newToken() {
        byte[] bits = new byte[16];
        random.nextBytes(bits);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bits);
    }

    /** Whether the token was kicked recently. */
    boolean kicked(String token) {
        Long at = kicked.get(token);
        return at != null && System.nanoTime() - at < KICK_NANOS;
    }

    /**
     * The live session the token names for this stream and flavour, refreshed; null when there is
     * none (never was, went quiet, names another stream, or is bound to another address than
     * {@code clientIp}), so the request must be admitted.
     */
    HlsSession find(String token, StreamKey stream, Flavour flavour, String clientIp) {
        HlsSession s = token == null ? null : live.get(token);
        if (s == null || !s.serves(stream, flavour, clientIp)) {
            return null;
        }
        s.lastSeenNanos = System.nanoTime();
        return s;
    }

    /**
     * Starts the session of an admitted player under {@code token} (one of ours, or one a player
     * whose session went quiet still carries); null when the token is malformed, kicked, or a live
     * session's bound to another address. {@code boundIp}: the address the admission holds for
     * only, or null.
     */
    HlsSession start(String token, StreamKey stream, Flavour flavour, String clientIp, String boundIp) {
        if (!TOKEN.matcher(token).matches() || kicked(token)) {
            return null;
        }
        HlsSession s = live.computeIfAbsent(token, t -> {
            HlsSession fresh = new HlsSession(t, stream, flavour, clientIp, boundIp);
            hub.sessions().add(fresh);
            return fresh;
        });
        return s.serves(stream, flavour, clientIp) ? s : null;
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

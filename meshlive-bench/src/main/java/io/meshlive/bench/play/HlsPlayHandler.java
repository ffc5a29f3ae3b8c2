package io.meshlive.bench.play;

import io.meshlive.bench.StreamUrl;
import io.meshlive.rtmp.client.WhyClosedHandler;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.ReferenceCountUtil;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * An LL-HLS player as hls.js plays in low-latency mode, on two keep-alive connections: one loads
 * the playlist and then, in a loop, its next blocking reload ({@code _HLS_msn}/{@code _HLS_part} of
 * the preload hint); the other loads {@code init.mp4} and then each preload-hinted part as soon as
 * a playlist names it, so both wait on the server for the same part. Only playlist text is parsed;
 * parts are counted and released.
 */
final class HlsPlayHandler {
    static final int MAX_RESPONSE = 4 * 1024 * 1024;
    private static final long RETRY_MILLIS = 1000;
    private static final String PART_TAG = "#EXT-X-PART:";
    private static final String HINT_TAG = "#EXT-X-PRELOAD-HINT:";

    /** A part's place: media sequence number and index in its segment. */
    record PartId(long msn, int part) implements Comparable<PartId> {
        /** {@code part-M.K.m4s}, possibly after a path and before a query; null for anything else. */
        static PartId ofUri(String uri) {
            int query = uri.indexOf('?');
            if (query >= 0) {
                uri = uri.substring(0, query);
            }
            int start = uri.lastIndexOf("part-");
            int dot = start < 0 ? -1 : uri.indexOf('.', start);
            int end = uri.endsWith(".m4s") ? uri.length() - 4 : -1;
            if (dot < 0 || end <= dot) {
                return null;
            }
            try {
                return new PartId(Long.parseLong(uri, start + 5, dot, 10), Integer.parseInt(uri, dot + 1, end, 10));
            } catch (NumberFormatException e) {
                return null;
            }
        }

        @Override
        public int compareTo(PartId o) {
            return msn != o.msn ? Long.compare(msn, o.msn) : Integer.compare(part, o.part);
        }

        boolean after(PartId o) {
            return o == null || compareTo(o) > 0;
        }
    }

    private final Player player;
    private final StreamUrl url;
    private final String hostHeader;
    private final Connection playlists = new Connection(true);
    private final Connection parts = new Connection(false);
    /** The newest preload hint read from a playlist. */
    private PartId hint;
    /** The parts the newest playlist lists, in order: fetched before the hint, as hls.js does. */
    private final java.util.List<PartId> listed = new java.util.ArrayList<>();
    /** The part requested on the part connection, or null when none is out. */
    private PartId fetching;
    private long fetchStartNanos;
    private boolean initLoaded;
    /** The last part received (or given up on). */
    private PartId fetched;
    /** Parts up to here had their playlist duration added to {@link #mediaMillis}. */
    private PartId credited;
    private double mediaMillis;
    private String reloadTarget;
    /** The server's token for this player ({@code session=}), given by a redirect of the first playlist request. */
    private String session;
    private boolean initRequested;

    HlsPlayHandler(Player player, StreamUrl url) {
        this.player = player;
        this.url = url;
        this.hostHeader = url.host() + ":" + url.port();
    }

    /** The handler of the playlist connection, last in its pipeline. */
    WhyClosedHandler playlistConnection() {
        return playlists;
    }

    /** The handler of the part connection, last in its pipeline. */
    WhyClosedHandler partConnection() {
        return parts;
    }

    private String target(String file, String extraQuery) {
        String query = url.query();
        if (session != null) {
            query = query.isEmpty() ? "session=" + session : query + "&session=" + session;
        }
        if (extraQuery != null) {
            query = query.isEmpty() ? extraQuery : query + "&" + extraQuery;
        }
        return url.hlsBase() + file + (query.isEmpty() ? "" : "?" + query);
    }

    private void onPlaylist(ChannelHandlerContext ctx, FullHttpResponse r) {
        HttpResponseStatus status = r.status();
        if (status.code() == HttpResponseStatus.FOUND.code() && session == null) {
            // Admitted: the server names this player's session; every later request carries it.
            session = new QueryStringDecoder(r.headers().get(HttpHeaderNames.LOCATION, "")).parameters()
                    .getOrDefault("session", java.util.List.of("")).get(0);
            if (session.isEmpty()) {
                playlists.fail(ctx, "redirected without a session token: " + r.headers().get(HttpHeaderNames.LOCATION));
                return;
            }
            playlists.get(ctx, target("index.m3u8", null));
            requestInit();
        } else if (status.code() == HttpResponseStatus.OK.code()) {
            player.onReload();
            PartId next = read(r.content().toString(StandardCharsets.UTF_8));
            if (next == null) {
                playlists.fail(ctx, "the playlist has no parts (not LL-HLS)");
                return;
            }
            reloadTarget = target("index.m3u8", "_HLS_msn=" + next.msn() + "&_HLS_part=" + next.part());
            playlists.get(ctx, reloadTarget);
            requestPart();
        } else if (status.code() == HttpResponseStatus.SERVICE_UNAVAILABLE.code() && reloadTarget != null) {
            player.onStall();
            playlists.get(ctx, reloadTarget); // the server already waited its blocking timeout
        } else {
            player.onHttpError();
            reloadTarget = null;
            ctx.executor().schedule(() -> playlists.get(ctx, target("index.m3u8", null)), RETRY_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Takes the preload hint and the durations of parts received since, and returns the part the
     * next blocking reload waits for: the hinted one, else the one after the last part (the first
     * of the next segment when the last part's segment is complete); null when there are no parts.
     */
    private PartId read(String playlist) {
        PartId newHint = null;
        PartId lastPart = null;
        boolean segmentClosed = false;
        listed.clear();
        int at = 0;
        while (at < playlist.length()) {
            int end = playlist.indexOf('\n', at);
            if (end < 0) {
                end = playlist.length();
            }
            if (playlist.startsWith(PART_TAG, at)) {
                String line = playlist.substring(at, end);
                PartId id = PartId.ofUri(attribute(line, "URI"));
                if (id != null) {
                    lastPart = id;
                    segmentClosed = false;
                    listed.add(id);
                }
                if (id != null && fetched != null && !id.after(fetched) && id.after(credited)) {
                    mediaMillis += 1000 * Double.parseDouble(attribute(line, "DURATION"));
                    credited = id;
                    player.mediaTime((long) mediaMillis);
                }
            } else if (playlist.startsWith("#EXTINF:", at)) {
                segmentClosed = true;
            } else if (playlist.startsWith(HINT_TAG, at)) {
                String line = playlist.substring(at, end);
                if (line.contains("TYPE=PART")) {
                    newHint = PartId.ofUri(attribute(line, "URI"));
                }
            }
            at = end + 1;
        }
        if (newHint == null) {
            if (lastPart == null) {
                return null;
            }
            player.onMissingHint();
            return segmentClosed ? new PartId(lastPart.msn() + 1, 0) : new PartId(lastPart.msn(), lastPart.part() + 1);
        }
        if (newHint.after(hint)) {
            hint = newHint;
        }
        return newHint;
    }

    /** An attribute's value without quotes, or "" when absent. */
    private static String attribute(String line, String name) {
        int i = line.indexOf(name + "=");
        while (i > 0 && line.charAt(i - 1) != ':' && line.charAt(i - 1) != ',') {
            i = line.indexOf(name + "=", i + 1);
        }
        if (i < 0) {
            return "";
        }
        int start = i + name.length() + 1;
        if (start < line.length() && line.charAt(start) == '"') {
            int close = line.indexOf('"', start + 1);
            return line.substring(start + 1, close < 0 ? line.length() : close);
        }
        int comma = line.indexOf(',', start);
        return line.substring(start, comma < 0 ? line.length() : comma).trim();
    }

    /** The part connection starts with init.mp4, once it is connected and the player has its token. */
    private void requestInit() {
        if (parts.ctx != null && session != null && !initRequested) {
            initRequested = true;
            parts.get(parts.ctx, target("init.mp4", null));
        }
    }

    /**
     * Asks, when the part connection is free, for the first listed part after the last one fetched
     * (a segment's first part is often listed only after the hint moved past it), else the hint.
     */
    private void requestPart() {
        ChannelHandlerContext ctx = parts.ctx;
        if (ctx == null || !initLoaded || fetching != null) {
            return;
        }
        PartId next = null;
        for (PartId id : listed) {
            if (fetched == null ? id.equals(hint) : id.after(fetched)) {
                next = id;
                break;
            }
        }
        if (next == null) {
            next = hint;
        }
        if (next == null || !next.after(fetched)) {
            return;
        }
        fetching = next;
        fetchStartNanos = System.nanoTime();
        parts.get(ctx, target("part-" + next.msn() + "." + next.part() + ".m4s", null));
    }

    private void onPart(FullHttpResponse r) {
        int code = r.status().code();
        if (!initLoaded) {
            initLoaded = true;
            if (code != HttpResponseStatus.OK.code()) {
                player.onHttpError();
            }
        } else if (code == HttpResponseStatus.OK.code()) {
            player.onPart(System.nanoTime() - fetchStartNanos);
            fetched = fetching;
            fetching = null;
        } else {
            if (code == HttpResponseStatus.SERVICE_UNAVAILABLE.code()) {
                player.onStall(); // asked again: it was hinted, so it should come
            } else {
                if (code == HttpResponseStatus.NOT_FOUND.code()) {
                    player.onHintNotProduced(); // hinted, then the segment ended before it
                } else {
                    player.onHttpError();
                }
                fetched = fetching; // wait for the next hint
            }
            fetching = null;
        }
        requestPart();
    }

    /** One of the two connections: sends GETs, takes whole responses. */
    private final class Connection extends WhyClosedHandler {
        private final boolean isPlaylist;
        private ChannelHandlerContext ctx;

        Connection(boolean isPlaylist) {
            this.isPlaylist = isPlaylist;
        }

        void fail(ChannelHandlerContext ctx, String why) {
            close(ctx, why);
        }

        void get(ChannelHandlerContext ctx, String target) {
            if (!ctx.channel().isActive()) {
                return;
            }
            FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, target, Unpooled.EMPTY_BUFFER);
            request.headers().set(HttpHeaderNames.HOST, hostHeader)
                    .set(HttpHeaderNames.USER_AGENT, "meshlive-bench")
                    .set(HttpHeaderNames.ACCEPT, "*/*");
            ctx.writeAndFlush(request, ctx.voidPromise());
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) throws Exception {
            this.ctx = ctx;
            if (isPlaylist) {
                get(ctx, target("index.m3u8", null));
            } else {
                requestInit();
            }
            super.channelActive(ctx);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (!(msg instanceof FullHttpResponse r)) {
                    close(ctx, "unexpected " + msg.getClass().getSimpleName());
                } else if (r.decoderResult().isFailure()) {
                    close(ctx, "bad HTTP response: " + describe(r.decoderResult().cause()));
                } else if (isPlaylist) {
                    onPlaylist(ctx, r);
                } else {
                    onPart(r);
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        protected void ended(String reason) {
            player.closed((isPlaylist ? "playlist connection: " : "part connection: ") + reason);
            Connection other = isPlaylist ? parts : playlists;
            if (other.ctx != null) {
                other.ctx.close();
            }
        }
    }
}

package io.meshlive.hls;

import io.meshlive.core.Hub;
import io.meshlive.core.Stream;
import io.meshlive.core.StreamKey;
import io.meshlive.core.StreamStats;
import io.meshlive.hls.playlist.MasterPlaylist;
import io.meshlive.hls.playlist.RenditionReport;
import io.meshlive.hls.serve.BlockingReloads;
import io.meshlive.hls.serve.PartPosition;
import io.meshlive.media.Codec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Answers admitted HLS requests from the packagers' windows: playlists (waiting, as blocking
 * reloads, for the part they ask for), init segments, segments and parts, and master playlists.
 * Who may ask is {@link HlsService}'s business; this class only answers.
 */
final class HlsResponder {
    /** How far past the newest part a request may ask before it is refused rather than parked. */
    private static final int MAX_AHEAD_SEGMENTS = 2;
    private static final byte[] NO_BYTES = new byte[0];

    /** Who asked: where to answer, and the HLS session to count the answer against (null: none). */
    record Client(ChannelHandlerContext ctx, boolean keepAlive, HlsSessions.HlsSession session) {
        /** What the playlist appends to its URIs so the player's requests carry its token. */
        byte[] uriQuery() {
            return session == null ? NO_BYTES : session.uriQuery();
        }

        /** Whether an answer can still reach the player (it may have gone while its request was parked). */
        boolean listening() {
            return ctx.channel().isActive();
        }

        void send(FullHttpResponse r) {
            if (session != null) {
                session.sent(r.content().readableBytes());
            }
            respond(ctx, keepAlive, r);
        }
    }

    /**
     * What an HLS request names in its packager's window.
     *
     * @param file       {@code classic.m3u8} (the TS playlist), {@code index.m3u8}, {@code init.mp4},
     *                   or null for a segment or part
     * @param segment    the segment's sequence number (a segment or part), or -1
     * @param part       the part's index, or -1 for a whole segment
     */
    record Resource(String file, long segment, int part) {
    }

    private final Hub hub;
    private final HlsSettings settings;
    private final Variants variants;
    private final HlsPackagers packagers;

    HlsResponder(Hub hub, HlsSettings settings, Variants variants, HlsPackagers packagers) {
        this.hub = hub;
        this.settings = settings;
        this.variants = variants;
        this.packagers = packagers;
    }

    /** Answers {@code client} from {@code packager}'s loop, at once or when what it asks for exists. */
    void answerOnPackagerLoop(Client client, HlsPackager packager, Resource resource, Map<String, String> query) {
        packager.eventLoop().execute(() -> {
            packager.touched();
            FullHttpResponse immediate = answer(client, packager, resource, query);
            if (immediate != null) {
                client.send(immediate);
            }
        });
    }

    /** On the packager's loop: the response, or null when it was sent already or the request was parked. */
    private FullHttpResponse answer(Client client, HlsPackager p, Resource resource, Map<String, String> query) {
        if (p.closed()) {
            return error(HttpResponseStatus.NOT_FOUND, "the stream ended");
        }
        HlsWindow w = p.window();
        String file = resource.file();
        if ("classic.m3u8".equals(file)) {
            return whenReached(client, p, new PartPosition(0, -1), () -> playlist(p, false, client));
        }
        if ("index.m3u8".equals(file)) {
            boolean skip = "YES".equals(query.get("_HLS_skip")) || "v2".equals(query.get("_HLS_skip"));
            String msn = query.get("_HLS_msn");
            if (msn == null && query.containsKey("_HLS_part")) {
                return error(HttpResponseStatus.BAD_REQUEST, "_HLS_part needs _HLS_msn");
            }
            if (msn == null) {
                // A first load waits for one whole segment, so players that read only whole
                // segments (ffmpeg, older players) find something to play as well.
                return whenReached(client, p, new PartPosition(0, -1), () -> playlist(p, skip, client));
            }
            PartPosition wanted;
            try {
                wanted = new PartPosition(Long.parseLong(msn), query.containsKey("_HLS_part") ? Integer.parseInt(query.get("_HLS_part")) : -1);
            } catch (NumberFormatException e) {
                return error(HttpResponseStatus.BAD_REQUEST, "_HLS_msn and _HLS_part must be numbers");
            }
            if (wanted.msn() > w.newest().msn() + MAX_AHEAD_SEGMENTS) {
                return error(HttpResponseStatus.BAD_REQUEST, "_HLS_msn " + wanted.msn() + " is too far ahead of " + w.newest().msn());
            }
            return whenReached(client, p, wanted, () -> playlist(p, skip, client));
        }
        if ("init.mp4".equals(file)) {
            return whenReached(client, p, new PartPosition(0, 0), () -> p.init() == null
                    ? error(HttpResponseStatus.NOT_FOUND, "no init segment: the stream's codecs cannot be packaged")
                    : media(p.init(), "video/mp4"));
        }
        long seq = resource.segment();
        if (resource.part() < 0) {
            String type = p.flavour() == Flavour.TS ? "video/mp2t" : "video/mp4";
            ByteBuf seg = w.segment(seq);
            if (seg != null) {
                return media(seg, type);
            }
            if (seq <= w.newest().msn() - 1 || seq > w.newest().msn() + MAX_AHEAD_SEGMENTS) {
                return error(HttpResponseStatus.NOT_FOUND, "segment " + seq + " is not in the window");
            }
            return whenReached(client, p, new PartPosition(seq, -1), () -> {
                ByteBuf s = w.segment(seq);
                return s == null ? error(HttpResponseStatus.NOT_FOUND, "segment " + seq + " is gone") : media(s, type);
            });
        }
        int index = resource.part();
        ByteBuf part = w.part(seq, index);
        if (part != null) {
            return media(part, "video/mp4");
        }
        PartPosition wanted = new PartPosition(seq, index);
        if (wanted.compareTo(w.newest()) <= 0 || seq > w.newest().msn() + MAX_AHEAD_SEGMENTS) {
            return error(HttpResponseStatus.NOT_FOUND, "part " + seq + "." + index + " is not in the window");
        }
        // A preload hint: answered the moment the part is cut.
        return whenReached(client, p, wanted, () -> {
            ByteBuf b = w.part(seq, index);
            return b == null ? error(HttpResponseStatus.NOT_FOUND, "part " + seq + "." + index + " was not produced")
                    : media(b, "video/mp4");
        });
    }

    private interface Answer {
        FullHttpResponse get();
    }

    /** Sends the answer once {@code wanted} exists (at once if it does now); returns null, for {@link #answer}. */
    private FullHttpResponse whenReached(Client client, HlsPackager p, PartPosition wanted, Answer answer) {
        p.reloads().await(wanted, new BlockingReloads.Waiter() {
            @Override
            public void ready() {
                if (client.listening()) {
                    client.send(answer.get());
                }
            }

            @Override
            public void timedOut() {
                if (client.listening()) {
                    client.send(error(HttpResponseStatus.SERVICE_UNAVAILABLE,
                            "not produced within " + settings.blockingTimeoutMillis() + " ms"));
                }
            }
        });
        return null;
    }

    private FullHttpResponse playlist(HlsPackager p, boolean skip, Client client) {
        byte[] reports = p.flavour() == Flavour.CMAF
                ? RenditionReport.write(renditionReports(p.key())).getBytes(StandardCharsets.UTF_8) : NO_BYTES;
        ByteBuf text = p.window().playlistBytes(skip, client.uriQuery(), reports);
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, text);
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/vnd.apple.mpegurl")
                .set(HttpHeaderNames.CACHE_CONTROL, "no-cache");
        return r;
    }

    /**
     * Where each other live stream of {@code key}'s ladder has got. Asking for a report starts (and
     * keeps) that stream's LL-HLS packaging, so a player can switch to it the moment it wants to;
     * a stream with no part yet is left out.
     */
    private List<RenditionReport> renditionReports(StreamKey key) {
        List<RenditionReport> reports = new ArrayList<>();
        for (StreamKey sibling : variants.ladderOf(key)) {
            HlsPackager p = sibling.equals(key) ? null : packagers.get(sibling, Flavour.CMAF);
            if (p == null) {
                continue;
            }
            p.touched();
            PartPosition last = p.lastPart();
            if (last != null) {
                reports.add(new RenditionReport(lowLatencyUri(sibling), last.msn(), last.part()));
            }
        }
        return reports;
    }

    /** A stream's LL-HLS playlist, relative to another stream's playlist or master. */
    private static String lowLatencyUri(StreamKey k) {
        return "../" + k.name() + "/index.m3u8";
    }

    /**
     * The master playlist of {@code source} and its live renditions, from what the hub knows of
     * each stream: size, codecs and measured bit rate. URIs are relative to the master's own URL.
     */
    FullHttpResponse master(StreamKey source, boolean classic) {
        List<MasterPlaylist.Variant> list = new ArrayList<>();
        List<StreamKey> ladder = variants.ladderOf(source);
        // A rendition's own master lists it alone: its siblings are the source's to list.
        List<StreamKey> keys = !ladder.isEmpty() && ladder.get(0).equals(source) ? ladder : List.of(source);
        for (StreamKey k : keys) {
            Stream s = hub.streams().get(k);
            if (s == null || s.publisher() == null || s.stats().width() == 0) {
                continue;
            }
            StreamStats st = s.stats();
            String codecs = st.videoCodec() == Codec.H264
                    ? MasterPlaylist.avc1(st.videoProfile(), st.videoConstraints(), st.videoLevel()) : "";
            if (st.audioCodec() == Codec.AAC) {
                codecs += (codecs.isEmpty() ? "" : ",") + "mp4a.40.2";
            }
            String uri = classic ? k.name() + ".m3u8" : lowLatencyUri(k);
            list.add(new MasterPlaylist.Variant(Math.max(1, st.bitrateIn()), st.width(), st.height(), codecs, uri));
        }
        if (list.isEmpty()) {
            return error(HttpResponseStatus.NOT_FOUND, "stream " + source + " is not live");
        }
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                Unpooled.copiedBuffer(MasterPlaylist.write(list), StandardCharsets.UTF_8));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/vnd.apple.mpegurl")
                .set(HttpHeaderNames.CACHE_CONTROL, "no-cache");
        return r;
    }

    private static FullHttpResponse media(ByteBuf bytes, String type) {
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, bytes.retainedDuplicate());
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, type)
                .set(HttpHeaderNames.CACHE_CONTROL, "public, max-age=3600, immutable");
        return r;
    }

    static FullHttpResponse error(HttpResponseStatus status, String why) {
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.copiedBuffer(why + "\n", StandardCharsets.UTF_8));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8")
                .set(HttpHeaderNames.CACHE_CONTROL, "no-cache");
        return r;
    }

    static void respond(ChannelHandlerContext ctx, boolean keepAlive, FullHttpResponse r) {
        r.headers().set(HttpHeaderNames.CONTENT_LENGTH, r.content().readableBytes())
                .set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, "*");
        HttpUtil.setKeepAlive(r, keepAlive);
        var f = ctx.writeAndFlush(r);
        if (!keepAlive) {
            f.addListener(ChannelFutureListener.CLOSE);
        }
    }
}

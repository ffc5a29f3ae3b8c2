package io.meshlive.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshlive.core.Hub;
import io.meshlive.core.Session;
import io.meshlive.core.Stream;
import io.meshlive.core.StreamKey;
import io.meshlive.core.StreamStats;
import io.meshlive.flv.FlvEgress;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import org.HdrHistogram.Histogram;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Routes HTTP requests: FLV playback ({@code /app/stream.flv}, plain or WebSocket) and the stats API. */
final class HttpRouter extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Hub hub;

    HttpRouter(Hub hub) {
        this.hub = hub;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) throws Exception {
        if (!req.decoderResult().isSuccess()) {
            reply(ctx, req, HttpResponseStatus.BAD_REQUEST, text("malformed HTTP request"));
            return;
        }
        String path = new QueryStringDecoder(req.uri()).path();
        if (req.method() != HttpMethod.GET && req.method() != HttpMethod.HEAD) {
            reply(ctx, req, HttpResponseStatus.METHOD_NOT_ALLOWED, text("only GET is served here"));
            return;
        }
        if (path.endsWith(".flv")) {
            StreamKey key = streamKey(path.substring(1, path.length() - 4));
            if (key == null) {
                reply(ctx, req, HttpResponseStatus.BAD_REQUEST, text("expected /{app}/{stream}.flv with safe names"));
                return;
            }
            FlvEgress.serve(ctx, req, hub, key);
            return;
        }
        switch (path) {
            case "/api/v1/streams" -> reply(ctx, req, HttpResponseStatus.OK, json(Map.of("streams", streams())));
            case "/api/v1/sessions" -> reply(ctx, req, HttpResponseStatus.OK, json(Map.of("sessions", sessions())));
            default -> reply(ctx, req, HttpResponseStatus.NOT_FOUND, text("no such resource: " + path));
        }
    }

    private static StreamKey streamKey(String path) {
        try {
            return StreamKey.parse(path);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private List<Object> streams() {
        List<Object> list = new ArrayList<>();
        for (Stream s : hub.streams().all()) {
            StreamStats st = s.stats();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("app", s.key().app());
            m.put("stream", s.key().name());
            m.put("publishing", s.publisher() != null);
            m.put("videoCodec", st.videoCodec() == null ? null : st.videoCodec().displayName());
            m.put("audioCodec", st.audioCodec() == null ? null : st.audioCodec().displayName());
            m.put("width", st.width());
            m.put("height", st.height());
            m.put("sampleRate", st.sampleRate());
            m.put("channels", st.channels());
            m.put("frameRate", Math.round(st.frameRate() * 10) / 10.0);
            m.put("bitrateIn", st.bitrateIn());
            m.put("bytesIn", st.bytesIn());
            m.put("bytesOut", st.bytesOut());
            m.put("viewers", s.subscriberCount());
            m.put("skippedFrames", st.skippedFrames());
            m.put("latencyMicros", Map.of("recent", percentiles(st.recentLatency()), "total", percentiles(st.totalLatency())));
            list.add(m);
        }
        return list;
    }

    static Map<String, Object> percentiles(Histogram h) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("count", h.getTotalCount());
        m.put("p50", h.getValueAtPercentile(50));
        m.put("p90", h.getValueAtPercentile(90));
        m.put("p99", h.getValueAtPercentile(99));
        m.put("max", h.getMaxValue());
        return m;
    }

    private List<Object> sessions() {
        List<Object> list = new ArrayList<>();
        for (Session s : hub.sessions().all()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", s.id());
            m.put("protocol", s.protocol());
            m.put("role", s.role().name().toLowerCase());
            m.put("stream", String.valueOf(s.stream()));
            m.put("remoteAddress", s.remoteAddress());
            m.put("bytesIn", s.bytesIn());
            m.put("bytesOut", s.bytesOut());
            m.put("skippedFrames", s.skippedFrames());
            m.put("durationMillis", System.currentTimeMillis() - s.startedMillis());
            list.add(m);
        }
        return list;
    }

    private static FullHttpResponse json(Object body) throws Exception {
        ByteBuf content = Unpooled.wrappedBuffer(JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(body));
        FullHttpResponse r = new DefaultFullHttpResponse(io.netty.handler.codec.http.HttpVersion.HTTP_1_1, HttpResponseStatus.OK, content);
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
        return r;
    }

    private static FullHttpResponse text(String message) {
        ByteBuf content = Unpooled.copiedBuffer(message + "\n", StandardCharsets.UTF_8);
        FullHttpResponse r = new DefaultFullHttpResponse(io.netty.handler.codec.http.HttpVersion.HTTP_1_1, HttpResponseStatus.OK, content);
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
        return r;
    }

    private static void reply(ChannelHandlerContext ctx, FullHttpRequest req, HttpResponseStatus status, FullHttpResponse r) {
        r.setStatus(status);
        r.headers().set(HttpHeaderNames.CONTENT_LENGTH, r.content().readableBytes());
        r.headers().set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, "*");
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        HttpUtil.setKeepAlive(r, keepAlive);
        var f = ctx.writeAndFlush(r);
        if (!keepAlive) {
            f.addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}

package io.meshlive.server.control;

import io.meshlive.core.Hub;
import io.meshlive.core.LatencySummary;
import io.meshlive.core.Session;
import io.meshlive.core.Stream;
import io.meshlive.core.StreamKey;
import io.meshlive.core.StreamStats;
import io.meshlive.server.control.ControlApi.Reply;
import io.meshlive.server.control.ControlApi.Request;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code GET /api/v1/streams} and {@code GET /api/v1/streams/{app}/{stream}}: the live streams with
 * their codecs, rates, viewers by protocol and latency. (What lies under a stream,
 * {@code /streams/{app}/{stream}/{name}}, is the modules' registered with {@link ControlApi#addStreamRoutes}.)
 */
public final class StreamsApi implements ControlApi.Routes {
    private final Hub hub;

    public StreamsApi(Hub hub) {
        this.hub = hub;
    }

    @Override
    public Reply handle(Request req, String[] parts, SocketAddress remote) {
        HttpMethod m = req.method();
        if (parts.length == 1) {
            return Reply.only(m, HttpMethod.GET, true, () -> Reply.ok(Map.of("streams", streamList())));
        }
        if (parts.length != 3) {
            return Reply.error(HttpResponseStatus.NOT_FOUND, "expected /api/v1/streams/{app}/{stream}");
        }
        StreamKey key = new StreamKey(parts[1], parts[2]); // refuses unsafe names with a 400
        Stream s = hub.streams().get(key);
        return Reply.only(m, HttpMethod.GET, true, () -> s == null
                ? Reply.error(HttpResponseStatus.NOT_FOUND, "stream " + key + " is not live")
                : Reply.ok(describe(s, viewersByProtocol().getOrDefault(key, Map.of()))));
    }

    private Map<StreamKey, Map<String, Integer>> viewersByProtocol() {
        Map<StreamKey, Map<String, Integer>> out = new HashMap<>();
        for (Session s : hub.sessions().all()) {
            if (s.role() == Session.Role.VIEWER && s.stream() != null) {
                out.computeIfAbsent(s.stream(), k -> new TreeMap<>()).merge(s.protocol(), 1, Integer::sum);
            }
        }
        return out;
    }

    private List<Object> streamList() {
        Map<StreamKey, Map<String, Integer>> viewers = viewersByProtocol();
        List<Object> list = new ArrayList<>();
        for (Stream s : hub.streams().all()) {
            list.add(describe(s, viewers.getOrDefault(s.key(), Map.of())));
        }
        return list;
    }

    private static Map<String, Object> describe(Stream s, Map<String, Integer> viewers) {
        StreamStats st = s.stats();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("app", s.key().app());
        m.put("stream", s.key().name());
        m.put("publishing", s.publisher() != null);
        m.put("uptimeMillis", st.publishedSinceMillis() == 0 ? 0 : System.currentTimeMillis() - st.publishedSinceMillis());
        m.put("videoCodec", st.videoCodec() == null ? null : st.videoCodec().displayName());
        m.put("width", st.width());
        m.put("height", st.height());
        m.put("frameRate", Math.round(st.frameRate() * 10) / 10.0);
        m.put("audioCodec", st.audioCodec() == null ? null : st.audioCodec().displayName());
        m.put("sampleRate", st.sampleRate());
        m.put("channels", st.channels());
        m.put("bitrateIn", st.bitrateIn());
        m.put("bitrateOut", st.bitrateOut());
        m.put("bytesIn", st.bytesIn());
        m.put("bytesOut", st.bytesOut());
        // People watching: viewer sessions on every protocol (an HLS viewer is its session token).
        // Subscribers also count the node's own readers: HLS packagers, transcoders, recorders.
        m.put("viewers", viewers.values().stream().mapToInt(Integer::intValue).sum());
        m.put("viewersByProtocol", viewers);
        m.put("subscribers", s.subscriberCount());
        m.put("skippedFrames", st.skippedFrames());
        Map<String, Object> latency = new LinkedHashMap<>();
        latency.put("recent", LatencySummary.of(st.recentLatency()));
        latency.put("total", st.totalLatency());
        m.put("latencyMicros", latency);
        m.put("behindOriginMicros", st.behindOrigin());
        return m;
    }
}

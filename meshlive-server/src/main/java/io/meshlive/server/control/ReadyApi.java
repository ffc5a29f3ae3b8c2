package io.meshlive.server.control;

import io.meshlive.webrtc.WebRtcService;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.net.SocketAddress;
import java.util.Map;

/**
 * {@code GET /api/v1/ready}: readiness, apart from liveness ({@code /health}). 200 once the
 * node's start is over, 503 before, with how far it is: a load balancer or an orchestrator sends
 * viewers to a node only once it answers 200, so a join surge never meets the JIT still compiling
 * the WebRTC warm-up's code ({@code webrtc.warmUpJoins}).
 */
public final class ReadyApi implements ControlApi.Routes {
    private final WebRtcService webrtc;

    public ReadyApi(WebRtcService webrtc) {
        this.webrtc = webrtc;
    }

    @Override
    public ControlApi.Reply handle(ControlApi.Request req, String[] parts, SocketAddress remote) {
        return ControlApi.Reply.only(req.method(), HttpMethod.GET, parts.length == 1, () -> {
            WebRtcService.WarmUpState warmUp = webrtc.warmUpState();
            Map<String, Object> body = Map.of("ready", warmUp.over(),
                    "webrtcWarmUp", Map.of("played", warmUp.played(), "viewers", warmUp.viewers(), "over", warmUp.over()));
            return new ControlApi.Reply(warmUp.over() ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE, body);
        });
    }
}

package io.meshlive.cluster.staticrelay;

import io.meshlive.core.AccessRequest;
import io.meshlive.rtmp.client.RtmpUrl;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.timeout.IdleStateHandler;

import java.net.URI;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Pulls an RTMP or HTTP-FLV URL into a local stream, as its publisher, for as long as it exists. */
final class StaticPull extends StaticRelay {
    /** Response headers longer than this are not a media server's. */
    private static final int MAX_HTTP_HEADER = 16 * 1024;

    StaticPull(String id, RelaySpec spec, EventLoop loop, RelayContext context) {
        super(id, spec, loop, context, State.CONNECTING);
    }

    @Override
    void start() {
        loop.execute(this::connect);
    }

    /** A forbidden stream is not pulled: the attempt fails with the forbid's reason and is retried later. */
    @Override
    void admit(int mine, Runnable go) {
        AccessRequest request = new AccessRequest(AccessRequest.Action.PUBLISH, "relay", spec.key(), Map.of(), "");
        context.publishCheck().checkOn(loop, request, verdict -> {
            if (!current(mine)) {
                return;
            }
            if (verdict.allowed()) {
                go.run();
            } else {
                ended(mine, "publish refused: " + verdict.reason());
            }
        });
    }

    @Override
    void initChannel(Channel ch, int attempt) {
        boolean http = RelaySpec.isHttp(spec.url());
        PullPublisher publisher = new PullPublisher(http ? "flv-pull" : "rtmp-pull", ch, this, attempt);
        ch.pipeline().addLast(new IdleStateHandler(READ_IDLE_SECONDS, 0, 0, TimeUnit.SECONDS));
        if (http) {
            if (tls) {
                ch.pipeline().addLast(context.tls().newHandler(ch.alloc(), host, port));
            }
            ch.pipeline().addLast(new HttpClientCodec(4096, MAX_HTTP_HEADER, 64 * 1024),
                    new FlvPullHandler(URI.create(spec.url()), publisher, this, attempt));
        } else {
            RtmpUrl url = RtmpUrl.parse(spec.url());
            new RtmpPullSession(url, publisher, this, attempt).install(ch.pipeline(), url.tls() ? context.tls() : null);
        }
    }

}

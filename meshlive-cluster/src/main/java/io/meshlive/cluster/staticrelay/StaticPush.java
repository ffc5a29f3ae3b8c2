package io.meshlive.cluster.staticrelay;

import io.meshlive.core.Stream;
import io.meshlive.rtmp.client.RtmpUrl;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;

/**
 * Pushes a local stream to an RTMP URL while the stream has a publisher: it connects when a
 * publisher comes, disconnects when it goes (the remote sees an unpublish, as from an encoder),
 * and retries with backoff in between if the remote fails.
 */
final class StaticPush extends StaticRelay {
    StaticPush(String id, RelaySpec spec, EventLoop loop, RelayContext context) {
        super(id, spec, loop, context, live(context, spec) ? State.CONNECTING : State.IDLE);
    }

    private static boolean live(RelayContext context, RelaySpec spec) {
        Stream stream = context.hub().streams().get(spec.key());
        return stream != null && stream.publisher() != null;
    }

    @Override
    void start() {
        loop.execute(live(context, spec) ? this::connect : () -> idle("waiting for a publisher"));
    }

    /** The stream has a new publisher; any thread. */
    void publisherCame() {
        loop.execute(() -> {
            // A new publisher is a new timeline: the remote gets a fresh publish, as from a reconnecting encoder.
            idle("the stream has a new publisher");
            connect();
        });
    }

    /** The stream's publisher left; any thread. */
    void publisherLeft() {
        loop.execute(() -> idle("the stream's publisher left"));
    }

    @Override
    void initChannel(Channel ch, int attempt) {
        RtmpUrl url = RtmpUrl.parse(spec.url());
        // No read timeout: a remote may stay silent while it takes media; a dead one stalls the viewer's writes, which ends it.
        new RtmpPushSession(url, this, attempt).install(ch.pipeline(), url.tls() ? context.tls() : null);
    }

}

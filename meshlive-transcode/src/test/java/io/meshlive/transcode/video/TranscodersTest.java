package io.meshlive.transcode.video;

import io.meshlive.core.Hub;
import io.meshlive.core.HubSettings;
import io.meshlive.core.Session;
import io.meshlive.core.StreamKey;
import io.meshlive.core.Workers;
import io.netty.channel.DefaultEventLoopGroup;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Which publishes get a ladder: the app's streams, not the streams derived from them. */
class TranscodersTest {
    private final DefaultEventLoopGroup group = new DefaultEventLoopGroup(1);
    private final Hub hub = new Hub(new Workers(group), HubSettings.defaults());
    private final Transcoders transcoders = new Transcoders(hub, Map.of("live", new LadderSpec(VideoEncoderKind.OPENH264,
            "ultrafast", List.of(new RenditionSpec("360p", 640, 360, 700)), true, 0)));

    @AfterEach
    void shutdown() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private static final class Publisher extends Session {
        Publisher() {
            super("test", Role.PUBLISHER, "here");
        }

        @Override
        public void close(String reason) {
        }
    }

    private List<StreamKey> ladderOfAPublishTo(String name) {
        StreamKey key = new StreamKey("live", name);
        Publisher publisher = new Publisher();
        hub.streams().attachPublisher(key, publisher);
        try {
            return transcoders.renditionsOf(key);
        } finally {
            hub.streams().get(key).detachPublisher(publisher);
        }
    }

    @Test
    void aStreamOfTheAppGetsItsLadder() {
        assertThat(ladderOfAPublishTo("show")).containsExactly(new StreamKey("live", "show_360p"));
    }

    @Test
    void theOpusCompanionOfAStreamGetsNone() {
        assertThat(ladderOfAPublishTo("show.opus")).as("WebRTC's Opus companion carries the same video").isEmpty();
    }
}

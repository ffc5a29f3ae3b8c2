package io.meshlive.hls;

import io.meshlive.core.Hub;
import io.meshlive.core.HubSettings;
import io.meshlive.core.StreamKey;
import io.meshlive.core.Workers;
import io.netty.channel.DefaultEventLoopGroup;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class HlsSessionsTest {
    private final DefaultEventLoopGroup group = new DefaultEventLoopGroup(1);
    private final Hub hub = new Hub(new Workers(group), HubSettings.defaults());
    private final HlsSessions sessions = new HlsSessions(hub);
    private final StreamKey key = new StreamKey("live", "a");

    @AfterEach
    void stop() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void oneClientIsOneSessionUntilItGoesQuiet() {
        HlsSessions.HlsSession first = sessions.touch(key, Flavour.CMAF, "10.0.0.1", "hls.js");
        assertThat(sessions.touch(key, Flavour.CMAF, "10.0.0.1", "hls.js")).isSameAs(first);
        assertThat(sessions.touch(key, Flavour.CMAF, "10.0.0.1", "Safari")).isNotSameAs(first);
        assertThat(sessions.touch(key, Flavour.TS, "10.0.0.1", "hls.js")).isNotSameAs(first);
        assertThat(hub.sessions().size()).isEqualTo(3);
        assertThat(first.protocol()).isEqualTo("ll-hls");
        assertThat(first.stream()).isEqualTo(key);

        sessions.sweep(System.nanoTime());
        assertThat(sessions.size()).as("recently active").isEqualTo(3);
        sessions.sweep(System.nanoTime() + HlsSessions.QUIET_NANOS + 1);
        assertThat(sessions.size()).isZero();
        assertThat(hub.sessions().size()).isZero();
    }

    @Test
    void aKickedClientIsRefusedForAWhile() {
        HlsSessions.HlsSession s = sessions.touch(key, Flavour.CMAF, "10.0.0.2", "hls.js");
        s.close("kicked through the API");
        assertThat(hub.sessions().get(s.id())).isNull();
        assertThat(sessions.touch(key, Flavour.CMAF, "10.0.0.2", "hls.js")).as("refused").isNull();
        assertThat(sessions.touch(key, Flavour.CMAF, "10.0.0.3", "hls.js")).as("another client").isNotNull();
        sessions.sweep(System.nanoTime() + HlsSessions.KICK_NANOS);
        assertThat(sessions.touch(key, Flavour.CMAF, "10.0.0.2", "hls.js")).as("after the kick window").isNotNull();
    }
}

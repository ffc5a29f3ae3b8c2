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
    void oneTokenIsOneSessionUntilItGoesQuiet() {
        String token = sessions.newToken();
        HlsSessions.HlsSession first = sessions.start(token, key, Flavour.CMAF, "10.0.0.1", null);
        assertThat(sessions.find(token, key, Flavour.CMAF, "10.0.0.1")).isSameAs(first);
        assertThat(sessions.start(token, key, Flavour.CMAF, "10.0.0.1", null)).as("started twice, one session").isSameAs(first);
        assertThat(sessions.start(sessions.newToken(), key, Flavour.CMAF, "10.0.0.1", null)).as("same client, another player").isNotSameAs(first);
        assertThat(sessions.find(token, key, Flavour.TS, "10.0.0.1")).as("the token names LL-HLS only").isNull();
        assertThat(sessions.find(token, new StreamKey("live", "b"), Flavour.CMAF, "10.0.0.1")).as("and stream a only").isNull();
        assertThat(hub.sessions().size()).isEqualTo(2);
        assertThat(first.protocol()).isEqualTo("ll-hls");
        assertThat(first.stream()).isEqualTo(key);

        sessions.sweep(System.nanoTime());
        assertThat(sessions.size()).as("recently active").isEqualTo(2);
        sessions.sweep(System.nanoTime() + HlsSessions.QUIET_NANOS + 1);
        assertThat(sessions.size()).isZero();
        assertThat(hub.sessions().size()).isZero();
        assertThat(sessions.find(token, key, Flavour.CMAF, "10.0.0.1")).as("gone quiet").isNull();
    }

    @Test
    void aKickedTokenIsRefusedForAWhile() {
        String token = sessions.newToken();
        HlsSessions.HlsSession s = sessions.start(token, key, Flavour.CMAF, "10.0.0.2", null);
        s.close("kicked through the API");
        assertThat(hub.sessions().get(s.id())).isNull();
        assertThat(sessions.kicked(token)).isTrue();
        assertThat(sessions.start(token, key, Flavour.CMAF, "10.0.0.2", null)).as("refused").isNull();
        sessions.sweep(System.nanoTime() + HlsSessions.KICK_NANOS);
        assertThat(sessions.kicked(token)).as("after the kick window").isFalse();
        assertThat(sessions.start(token, key, Flavour.CMAF, "10.0.0.2", null)).isNotNull();
    }

    @Test
    void onlyTokensOfOurShapeStartSessions() {
        assertThat(sessions.newToken()).matches("[A-Za-z0-9_-]{22}").isNotEqualTo(sessions.newToken());
        assertThat(sessions.start("chosen-by-hand", key, Flavour.CMAF, "10.0.0.3", null)).isNull();
        assertThat(sessions.start("../../../etc/passwd&x=y", key, Flavour.CMAF, "10.0.0.3", null)).isNull();
    }

    @Test
    void aTokenAdmittedForOneAddressServesNoOther() {
        String token = sessions.newToken();
        HlsSessions.HlsSession s = sessions.start(token, key, Flavour.CMAF, "10.0.0.4", "10.0.0.4");
        assertThat(sessions.find(token, key, Flavour.CMAF, "10.0.0.4")).isSameAs(s);
        assertThat(sessions.find(token, key, Flavour.CMAF, "10.0.0.5")).as("another address").isNull();
        assertThat(sessions.start(token, key, Flavour.CMAF, "10.0.0.5", null)).as("nor resumed from there").isNull();
    }
}

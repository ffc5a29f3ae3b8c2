package io.meshlive.webrtc;

import io.meshlive.core.Hub;
import io.meshlive.core.HubSettings;
import io.meshlive.core.Transport;
import io.meshlive.core.Workers;
import io.meshlive.webrtc.dtls.DtlsCertificate;
import io.meshlive.webrtc.dtls.DtlsHandshakes;
import io.netty.channel.EventLoopGroup;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JoinWarmUpTest {
    private final EventLoopGroup group = Transport.group(1, "join-warm-up-test");

    @AfterEach
    void stop() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void aStartedServiceJoinsItselfAndLeavesNoSession() throws Exception {
        Hub hub = new Hub(new Workers(group), HubSettings.defaults());
        WebRtcSettings settings = new WebRtcSettings(0, List.of("127.0.0.1"), false, 15_000, 10_000, 3, 4);
        // No viewer comes, so nothing is transcoded: no AudioTranscoding.
        try (WebRtcService service = new WebRtcService(hub, settings, RenditionLadder.NONE, null)) {
            service.start("127.0.0.1");
            assertThat(service.warmedUp().get(60, TimeUnit.SECONDS)).isEqualTo(3);
            assertThat(service.peers().all()).isEmpty();
            assertThat(hub.sessions().all()).isEmpty();
        }
    }

    @Test
    void failsWithTheNegotiationsReason() {
        try (DtlsHandshakes handshakes = new DtlsHandshakes("warm-test", 2, 2, 2)) {
            assertThatThrownBy(() -> JoinWarmUp.run(2, offer -> {
                throw new WebRtcService.Refused(406, "no codec in common");
            }, handshakes, DtlsCertificate.generate()).get(60, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).hasMessageContaining("no codec in common");
        }
    }
}

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

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WarmUpViewersTest {
    private final EventLoopGroup group = Transport.group(2, "warm-up-test");

    @AfterEach
    void stop() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void aStartedServicePlaysToItselfOverUdpAndLeavesNothingInItsHub() throws Exception {
        Hub hub = new Hub(new Workers(group), HubSettings.defaults());
        WebRtcSettings settings = new WebRtcSettings(0, List.of("127.0.0.1"), false, 15_000, 10_000, 3, 4);
        // The warm-up stream's audio is Opus, so nothing is transcoded: no AudioTranscoding.
        try (WebRtcService service = new WebRtcService(hub, settings, RenditionLadder.NONE, null)) {
            service.start("127.0.0.1");
            // Each viewer completes only once video packets reached its socket.
            assertThat(service.warmedUp().get(60, TimeUnit.SECONDS)).isEqualTo(3);
            assertThat(service.warmUpState()).isEqualTo(new WebRtcService.WarmUpState(3, 3, true));
            assertThat(service.peers().all()).isEmpty();
            assertThat(hub.sessions().all()).isEmpty();
            assertThat(hub.streams().all()).isEmpty();
        }
    }

    @Test
    void closingTheServiceStopsAWarmUpStillPlaying() throws Exception {
        Hub hub = new Hub(new Workers(group), HubSettings.defaults());
        WebRtcSettings settings = new WebRtcSettings(0, List.of("127.0.0.1"), false, 15_000, 10_000, 1_000, 4);
        WebRtcService service = new WebRtcService(hub, settings, RenditionLadder.NONE, null);
        service.start("127.0.0.1");
        assertThat(service.warmUpState().over()).isFalse();
        service.close();
        assertThatThrownBy(() -> service.warmedUp().get(60, TimeUnit.SECONDS))
                .isInstanceOf(CancellationException.class).hasMessageContaining("the node is closing");
        assertThat(service.warmUpState().over()).isTrue();
    }

    @Test
    void aViewerOfAStreamWithoutMediaFailsAtItsLimit() {
        Hub hub = new Hub(new Workers(group), HubSettings.defaults());
        WebRtcSettings settings = new WebRtcSettings(0, List.of("127.0.0.1"), false, 15_000, 10_000, 0, 4);
        try (WebRtcService service = new WebRtcService(hub, settings, RenditionLadder.NONE, null, true);
             DtlsHandshakes handshakes = new DtlsHandshakes("warm-up-test", 2, 2, 2)) {
            service.start("127.0.0.1");
            WarmUpViewer viewer = new WarmUpViewer(service, DtlsCertificate.generate(), handshakes, group.next(),
                    TimeUnit.SECONDS.toNanos(1), Duration.ofMillis(1500));
            assertThatThrownBy(() -> viewer.join().get(60, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(TimeoutException.class)
                    .hasMessageContaining("no video within 1500 ms");
            assertThat(service.peers().all()).isEmpty();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}

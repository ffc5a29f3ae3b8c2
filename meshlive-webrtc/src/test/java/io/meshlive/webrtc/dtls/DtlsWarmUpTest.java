package io.meshlive.webrtc.dtls;

import org.junit.jupiter.api.Test;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DtlsWarmUpTest {
    @Test
    void completesWithEveryHandshakeDone() throws Exception {
        try (DtlsHandshakes handshakes = new DtlsHandshakes("warm-test", 4, 4, 4)) {
            assertThat(DtlsWarmUp.run(handshakes, Handshakes.SERVER_CERTIFICATE, 3).get(60, TimeUnit.SECONDS)).isEqualTo(3);
        }
    }

    @Test
    void failsWhenTheHandshakesCannotRun() {
        DtlsHandshakes handshakes = new DtlsHandshakes("warm-test", 1, 1, 1);
        handshakes.close();
        assertThatThrownBy(() -> DtlsWarmUp.run(handshakes, Handshakes.SERVER_CERTIFICATE, 2).get(60, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).hasMessageContaining("no thread for the DTLS handshake");
    }
}

package io.meshlive.webrtc.srtp;

import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class HmacSha1Test {
    /** RFC 2202 test cases 1 and 2. */
    @Test
    void rfc2202Vectors() {
        assertThat(mac(Buffers.bytes("0b".repeat(20)), "Hi There".getBytes(StandardCharsets.US_ASCII)))
                .isEqualToIgnoringCase("b617318655057264e28bc0b6fb378c8ef146be00");
        assertThat(mac("Jefe".getBytes(StandardCharsets.US_ASCII), "what do ya want for nothing?".getBytes(StandardCharsets.US_ASCII)))
                .isEqualToIgnoringCase("effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
    }

    /** Message after message under one key (it starts over after each), in pieces, against the JDK's Mac. */
    @Test
    void matchesTheJdksHmacSha1AcrossManyMessagesInPieces() throws Exception {
        SplittableRandom random = new SplittableRandom(2104);
        byte[] key = new byte[20];
        random.nextBytes(key);
        HmacSha1 ours = new HmacSha1(key);
        Mac jdk = Mac.getInstance("HmacSHA1");
        jdk.init(new SecretKeySpec(key, "HmacSHA1"));
        for (int length = 0; length < 300; length++) {
            byte[] message = new byte[length];
            random.nextBytes(message);
            int split = length == 0 ? 0 : random.nextInt(length);
            ours.update(message, 0, split);
            ours.update(message, split, length - split);
            byte[] out = new byte[HmacSha1.LENGTH + 3];
            ours.doFinal(out, 3);
            assertThat(Arrays.copyOfRange(out, 3, out.length)).as("length %d", length).isEqualTo(jdk.doFinal(message));
        }
    }

    private static String mac(byte[] key, byte[] message) {
        HmacSha1 hmac = new HmacSha1(key);
        hmac.update(message, 0, message.length);
        byte[] out = new byte[HmacSha1.LENGTH];
        hmac.doFinal(out, 0);
        return HexFormat.of().formatHex(out);
    }
}

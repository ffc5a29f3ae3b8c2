package io.meshlive.webrtc.srtp;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AesCounterModeTest {
    /** RFC 3711 Appendix B.2: session key, salt (already shifted) and the keystream's first and last blocks. */
    @Test
    void keystreamIsRfc3711AppendixB2() {
        AesCounterMode aes = new AesCounterMode(Buffers.bytes("2B7E151628AED2A6ABF7158809CF4F3C"));
        byte[] keystream = new byte[1044512]; // 65282 blocks, as in the RFC
        aes.apply(Buffers.bytes("F0F1F2F3F4F5F6F7F8F9FAFBFCFD0000"), keystream, 0, keystream.length);

        assertThat(hex(keystream, 0, 48)).isEqualToIgnoringCase(
                "E03EAD0935C95E80E166B16DD92B4EB4" + "D23513162B02D0F72A43A2FE4A5F97AB" + "41E95B3BB0A2E8DD477901E4FCA894C0");
        assertThat(hex(keystream, 0xFEFF * 16, 48)).isEqualToIgnoringCase(
                "EC8CDF7398607CB0F2D21675EA9EA1E4" + "362B7C3C6773516318A077D7FC5073AE" + "6A2CC3787889374FBEB4C81B17BA6C44");
    }

    @Test
    void appliesAtAnOffsetAndToAPartialLastBlockAndIsItsOwnInverse() {
        AesCounterMode aes = new AesCounterMode(Buffers.bytes("2B7E151628AED2A6ABF7158809CF4F3C"));
        byte[] iv = Buffers.bytes("F0F1F2F3F4F5F6F7F8F9FAFBFCFD0000");
        byte[] data = new byte[5 + 21];
        Arrays.fill(data, (byte) 0x5A);
        aes.apply(iv, data, 5, 21);

        assertThat(hex(data, 0, 5)).isEqualTo("5a5a5a5a5a");
        byte[] keystream = new byte[21];
        aes.apply(iv, keystream, 0, 21);
        for (int i = 0; i < 21; i++) {
            assertThat((byte) (data[5 + i] ^ 0x5A)).isEqualTo(keystream[i]);
        }
        aes.apply(iv, data, 5, 21);
        assertThat(data).containsOnly(0x5A);
    }

    @Test
    void refusesMoreThanTheCounterCanNumber() {
        AesCounterMode aes = new AesCounterMode(new byte[16]);
        byte[] data = new byte[AesCounterMode.MAX_LENGTH + 1];
        assertThatThrownBy(() -> aes.apply(new byte[16], data, 0, data.length)).isInstanceOf(IllegalArgumentException.class);
    }

    private static String hex(byte[] bytes, int from, int length) {
        return HexFormat.of().formatHex(bytes, from, from + length);
    }
}

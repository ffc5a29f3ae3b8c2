package io.meshlive.webrtc.srtp;

import io.netty.buffer.ByteBuf;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static io.meshlive.webrtc.srtp.Buffers.hex;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whole packets whose protected bytes come from elsewhere: libsrtp's {@code srtp_validate} and
 * {@code srtp_validate_gcm} reference packets (from master keys, so through key derivation), and
 * RFC 7714 §16 and §17 (from session keys).
 */
class SrtpContextVectorsTest {
    private static final String LIBSRTP_RTP = "800f1234decafbadcafebabe" + "abababababababababababababababab";
    private static final String LIBSRTP_RTCP = "81c8000bcafebabe" + "abababababababababababababababab";

    private static final byte[] LIBSRTP_CM_KEY = Buffers.bytes("e1f97a0d3e018be0d64fa32c06de4139");
    private static final byte[] LIBSRTP_CM_SALT = Buffers.bytes("0ec675ad498afeebb6960b3aabe6");
    private static final String LIBSRTP_CM_SRTP = "800f1234decafbadcafebabe"
            + "4e55dc4ce79978d88ca4d215949d2402" + "b78d6acc99ea179b8dbb";
    private static final String LIBSRTP_CM_SRTCP = "81c8000bcafebabe"
            + "7128035be487b9bdbef89041f977a5a8" + "80000001" + "993e08cd54d6c1230798";

    private static final byte[] LIBSRTP_GCM_KEY = Buffers.bytes("000102030405060708090a0b0c0d0e0f");
    private static final byte[] LIBSRTP_GCM_SALT = Buffers.bytes("a0a1a2a3a4a5a6a7a8a9aaab");
    private static final String LIBSRTP_GCM_SRTP = "800f1234decafbadcafebabe"
            + "c5002ede04cfdd2eb91159e0880aa06e" + "d2976826f796b201df3131a127e8a392";
    private static final String LIBSRTP_GCM_SRTCP = "81c8000bcafebabe"
            + "c98b8b5df0392a55852b6c21ac8e7025" + "c52c6fbea2b3b446ea31123ba88ce61e" + "80000001";

    /** RFC 7714 §16 and §17 state session keys: the same key and salt for RTP and RTCP. */
    private static final SessionKeys RFC7714_KEYS = new SessionKeys(
            Buffers.bytes("000102030405060708090a0b0c0d0e0f"), Buffers.bytes("517569642070726f2071756f"), new byte[0]);
    private static final String RFC7714_RTP = "8040f17b8041f8d35501a0b2"
            + "47616c6c696120657374206f6d6e69732064697669736120696e207061727465732074726573";
    /** §16.1.1. */
    private static final String RFC7714_SRTP = "8040f17b8041f8d35501a0b2"
            + "f24de3a3fb34de6cacba861c9d7e4bcabe633bd50d294e6f42a5f47a51c7d19b36de3adf8833" + "899d7f27beb16a9152cf765ee4390cce";
    /** The packet §17.1 to §17.4 work on (SSRC "Mars"), at SRTCP index 0x5d4. */
    private static final String RFC7714_RTCP = "81c8000d4d617273"
            + "4e5450314e545032525450200000042a0000e9304c756e61deadbeefdeadbeefdeadbeefdeadbeefdeadbeef";
    /** §17.1. */
    private static final String RFC7714_SRTCP = "81c8000d4d617273"
            + "63e94885dcdab67ca727d7662f6b7e997ff5c0f76c06f32dc676a5f1730d6fda4ce09b4686303ded0bb9275b"
            + "c84aa45896cf4d2fc5abf87245d9eade" + "800005d4";
    /** §17.3: authenticated, not encrypted (E clear). */
    private static final String RFC7714_SRTCP_CLEAR = RFC7714_RTCP + "841dd9683dd78ec92ae58790125f62b3" + "000005d4";
    private static final int RFC7714_SRTCP_INDEX = 0x5d4;

    @ParameterizedTest
    @EnumSource(Buffers.class)
    void libsrtpAesCmPackets(Buffers buffers) throws SrtpException {
        checkFromMasterKey(SrtpProfile.AES128_CM_HMAC_SHA1_80, LIBSRTP_CM_KEY, LIBSRTP_CM_SALT, buffers,
                LIBSRTP_CM_SRTP, LIBSRTP_CM_SRTCP);
    }

    @ParameterizedTest
    @EnumSource(Buffers.class)
    void libsrtpGcmPackets(Buffers buffers) throws SrtpException {
        checkFromMasterKey(SrtpProfile.AEAD_AES_128_GCM, LIBSRTP_GCM_KEY, LIBSRTP_GCM_SALT, buffers,
                LIBSRTP_GCM_SRTP, LIBSRTP_GCM_SRTCP);
    }

    @ParameterizedTest
    @EnumSource(Buffers.class)
    void rfc7714Section16RtpEncryptionAndDecryption(Buffers buffers) throws SrtpException {
        assertThat(protectRtp(rfc7714Context(), buffers, RFC7714_RTP)).isEqualTo(RFC7714_SRTP);
        assertThat(unprotectRtp(rfc7714Context(), buffers, RFC7714_SRTP)).isEqualTo(RFC7714_RTP);
    }

    @ParameterizedTest
    @EnumSource(Buffers.class)
    void rfc7714Section17SrtcpEncryptionAndDecryption(Buffers buffers) throws SrtpException {
        assertThat(unprotectRtcp(rfc7714Context(), buffers, RFC7714_SRTCP)).isEqualTo(RFC7714_RTCP);

        SrtpContext sender = rfc7714Context();
        for (int index = 1; index < RFC7714_SRTCP_INDEX; index++) { // wind the SSRC's index up to the vector's
            ByteBuf earlier = buffers.packet(RFC7714_RTCP);
            sender.protectRtcp(earlier);
            earlier.release();
        }
        assertThat(protectRtcp(sender, buffers, RFC7714_RTCP)).isEqualTo(RFC7714_SRTCP);
    }

    @ParameterizedTest
    @EnumSource(Buffers.class)
    void rfc7714Section17UnencryptedSrtcpIsAuthenticatedOnly(Buffers buffers) throws SrtpException {
        assertThat(unprotectRtcp(rfc7714Context(), buffers, RFC7714_SRTCP_CLEAR)).isEqualTo(RFC7714_RTCP);
    }

    private static void checkFromMasterKey(SrtpProfile profile, byte[] key, byte[] salt, Buffers buffers,
                                           String srtp, String srtcp) throws SrtpException {
        assertThat(protectRtp(new SrtpContext(profile, key, salt), buffers, LIBSRTP_RTP)).isEqualTo(srtp);
        assertThat(unprotectRtp(new SrtpContext(profile, key, salt), buffers, srtp)).isEqualTo(LIBSRTP_RTP);
        assertThat(protectRtcp(new SrtpContext(profile, key, salt), buffers, LIBSRTP_RTCP)).isEqualTo(srtcp);
        assertThat(unprotectRtcp(new SrtpContext(profile, key, salt), buffers, srtcp)).isEqualTo(LIBSRTP_RTCP);
    }

    private static SrtpContext rfc7714Context() {
        return new SrtpContext(SrtpProfile.AEAD_AES_128_GCM, RFC7714_KEYS, RFC7714_KEYS);
    }

    private static String protectRtp(SrtpContext context, Buffers buffers, String packet) {
        ByteBuf buffer = buffers.packet(packet);
        try {
            context.protectRtp(buffer);
            return hex(buffer);
        } finally {
            buffer.release();
        }
    }

    private static String unprotectRtp(SrtpContext context, Buffers buffers, String packet) throws SrtpException {
        ByteBuf buffer = buffers.packet(packet);
        try {
            context.unprotectRtp(buffer);
            return hex(buffer);
        } finally {
            buffer.release();
        }
    }

    private static String protectRtcp(SrtpContext context, Buffers buffers, String packet) {
        ByteBuf buffer = buffers.packet(packet);
        try {
            context.protectRtcp(buffer);
            return hex(buffer);
        } finally {
            buffer.release();
        }
    }

    private static String unprotectRtcp(SrtpContext context, Buffers buffers, String packet) throws SrtpException {
        ByteBuf buffer = buffers.packet(packet);
        try {
            context.unprotectRtcp(buffer);
            return hex(buffer);
        } finally {
            buffer.release();
        }
    }
}

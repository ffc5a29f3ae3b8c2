package io.meshlive.webrtc.dtls;

import org.bouncycastle.tls.ExporterLabel;
import org.bouncycastle.tls.TlsContext;

/**
 * The SRTP protection profiles meshlive negotiates in {@code use_srtp}, and the key and salt sizes
 * that size (and split) the exported keying material. These two are what every browser offers;
 * the GCM one (RFC 7714) costs less CPU per packet, so it is the default preference.
 */
public final class SrtpProfile {
    /** SRTP_AES128_CM_HMAC_SHA1_80 (RFC 5764 §4.1.2): 128-bit key, 112-bit salt. */
    public static final int AES128_CM_HMAC_SHA1_80 = 0x0001;
    /** SRTP_AEAD_AES_128_GCM (RFC 7714 §14.2): 128-bit key, 96-bit salt. */
    public static final int AEAD_AES_128_GCM = 0x0007;

    private SrtpProfile() {
    }

    public static int keyLength(int profile) {
        requireSupported(profile);
        return 16;
    }

    public static int saltLength(int profile) {
        requireSupported(profile);
        return profile == AEAD_AES_128_GCM ? 12 : 14;
    }

    /** Bytes to export for the profile: a key and a salt for each direction. */
    public static int keyingMaterialLength(int profile) {
        return 2 * (keyLength(profile) + saltLength(profile));
    }

    public static boolean isSupported(int profile) {
        return profile == AES128_CM_HMAC_SHA1_80 || profile == AEAD_AES_128_GCM;
    }

    /** The first of {@code preference} that {@code offered} contains, or -1 when they share none. */
    static int choose(int[] preference, int[] offered) {
        for (int ours : preference) {
            for (int theirs : offered) {
                if (ours == theirs) {
                    return ours;
                }
            }
        }
        return -1;
    }

    /** The RFC 5764 §4.2 exporter output for the negotiated profile; valid once the handshake is complete. */
    static byte[] exportKeyingMaterial(TlsContext context, int profile) {
        return context.exportKeyingMaterial(ExporterLabel.dtls_srtp, null, keyingMaterialLength(profile));
    }

    private static void requireSupported(int profile) {
        if (!isSupported(profile)) {
            throw new IllegalArgumentException("unsupported SRTP protection profile 0x" + Integer.toHexString(profile));
        }
    }
}

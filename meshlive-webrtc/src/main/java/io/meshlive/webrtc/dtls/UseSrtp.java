package io.meshlive.webrtc.dtls;

import io.meshlive.webrtc.srtp.SrtpProfile;
import org.bouncycastle.tls.ExporterLabel;
import org.bouncycastle.tls.TlsContext;

/**
 * The {@code use_srtp} extension's side of DTLS-SRTP (RFC 5764): choosing a protection profile
 * and exporting the keying material the chosen {@link SrtpProfile} is split from.
 */
final class UseSrtp {
    private UseSrtp() {
    }

    static boolean isSupported(int profileId) {
        return SrtpProfile.byId(profileId) != null;
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
    static byte[] exportKeyingMaterial(TlsContext context, int profileId) {
        return context.exportKeyingMaterial(ExporterLabel.dtls_srtp, null, SrtpProfile.byId(profileId).keyingMaterialLength());
    }
}

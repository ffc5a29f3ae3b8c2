package io.meshlive.webrtc.dtls;

import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.TlsContext;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.UseSRTPData;

import java.io.IOException;
import java.security.MessageDigest;

/**
 * What one handshake checks and decides, the same for our server and our client: the peer's
 * certificate against the SDP fingerprint, the SRTP profile, the keying material, and, when we
 * abort, the reason (BouncyCastle only tells the peer an alert number).
 *
 * <p>Used by the handshake thread only: BouncyCastle calls it there, and the outcome is read there.
 */
final class HandshakeState {
    private static final int NONE = -1;

    private final byte[] expectedPeerFingerprint;
    private final int[] profilePreference;
    private byte[] peerFingerprint;
    private int profile = NONE;
    private String abortReason;
    private DtlsResult result;

    HandshakeState(byte[] expectedPeerFingerprint, int[] profilePreference) {
        this.expectedPeerFingerprint = expectedPeerFingerprint.clone();
        this.profilePreference = profilePreference.clone();
    }

    int[] offeredProfiles() {
        return profilePreference.clone();
    }

    /**
     * Trusts the peer's end-entity certificate if its SHA-256 equals the SDP's. The certificate is
     * self-signed, so there is no chain to validate; its signature over the handshake, which
     * BouncyCastle checks, proves the peer holds the key.
     */
    void verifyPeerCertificate(Certificate chain) throws IOException {
        if (chain == null || chain.isEmpty()) {
            throw abort(AlertDescription.handshake_failure, "peer sent no certificate");
        }
        byte[] fingerprint = SdpFingerprint.sha256(chain.getCertificateAt(0).getEncoded());
        if (!MessageDigest.isEqual(fingerprint, expectedPeerFingerprint)) {
            throw abort(AlertDescription.bad_certificate, "peer certificate fingerprint does not match the SDP");
        }
        peerFingerprint = fingerprint;
    }

    /** Server side: picks our most preferred of the client's profiles ({@code null}: it sent no use_srtp). */
    void chooseProfile(UseSRTPData offered) throws TlsFatalAlert {
        profile = offered == null ? NONE : UseSrtp.choose(profilePreference, offered.getProtectionProfiles());
        if (profile == NONE) {
            throw abort(AlertDescription.handshake_failure, "no common SRTP profile");
        }
    }

    /** Client side: the server must have picked exactly one of the profiles we offered (RFC 5764 §4.1.1). */
    void acceptProfile(UseSRTPData chosen) throws TlsFatalAlert {
        if (chosen == null) {
            throw abort(AlertDescription.handshake_failure, "no common SRTP profile");
        }
        int[] profiles = chosen.getProtectionProfiles();
        if (profiles.length != 1 || UseSrtp.choose(profilePreference, profiles) == NONE) {
            throw abort(AlertDescription.illegal_parameter, "peer chose an SRTP profile we did not offer");
        }
        profile = profiles[0];
    }

    int profile() {
        return profile;
    }

    /** Called when BouncyCastle reports the handshake complete, while the exporter is available. */
    void complete(TlsContext context) {
        result = new DtlsResult(profile, UseSrtp.exportKeyingMaterial(context, profile), peerFingerprint);
    }

    DtlsResult result() {
        return result;
    }

    /** Why we aborted the handshake, or {@code null} if we did not. */
    String abortReason() {
        return abortReason;
    }

    private TlsFatalAlert abort(short alert, String reason) {
        abortReason = reason;
        return new TlsFatalAlert(alert, reason);
    }
}

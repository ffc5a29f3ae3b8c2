package io.meshlive.webrtc.dtls;

import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;

import java.security.SecureRandom;

/** What both ends of every meshlive DTLS association share: the crypto, the version, the cipher suites. */
final class DtlsConfig {
    /**
     * BouncyCastle's lightweight crypto rather than JCA with the BC provider: nothing to register
     * in the process-wide provider list (which other libraries and the JDK's own TLS consult), and
     * no provider lookups per handshake. Thread-safe; one for the process.
     */
    static final BcTlsCrypto CRYPTO = new BcTlsCrypto(new SecureRandom());

    /** WebRTC peers speak DTLS 1.2 (DTLS 1.0 is deprecated, 1.3 not yet deployed). */
    static final ProtocolVersion[] VERSIONS = ProtocolVersion.DTLSv12.only();

    /**
     * ECDHE with our ECDSA certificate: the GCM suite every browser prefers, and the CBC one
     * they still offer. Nothing else, because our certificate can only sign with ECDSA.
     */
    static final int[] CIPHER_SUITES = {
            CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
            CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA,
    };

    private DtlsConfig() {
    }
}

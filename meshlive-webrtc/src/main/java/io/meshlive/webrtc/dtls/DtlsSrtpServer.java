package io.meshlive.webrtc.dtls;

import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.ClientCertificateType;
import org.bouncycastle.tls.DefaultTlsServer;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.TlsCredentialedSigner;
import org.bouncycastle.tls.TlsExtensionsUtils;
import org.bouncycastle.tls.TlsSRTPUtils;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.UseSRTPData;

import java.io.IOException;
import java.util.Hashtable;

/** BouncyCastle's server side of a WebRTC DTLS-SRTP handshake: our policy, {@link HandshakeState}'s checks. */
final class DtlsSrtpServer extends DefaultTlsServer {
    /** Browsers sign with ECDSA (Chrome, Firefox, Safari) or, in older versions, RSA. */
    private static final short[] CLIENT_CERTIFICATE_TYPES = {ClientCertificateType.ecdsa_sign, ClientCertificateType.rsa_sign};

    private final DtlsCertificate local;
    private final HandshakeState state;

    DtlsSrtpServer(DtlsCertificate local, HandshakeState state) {
        super(DtlsConfig.CRYPTO);
        this.local = local;
        this.state = state;
    }

    @Override
    protected ProtocolVersion[] getSupportedVersions() {
        return DtlsConfig.VERSIONS;
    }

    @Override
    protected int[] getSupportedCipherSuites() {
        return DtlsConfig.CIPHER_SUITES;
    }

    @Override
    public boolean requiresExtendedMasterSecret() {
        return true;
    }

    /** The peer's certificate is trusted by its fingerprint, so how it signed itself does not matter. */
    @Override
    public boolean shouldCheckSigAlgOfPeerCerts() {
        return false;
    }

    @Override
    protected TlsCredentialedSigner getECDSASignerCredentials() {
        return local.signer(context);
    }

    /** WebRTC authenticates both ends: without the client's certificate there is nothing to match the SDP against. */
    @Override
    public CertificateRequest getCertificateRequest() {
        return new CertificateRequest(CLIENT_CERTIFICATE_TYPES, TlsUtils.getDefaultSupportedSignatureAlgorithms(context), null);
    }

    @Override
    public void notifyClientCertificate(Certificate clientCertificate) throws IOException {
        state.verifyPeerCertificate(clientCertificate);
    }

    @Override
    public void processClientExtensions(Hashtable clientExtensions) throws IOException {
        super.processClientExtensions(clientExtensions);
        state.chooseProfile(TlsSRTPUtils.getUseSRTPExtension(clientExtensions));
    }

    /** Our use_srtp answer: the one chosen profile and an empty MKI, since we do not use MKIs (RFC 5764 §4.1.1). */
    @Override
    @SuppressWarnings("unchecked")
    public Hashtable getServerExtensions() throws IOException {
        Hashtable extensions = TlsExtensionsUtils.ensureExtensionsInitialised(super.getServerExtensions());
        TlsSRTPUtils.addUseSRTPExtension(extensions, new UseSRTPData(new int[] {state.profile()}, TlsUtils.EMPTY_BYTES));
        return extensions;
    }

    @Override
    public void notifyHandshakeComplete() throws IOException {
        super.notifyHandshakeComplete();
        state.complete(context);
    }
}

package io.meshlive.webrtc.dtls;

import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.DefaultTlsClient;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.TlsAuthentication;
import org.bouncycastle.tls.TlsCredentials;
import org.bouncycastle.tls.TlsExtensionsUtils;
import org.bouncycastle.tls.TlsSRTPUtils;
import org.bouncycastle.tls.TlsServerCertificate;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.UseSRTPData;

import java.io.IOException;
import java.util.Hashtable;

/** BouncyCastle's client side of a WebRTC DTLS-SRTP handshake: our policy, {@link HandshakeState}'s checks. */
final class DtlsSrtpClient extends DefaultTlsClient {
    private final DtlsCertificate local;
    private final HandshakeState state;

    DtlsSrtpClient(DtlsCertificate local, HandshakeState state) {
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

    /** use_srtp with our profiles in preference order and an empty MKI. */
    @Override
    @SuppressWarnings("unchecked")
    public Hashtable getClientExtensions() throws IOException {
        Hashtable extensions = TlsExtensionsUtils.ensureExtensionsInitialised(super.getClientExtensions());
        TlsSRTPUtils.addUseSRTPExtension(extensions, new UseSRTPData(state.offeredProfiles(), TlsUtils.EMPTY_BYTES));
        return extensions;
    }

    @Override
    public void processServerExtensions(Hashtable serverExtensions) throws IOException {
        super.processServerExtensions(serverExtensions);
        state.acceptProfile(TlsSRTPUtils.getUseSRTPExtension(serverExtensions));
    }

    @Override
    public TlsAuthentication getAuthentication() {
        return new TlsAuthentication() {
            @Override
            public void notifyServerCertificate(TlsServerCertificate serverCertificate) throws IOException {
                state.verifyPeerCertificate(serverCertificate.getCertificate());
            }

            @Override
            public TlsCredentials getClientCredentials(CertificateRequest certificateRequest) {
                return local.signer(context);
            }
        };
    }

    @Override
    public void notifyHandshakeComplete() throws IOException {
        super.notifyHandshakeComplete();
        state.complete(context);
    }
}

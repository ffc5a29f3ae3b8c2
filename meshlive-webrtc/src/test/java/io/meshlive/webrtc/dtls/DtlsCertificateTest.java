package io.meshlive.webrtc.dtls;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class DtlsCertificateTest {
    private static final DtlsCertificate CERTIFICATE = DtlsCertificate.generate();

    private static X509Certificate parsed(DtlsCertificate certificate) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(certificate.encoded()));
    }

    @Test
    void isASelfSignedEcdsaP256CertificateForMeshlive() throws Exception {
        X509Certificate x509 = parsed(CERTIFICATE);
        assertThat(x509.getSigAlgName()).isEqualTo("SHA256withECDSA");
        assertThat(x509.getSubjectX500Principal().getName()).isEqualTo("CN=meshlive");
        assertThat(x509.getIssuerX500Principal()).isEqualTo(x509.getSubjectX500Principal());
        x509.verify(x509.getPublicKey()); // self-signed: its own key verifies it
        ECPublicKey key = (ECPublicKey) x509.getPublicKey();
        assertThat(key.getParams().getCurve().getField().getFieldSize()).isEqualTo(256);
        assertThat(key.getParams().toString()).contains("secp256r1");
    }

    @Test
    void isValidFromYesterdayForThirtyDays() throws Exception {
        X509Certificate x509 = parsed(CERTIFICATE);
        Instant now = Instant.now();
        assertThat(x509.getNotBefore().toInstant()).isCloseTo(now.minus(Duration.ofDays(1)), within(Duration.ofMinutes(5)));
        assertThat(x509.getNotAfter().toInstant()).isCloseTo(now.plus(Duration.ofDays(30)), within(Duration.ofMinutes(5)));
    }

    @Test
    void fingerprintIsTheSha256OfTheDerInSdpForm() {
        byte[] expected = SdpFingerprint.sha256(CERTIFICATE.encoded());
        assertThat(CERTIFICATE.fingerprintSha256()).isEqualTo(expected);
        assertThat(CERTIFICATE.fingerprintSdp()).isEqualTo(SdpFingerprint.format(expected))
                .matches("sha-256 [0-9A-F]{2}(:[0-9A-F]{2}){31}");
    }

    @Test
    void eachCertificateHasItsOwnKeyAndSerial() throws Exception {
        DtlsCertificate other = DtlsCertificate.generate();
        assertThat(parsed(other).getSerialNumber()).isPositive().isNotEqualTo(parsed(CERTIFICATE).getSerialNumber());
        assertThat(parsed(other).getPublicKey()).isNotEqualTo(parsed(CERTIFICATE).getPublicKey());
        assertThat(other.fingerprintSha256()).isNotEqualTo(CERTIFICATE.fingerprintSha256());
    }

    @Test
    void fingerprintCannotBeChangedThroughTheReturnedArray() {
        CERTIFICATE.fingerprintSha256()[0] ^= 1;
        assertThat(CERTIFICATE.fingerprintSha256()).isEqualTo(SdpFingerprint.sha256(CERTIFICATE.encoded()));
    }
}

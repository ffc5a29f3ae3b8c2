package io.meshlive.webrtc.dtls;

import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.generators.ECKeyPairGenerator;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.ECKeyGenerationParameters;
import org.bouncycastle.crypto.params.ECNamedDomainParameters;
import org.bouncycastle.crypto.util.SubjectPublicKeyInfoFactory;
import org.bouncycastle.operator.DefaultDigestAlgorithmIdentifierFinder;
import org.bouncycastle.operator.DefaultSignatureAlgorithmIdentifierFinder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.bc.BcECContentSignerBuilder;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.HashAlgorithm;
import org.bouncycastle.tls.SignatureAlgorithm;
import org.bouncycastle.tls.SignatureAndHashAlgorithm;
import org.bouncycastle.tls.TlsContext;
import org.bouncycastle.tls.TlsCredentialedSigner;
import org.bouncycastle.tls.crypto.TlsCertificate;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.impl.bc.BcDefaultTlsCredentialedSigner;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCertificate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

/**
 * Our ECDSA P-256 self-signed certificate and its SDP fingerprint. Peers trust it by that
 * fingerprint alone, so nothing in it but the key matters; generate one per process at start
 * (a few milliseconds) and share it across associations.
 */
public final class DtlsCertificate {
    private static final String SIGNATURE_ALGORITHM = "SHA256withECDSA";
    private static final X500Name NAME = new X500Name("CN=meshlive");
    /** Back-dated a day so a peer whose clock is behind ours still sees it as valid. */
    private static final Duration VALID_BEFORE_NOW = Duration.ofDays(1);
    private static final Duration VALID_AFTER_NOW = Duration.ofDays(30);
    private static final SignatureAndHashAlgorithm ECDSA_SHA256 =
            new SignatureAndHashAlgorithm(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa);

    private final AsymmetricKeyParameter privateKey;
    private final Certificate chain;
    private final byte[] der;
    private final byte[] fingerprint;

    private DtlsCertificate(AsymmetricKeyParameter privateKey, byte[] der) {
        this.privateKey = privateKey;
        this.der = der;
        this.chain = new Certificate(new TlsCertificate[] {tlsCertificate(der)});
        this.fingerprint = SdpFingerprint.sha256(der);
    }

    public static DtlsCertificate generate() {
        SecureRandom random = new SecureRandom();
        ECKeyPairGenerator generator = new ECKeyPairGenerator();
        // Named (not explicit) curve parameters, so the certificate names P-256 by OID as peers expect.
        generator.init(new ECKeyGenerationParameters(new ECNamedDomainParameters(
                SECObjectIdentifiers.secp256r1, CustomNamedCurves.getByOID(SECObjectIdentifiers.secp256r1)), random));
        AsymmetricCipherKeyPair keys = generator.generateKeyPair();
        Instant now = Instant.now();
        try {
            X509v3CertificateBuilder builder = new X509v3CertificateBuilder(NAME, new BigInteger(64, random).add(BigInteger.ONE),
                    Date.from(now.minus(VALID_BEFORE_NOW)), Date.from(now.plus(VALID_AFTER_NOW)), NAME,
                    SubjectPublicKeyInfoFactory.createSubjectPublicKeyInfo(keys.getPublic()));
            AlgorithmIdentifier signature = new DefaultSignatureAlgorithmIdentifierFinder().find(SIGNATURE_ALGORITHM);
            AlgorithmIdentifier digest = new DefaultDigestAlgorithmIdentifierFinder().find(signature);
            byte[] der = builder.build(new BcECContentSignerBuilder(signature, digest).build(keys.getPrivate())).getEncoded();
            return new DtlsCertificate(keys.getPrivate(), der);
        } catch (IOException e) {
            throw new UncheckedIOException("encoding our certificate", e);
        } catch (OperatorCreationException e) {
            throw new IllegalStateException("BouncyCastle lacks " + SIGNATURE_ALGORITHM, e);
        }
    }

    /** The {@code a=fingerprint} value: "sha-256 AB:CD:...". */
    public String fingerprintSdp() {
        return SdpFingerprint.format(fingerprint);
    }

    public byte[] fingerprintSha256() {
        return fingerprint.clone();
    }

    /** The certificate's DER encoding, what the fingerprint hashes. */
    byte[] encoded() {
        return der.clone();
    }

    /** Signs our side of a handshake (ServerKeyExchange or CertificateVerify) with this certificate's key. */
    TlsCredentialedSigner signer(TlsContext context) {
        return new BcDefaultTlsCredentialedSigner(new TlsCryptoParameters(context), DtlsConfig.CRYPTO, privateKey, chain, ECDSA_SHA256);
    }

    private static TlsCertificate tlsCertificate(byte[] der) {
        try {
            return new BcTlsCertificate(DtlsConfig.CRYPTO, der);
        } catch (IOException e) {
            throw new UncheckedIOException("parsing the certificate we just encoded", e);
        }
    }
}

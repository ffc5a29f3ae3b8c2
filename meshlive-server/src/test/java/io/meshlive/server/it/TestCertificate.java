package io.meshlive.server.it;

import io.meshlive.testkit.ExternalProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A self-signed certificate for 127.0.0.1 (P-256 key, PEM), made with the openssl CLI at test time. */
record TestCertificate(Path certFile, Path keyFile) {
    static TestCertificate make(Path dir) {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        try (ExternalProcess openssl = ExternalProcess.start("openssl", List.of("openssl", "req", "-x509",
                "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1",
                "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                "-keyout", key.toString(), "-out", cert.toString()))) {
            assertThat(openssl.awaitExit(Duration.ofSeconds(20))).as(openssl.describe()).isZero();
        }
        return new TestCertificate(cert, key);
    }
}

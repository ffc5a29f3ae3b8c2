package io.meshlive.webrtc.dtls;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** An {@code openssl s_client} or {@code s_server} process whose output we read line by line. */
final class OpenSsl implements AutoCloseable {
    static final String BINARY = "/usr/bin/openssl";
    private static final String KEYING_MATERIAL = "Keying material: ";

    private final Process process;
    private final List<String> lines = new ArrayList<>();

    private OpenSsl(List<String> command) throws IOException {
        process = new ProcessBuilder(command).redirectErrorStream(true).start();
        Thread reader = new Thread(this::readOutput, "openssl-output");
        reader.setDaemon(true);
        reader.start();
    }

    static OpenSsl run(String... arguments) throws IOException {
        List<String> command = new ArrayList<>(List.of(BINARY));
        command.addAll(List.of(arguments));
        return new OpenSsl(command);
    }

    /** A self-signed ECDSA P-256 certificate and key, as a browser would make; returns the certificate's path. */
    static Path selfSignedCertificate(Path dir) throws IOException, InterruptedException {
        Path cert = dir.resolve("peer.pem");
        Process req = new ProcessBuilder(BINARY, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                "-nodes", "-subj", "/CN=openssl-peer", "-days", "2",
                "-keyout", dir.resolve("peer.key").toString(), "-out", cert.toString())
                .redirectErrorStream(true).start();
        if (!req.waitFor(10, TimeUnit.SECONDS) || req.exitValue() != 0) {
            throw new IOException("openssl req failed: " + new String(req.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        }
        return cert;
    }

    static Path keyOf(Path certificate) {
        return certificate.resolveSibling("peer.key");
    }

    /** SHA-256 of the PEM certificate's DER: what its owner would put in an SDP fingerprint. */
    static byte[] fingerprint(String pem) throws CertificateException {
        byte[] der = CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII))).getEncoded();
        return SdpFingerprint.sha256(der);
    }

    /** Waits for a line containing {@code text} and returns it. */
    String awaitLine(String text, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        synchronized (lines) {
            while (true) {
                for (String line : lines) {
                    if (line.contains(text)) {
                        return line;
                    }
                }
                long left = end - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("openssl did not print \"" + text + "\" within " + timeout + "; it printed:\n"
                            + String.join("\n", lines));
                }
                TimeUnit.NANOSECONDS.timedWait(lines, left);
            }
        }
    }

    /** The exported keying material openssl printed for {@code -keymatexport}. */
    byte[] keyingMaterial(Duration timeout) throws InterruptedException {
        String line = awaitLine(KEYING_MATERIAL, timeout);
        return HexFormat.of().parseHex(line.substring(line.indexOf(KEYING_MATERIAL) + KEYING_MATERIAL.length()).trim().toLowerCase());
    }

    /** The PEM certificate printed after {@code heading} ("Server certificate", "Client certificate"). */
    String certificateAfter(String heading, Duration timeout) throws InterruptedException {
        awaitLine(heading, timeout);
        awaitLine("-----END CERTIFICATE-----", timeout);
        synchronized (lines) {
            int from = lines.indexOf(heading) + 1;
            int to = lines.subList(from, lines.size()).indexOf("-----END CERTIFICATE-----") + from;
            return String.join("\n", lines.subList(from, to + 1)) + "\n";
        }
    }

    /** Closes openssl's stdin: s_client then sends close_notify and exits. */
    void endInput() throws IOException {
        process.getOutputStream().close();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    private void readOutput() {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                synchronized (lines) {
                    lines.add(line);
                    lines.notifyAll();
                }
            }
        } catch (IOException ended) {
            // the process is gone; awaitLine reports what it printed
        }
    }
}

package io.meshlive.server;

import io.meshlive.server.config.ConfigException;
import io.netty.handler.codec.http2.Http2SecurityUtil;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;

import javax.net.ssl.SSLException;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

/** The TLS side of the HTTP port: the server context from {@code http.tls}, offering h2 and http/1.1 by ALPN. */
final class HttpTls {
    private HttpTls() {
    }

    /** Whether {@code http.tls} asks for a TLS listener (a certificate or key is named). */
    static boolean configured(ServerConfig.Tls tls) {
        return !tls.certFile.isEmpty() || !tls.keyFile.isEmpty();
    }

    /** The server context; an error names the key to fix. */
    static SslContext context(ServerConfig.Tls tls, String source) throws ConfigException {
        File cert = readable(source, "http.tls.certFile", tls.certFile);
        File key = readable(source, "http.tls.keyFile", tls.keyFile);
        SslContextBuilder builder;
        try {
            builder = SslContextBuilder.forServer(cert, key);
        } catch (IllegalArgumentException e) {
            // Netty reads the chain first, then the key; its message says which it could not use.
            boolean keyAtFault = String.valueOf(e.getMessage()).contains("key");
            throw new ConfigException(source + ": '" + (keyAtFault ? "http.tls.keyFile" : "http.tls.certFile")
                    + "': " + e.getMessage() + " (expected PEM: a certificate chain, and an unencrypted PKCS#8 private key)");
        }
        try {
            return builder
                    .ciphers(Http2SecurityUtil.CIPHERS, SupportedCipherSuiteFilter.INSTANCE)
                    .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                            ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                            ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                            ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1))
                    .build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new ConfigException(source + ": 'http.tls': the certificate and key cannot be used together: " + e.getMessage());
        }
    }

    private static File readable(String source, String key, String file) throws ConfigException {
        if (file.isEmpty()) {
            throw new ConfigException(source + ": '" + key + "': required for TLS (PEM file)");
        }
        if (!Files.isReadable(Path.of(file))) {
            throw new ConfigException(source + ": '" + key + "': cannot read " + file);
        }
        return new File(file);
    }
}

package io.meshlive.server;

import io.meshlive.server.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ServerConfigTest {
    @TempDir
    Path dir;

    private Path yaml(String text) throws Exception {
        Path f = dir.resolve("meshlive.yaml");
        Files.writeString(f, text);
        return f;
    }

    @Test
    void missingKeysKeepTheirDefaults() throws Exception {
        ServerConfig c = ServerConfig.load(yaml("rtmp:\n  port: 19350\nhub:\n  takeover: true\n"));
        assertThat(c.rtmp.port).isEqualTo(19350);
        assertThat(c.hub.takeover).isTrue();
        assertThat(c.http.port).isEqualTo(8080);
        assertThat(c.hub.latencyBudgetMs).isEqualTo(2000);
    }

    @Test
    void anEmptyFileIsTheEmbeddedDefault() throws Exception {
        assertThat(ServerConfig.load(yaml("")).toYaml()).isEqualTo(new ServerConfig().toYaml());
    }

    @Test
    void printedConfigReadsBackTheSame() throws Exception {
        ServerConfig c = new ServerConfig();
        c.rtmp.idleTimeoutMs = 1234;
        assertThat(ServerConfig.load(yaml(c.toYaml())).toYaml()).isEqualTo(c.toYaml());
    }

    @Test
    void anUnknownKeyNamesItsPathAndWhatIsAllowed() {
        assertThatThrownBy(() -> ServerConfig.load(yaml("rtmp:\n  prot: 1935\n")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'rtmp.prot': unknown key; allowed here: handshakeTimeoutMs, idleTimeoutMs, maxMessageSize, partialMessageBudget, port");
    }

    @Test
    void anOutOfRangeValueNamesItsPathAndTheRange() {
        assertThatThrownBy(() -> ServerConfig.load(yaml("rtmp:\n  port: 70000\n")))
                .hasMessageContaining("'rtmp.port': 70000 is not a port; allowed 0-65535");
        assertThatThrownBy(() -> ServerConfig.load(yaml("hub:\n  latencyBudgetMs: 0\n")))
                .hasMessageContaining("'hub.latencyBudgetMs': 0 is too small; allowed 1 or more");
        assertThatThrownBy(() -> ServerConfig.load(yaml("webhooks:\n  url: http://x/\n")))
                .hasMessageContaining("'webhooks.secret': required");
        assertThatThrownBy(() -> ServerConfig.load(yaml("signing:\n  live:\n    play: true\n")))
                .hasMessageContaining("'signing.live.secret': required");
        assertThatThrownBy(() -> ServerConfig.load(yaml("publish:\n  allow: [Live]\n")))
                .hasMessageContaining("'publish.allow': write app names in lower case ('live')");
        assertThatThrownBy(() -> ServerConfig.load(yaml("http:\n  maxConnectionsPerAddress: 0\n")))
                .hasMessageContaining("'http.maxConnectionsPerAddress': 0 is too small");
    }

    @Test
    void theTransportIsOneOfTheKnownNames() throws Exception {
        assertThat(ServerConfig.load(yaml("transport: io_uring\n")).transport).isEqualTo("io_uring");
        assertThatThrownBy(() -> ServerConfig.load(yaml("transport: uring\n")))
                .hasMessageContaining("'transport': must be auto, epoll, io_uring or nio, got \"uring\"");
    }

    @Test
    void aLadderIsReadAndEveryBadKeyIsNamed() throws Exception {
        String good = "transcode:\n  apps:\n    live:\n      gopFrames: 60\n      renditions:\n"
                + "        - {name: 720p, width: 1280, height: 720, bitrateKbps: 2500}\n"
                + "        - {name: 360p, width: 640, height: 360, bitrateKbps: 700}\n";
        var ladder = ServerConfig.load(yaml(good)).ladders().get("live");
        assertThat(ladder.gopFrames()).isEqualTo(60);
        assertThat(ladder.encoder()).isEqualTo(io.meshlive.transcode.video.VideoEncoderKind.OPENH264);
        assertThat(ladder.renditions()).extracting(io.meshlive.transcode.video.RenditionSpec::name).containsExactly("720p", "360p");

        assertThatThrownBy(() -> ServerConfig.load(yaml(good.replace("gopFrames: 60", "encoder: x265"))))
                .hasMessageContaining("'transcode.apps.live.encoder': 'x265'; allowed openh264, x264");
        assertThatThrownBy(() -> ServerConfig.load(yaml(good.replace("width: 640, height: 360, ", ""))))
                .hasMessageContaining("'transcode.apps.live.renditions[1]': width and height are required");
        assertThatThrownBy(() -> ServerConfig.load(yaml(good.replace("name: 360p", "name: 720p"))))
                .hasMessageContaining("'transcode.apps.live.renditions[1].name': '720p' is already the name of another rendition");
        assertThatThrownBy(() -> ServerConfig.load(yaml(good.replace("gopFrames: 60", "gopFrames: -1"))))
                .hasMessageContaining("'transcode.apps.live.gopFrames': -1 is too small; allowed 0 or more");
        assertThatThrownBy(() -> ServerConfig.load(yaml(good.replace("width: 640", "width: 641"))))
                .hasMessageContaining("'transcode.apps.live.renditions[1]': 641x360 must be even");
        assertThatThrownBy(() -> ServerConfig.load(yaml(good.replace("bitrateKbps: 700", "bitrate: 700"))))
                .hasMessageContaining("'transcode.apps.live.renditions[1].bitrate': unknown key");
    }

    @Test
    void snapshotKeysAreReadPerAppAndChecked() throws Exception {
        ServerConfig c = ServerConfig.load(yaml("snapshot:\n  quality: 60\n  intervalSeconds: 5\n  apps:\n    live:\n      enabled: true\n"));
        assertThat(c.snapshot.quality).isEqualTo(60);
        assertThat(c.snapshot.intervalSeconds).isEqualTo(5);
        assertThat(c.snapshot.apps.get("live").enabled).isTrue();
        assertThatThrownBy(() -> ServerConfig.load(yaml("snapshot:\n  quality: 101\n")))
                .hasMessageContaining("'snapshot.quality': 101 is too large; allowed 100 or less");
        assertThatThrownBy(() -> ServerConfig.load(yaml("snapshot:\n  keep: 0\n")))
                .hasMessageContaining("'snapshot.keep': 0 is too small; allowed 1 or more");
        assertThatThrownBy(() -> ServerConfig.load(yaml("snapshot:\n  width: 8\n")))
                .hasMessageContaining("'snapshot.width': 8 is too small; allowed 16 or more");
        assertThatThrownBy(() -> ServerConfig.load(yaml("snapshot:\n  apps:\n    live:\n      enable: true\n")))
                .hasMessageContaining("'snapshot.apps.live.enable': unknown key; allowed here: enabled");
    }

    @Test
    void relaysAreReadAndEveryBadOneNamesItsKey() throws Exception {
        ServerConfig c = ServerConfig.load(yaml("relays:\n  pulls:\n    - {url: 'rtmp://origin.example/live/a', app: live, stream: a}\n"
                + "    - {url: 'http://origin.example:8080/live/b.flv', app: live, stream: b}\n"
                + "  pushes:\n    - {app: live, stream: a, url: 'rtmps://platform.example/app/key?token=x'}\n"));
        assertThat(c.relays.specs()).hasSize(3);
        assertThat(c.relays.specs().get(2).redactedUrl()).isEqualTo("rtmps://platform.example/app/key?...");
        assertThatThrownBy(() -> ServerConfig.load(yaml("relays:\n  pulls:\n    - {url: 'ftp://x/live/a', app: live, stream: a}\n")))
                .hasMessageContaining("'relays.pulls[0].url': URL 'ftp://x/live/a' is neither rtmp:// nor rtmps://");
        assertThatThrownBy(() -> ServerConfig.load(yaml("relays:\n  pushes:\n    - {app: live, stream: a, url: 'http://x/live/a.flv'}\n")))
                .hasMessageContaining("'relays.pushes[0].url': a push goes to rtmp:// or rtmps://");
        assertThatThrownBy(() -> ServerConfig.load(yaml("relays:\n  pulls:\n    - {url: 'rtmp://x/live/a', stream: a}\n")))
                .hasMessageContaining("'relays.pulls[0].app': required");
        assertThatThrownBy(() -> ServerConfig.load(yaml("relays:\n  pulls:\n    - {url: 'rtmp://x/live/a', app: live, stream: a, name: b}\n")))
                .hasMessageContaining("'relays.pulls[0].name': unknown key");
        assertThatThrownBy(() -> ServerConfig.load(yaml("relays:\n  retryMaxSeconds: 0\n")))
                .hasMessageContaining("'relays.retryMaxSeconds': 0 is too small");
    }

    @Test
    void aBadValueNamesItsPath() {
        assertThatThrownBy(() -> ServerConfig.load(yaml("hub:\n  latencyBudgetMs: fast\n")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'hub.latencyBudgetMs'")
                .hasMessageContaining("fast");
    }

    @Test
    void tlsNeedsAReadableCertificateAndKeyAndNamesTheKeyAtFault() throws Exception {
        assertThatThrownBy(() -> ServerConfig.load(yaml("http:\n  tls:\n    certFile: /no/such/cert.pem\n")))
                .hasMessageContaining("'http.tls.certFile': cannot read /no/such/cert.pem");
        Path cert = dir.resolve("cert.pem");
        Files.writeString(cert, "not a certificate\n");
        assertThatThrownBy(() -> ServerConfig.load(yaml("http:\n  tls:\n    certFile: " + cert + "\n")))
                .hasMessageContaining("'http.tls.keyFile': required for TLS");
        Path key = dir.resolve("key.pem");
        Files.writeString(key, "not a key\n");
        assertThatThrownBy(() -> ServerConfig.load(yaml("http:\n  tls:\n    certFile: " + cert + "\n    keyFile: " + key + "\n")))
                .hasMessageContaining("'http.tls.certFile'");
        assertThat(ServerConfig.load(yaml("http:\n  port: 8081\n")).http.tls.port).as("TLS off by default, its port kept").isEqualTo(8443);
    }
}

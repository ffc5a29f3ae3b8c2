package io.meshlive.bench.attack;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code bench attack}: runs a stranger's attacks against a live node while one healthy HTTP-FLV
 * viewer plays {@code /app/stream.flv}, and prints one line per attack: held or BROKE, with its
 * figure. meshlive-bench/figures/attack.sh starts a node configured for every attack and runs it.
 */
@Command(name = "attack", mixinStandardHelpOptions = true,
        description = {"Attacks a live node (issue 14's holes and the attacks that held before) while a healthy HTTP-FLV viewer plays,"
                + " and prints one line per attack: held or BROKE, with the figure.",
                "The node must have --app/--stream live (and --bound-app/--stream for the HLS token attack), webhooks.url pointing"
                        + " at --hook-port, and --signed-app signed with --secret; meshlive-bench/figures/attack.sh sets all of this up.",
                "Exit status: 0 when every attack held and the healthy viewer kept playing."})
public final class AttackCommand implements Callable<Integer> {
    @Option(names = "--host", defaultValue = "127.0.0.1") String host;
    @Option(names = "--rtmp-port", defaultValue = "1935") int rtmpPort;
    @Option(names = "--http-port", defaultValue = "8080") int httpPort;
    @Option(names = "--app", defaultValue = "live", description = "an open app with --stream live in it") String app;
    @Option(names = "--stream", defaultValue = "victim") String stream;
    @Option(names = "--bound-app", defaultValue = "bound", description = "an app signed with bindIp for play, with --stream live in it") String boundApp;
    @Option(names = "--signed-app", defaultValue = "signed", description = "an app signed for play and publish") String signedApp;
    @Option(names = "--secret", defaultValue = "attack-secret", description = "the signing secret of --bound-app and --signed-app") String secret;
    @Option(names = "--api-token", defaultValue = "attack-token") String apiToken;
    @Option(names = "--hook-port", defaultValue = "0", description = "listen here as the node's webhook receiver; 0 = no webhook attacks") int hookPort;
    @Option(names = "--hook-fail-open", defaultValue = "true") boolean hookFailOpen;
    @Option(names = "--hook-timeout-ms", defaultValue = "2000") int hookTimeoutMs;
    @Option(names = "--header-timeout-ms", defaultValue = "10000", description = "the node's http.headerTimeoutMs") int headerTimeoutMs;
    @Option(names = "--webrtc-handshake-timeout-ms", defaultValue = "10000") int webrtcHandshakeTimeoutMs;
    @Option(names = "--silent", defaultValue = "1000", description = "silent HTTP connections to open") int silent;
    @Option(names = "--per-address", defaultValue = "300", description = "connections to open from one address") int perAddressAttempts;
    @Option(names = "--flood", defaultValue = "100", description = "connections each sending half of an 8 MiB connect") int flood;
    @Option(names = "--holders", defaultValue = "40", description = "publishers each holding most of a large message") int holders;
    @Option(names = "--message-bytes", defaultValue = "8388608", description = "the node's rtmp.maxMessageSize") int messageBytes;
    @Option(names = "--offers", defaultValue = "500", description = "WHEP offers that never do ICE") int offers;

    /** One attack: its name and how to run it. */
    @FunctionalInterface
    private interface Attack {
        Attacks.Outcome run() throws Exception;
    }

    @Override
    public Integer call() throws Exception {
        Attacks attacks = new Attacks(this);
        HttpListenerAttacks listener = new HttpListenerAttacks(this);
        RtmpAttacks rtmp = new RtmpAttacks(this);
        Map<String, Attack> all = new LinkedHashMap<>();
        all.put("whep-delete-by-guessing", attacks::whepDeleteByGuessing);
        all.put("hls-token-from-another-address", attacks::hlsTokenFromAnotherAddress);
        all.put("http-silent-connections", listener::silentConnections);
        all.put("http-dripping-headers", listener::drippingHeaders);
        all.put("http-per-address-cap", listener::perAddressCap);
        all.put("rtmp-8mib-connect", rtmp::rtmpHugeConnect);
        all.put("rtmp-connect-flood", rtmp::rtmpConnectFlood);
        all.put("rtmp-partial-message-budget", rtmp::rtmpPartialBudget);
        all.put("rtmp-bad-names", rtmp::rtmpNameInjection);
        all.put("http-bad-names", listener::httpNameInjection);
        all.put("rtmp-bad-chunks", rtmp::rtmpBadChunks);
        all.put("http-huge-headers", listener::hugeHeaders);
        all.put("whep-garbage-sdp", attacks::garbageSdp);
        all.put("whep-offers-without-ice", attacks::offersWithoutIce);
        all.put("signatures-every-protocol", attacks::signatures);
        all.put("publish-to-closed-app", attacks::closedApp);
        all.put("metrics-without-token", attacks::privateMetrics);
        HookReceiver hooks = hookPort > 0 ? new HookReceiver(hookPort) : null;
        if (hooks != null) {
            all.put("webhooks-slow-garbage-huge-502-deny", attacks::webhooks);
        }
        int broke = 0;
        try (HealthyViewer viewer = new HealthyViewer(new RawHttp(host, httpPort), "/" + app + "/" + stream + ".flv")) {
            Thread.sleep(1000);
            for (Map.Entry<String, Attack> a : all.entrySet()) {
                Attacks.Outcome out;
                long start = System.nanoTime();
                viewer.markPhase();
                try {
                    out = a.getValue().run();
                } catch (Exception e) {
                    out = new Attacks.Outcome(false, "the attack itself failed: " + e);
                }
                broke += out.held() ? 0 : 1;
                System.out.printf("%-6s %-36s %s (%.1f s; healthy viewer's longest silence %d ms)%n", out.held() ? "held" : "BROKE",
                        a.getKey(), out.figure(), (System.nanoTime() - start) / 1e9, viewer.phaseGapMillis());
            }
            if (hooks != null) {
                long mb = hooks.hugeBytesWritten.get() >> 20;
                boolean held = mb < 64;
                broke += held ? 0 : 1;
                System.out.printf("%-6s %-36s the node let a 1 GiB webhook reply write %d MiB (socket buffers included)%n",
                        held ? "held" : "BROKE", "webhook-reply-cap", mb);
            }
            boolean healthy = !viewer.ended() && viewer.bytes() > 0 && viewer.maxGapMillis() < 2000;
            broke += healthy ? 0 : 1;
            System.out.printf("%-6s %-36s %d bytes, longest silence %d ms, %s%n", healthy ? "held" : "BROKE", "healthy-viewer-throughout",
                    viewer.bytes(), viewer.maxGapMillis(), viewer.ended() ? "disconnected" : "still playing");
        } finally {
            if (hooks != null) {
                hooks.close();
            }
        }
        return broke == 0 ? 0 : 1;
    }
}

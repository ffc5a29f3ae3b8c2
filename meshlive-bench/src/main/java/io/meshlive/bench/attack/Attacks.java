package io.meshlive.bench.attack;


import io.meshlive.testkit.Http1Clients;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The attacks of {@code bench attack}, each against a live node and each answering whether the
 * node held, with the figure that says so. A stranger's attacks only: nothing here needs more than
 * network access (and the signing secret, to make a valid signature for another address).
 *
 * <p>This class holds the attacks on sessions and access (WHEP, signed URLs, webhooks, the API)
 * and what they share; those on the listeners themselves are {@link HttpListenerAttacks} and
 * {@link RtmpAttacks}.
 */
final class Attacks {
    /** One attack's outcome: held or broke, and the measured figure. */
    record Outcome(boolean held, String figure) {
        static Outcome of(boolean held, String figure, Object... args) {
            return new Outcome(held, String.format(figure, args));
        }
    }

    private final AttackCommand o;
    private final RawHttp http;
    private final HttpClient client = Http1Clients.builder()
            .connectTimeout(Duration.ofSeconds(3)).build();

    Attacks(AttackCommand options) {
        this.o = options;
        this.http = new RawHttp(options.host, options.httpPort);
    }

    private String base() {
        return "http://" + o.host + ":" + o.httpPort;
    }

    private HttpResponse<String> send(HttpRequest.Builder b) throws IOException, InterruptedException {
        return client.send(b.timeout(Duration.ofSeconds(15)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> offer(String app, String stream, String kind, String query, String sdp) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(base() + "/" + app + "/" + stream + "/" + kind + (query.isEmpty() ? "" : "?" + query)))
                .header("Content-Type", "application/sdp").POST(HttpRequest.BodyPublishers.ofString(sdp)));
    }

    static String offerSdp(boolean publish) {
        return String.join("\r\n", "v=0", "o=- 1 2 IN IP4 127.0.0.1", "s=-", "t=0 0",
                "a=group:BUNDLE 0", "m=video 9 UDP/TLS/RTP/SAVPF 102", "c=IN IP4 0.0.0.0",
                "a=ice-ufrag:clnt", "a=ice-pwd:clientpasswordclientpassw",
                "a=fingerprint:sha-256 " + "AB:".repeat(31) + "AB", "a=setup:actpass", "a=mid:0",
                publish ? "a=sendonly" : "a=recvonly", "a=rtcp-mux", "a=rtpmap:102 H264/90000",
                "a=fmtp:102 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f", "");
    }

    private int whepSessions() throws Exception {
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(base() + "/api/v1/sessions"))
                .header("Authorization", "Bearer " + o.apiToken));
        int n = 0;
        for (int i = r.body().indexOf("\"whep\""); i >= 0; i = r.body().indexOf("\"whep\"", i + 1)) {
            n++;
        }
        return n;
    }

    // ---- the holes of issue 14 ----

    Outcome whepDeleteByGuessing() throws Exception {
        HttpResponse<String> r = offer(o.app, o.stream, "whep", "", offerSdp(false));
        if (r.statusCode() != 201) {
            return Outcome.of(false, "the offer was answered %d: %s", r.statusCode(), r.body().trim());
        }
        String location = r.headers().firstValue("Location").orElse("");
        String id = location.substring(location.lastIndexOf('/') + 1);
        String prefix = base() + location.substring(0, location.lastIndexOf('/') + 1);
        int ended = 0;
        int guesses = 0;
        // Guessed ids 0, 1, 2...: as many as fit in 5 s, well inside the session's ICE deadline.
        for (long until = System.nanoTime() + 5_000_000_000L; guesses < 1000 && System.nanoTime() < until; guesses++) {
            if (send(HttpRequest.newBuilder(URI.create(prefix + guesses)).DELETE()).statusCode() / 100 == 2) {
                ended++;
            }
        }
        int own = send(HttpRequest.newBuilder(URI.create(base() + location)).DELETE()).statusCode();
        boolean held = ended == 0 && id.length() >= 22 && own == 200;
        return Outcome.of(held, "resource id of %d chars; %d of %d guessed DELETEs ended a session; its own URL then: %d",
                id.length(), ended, guesses, own);
    }

    Outcome hlsTokenFromAnotherAddress() throws Exception {
        long expires = System.currentTimeMillis() / 1000 + 3600;
        String playlist = "/" + o.boundApp + "/" + o.stream + "/index.m3u8";
        String signed = playlist + "?expires=" + expires + "&sign=" + sign(o.secret, o.boundApp, o.stream, expires, "127.0.0.1");
        RawHttp.Answer admitted = http.get("127.0.0.1", signed);
        String session = admitted.header("Location");
        if (admitted.status() != 302 || session == null) {
            return Outcome.of(false, "the signed playlist was answered %d (want 302 to the session URL)", admitted.status());
        }
        int owner = http.get("127.0.0.1", session).status();
        int stranger = http.get("127.0.0.2", session).status();
        return Outcome.of(owner == 200 && stranger == 403, "session URL from the signed address: %d; from another address: %d",
                owner, stranger);
    }


    // ---- the attacks that already held ----

    Outcome garbageSdp() throws Exception {
        int status = offer(o.app, o.stream, "whep", "", "\u0000garbage\r\nm=\r\n" + "x".repeat(10_000)).statusCode();
        return Outcome.of(status == 400, "a garbage offer answered %d", status);
    }

    Outcome offersWithoutIce() throws Exception {
        int created = 0;
        for (int i = 0; i < o.offers; i++) {
            if (offer(o.app, o.stream, "whep", "", offerSdp(false)).statusCode() == 201) {
                created++;
            }
        }
        long start = System.nanoTime();
        int left = whepSessions();
        while (left > 0 && System.nanoTime() - start < (o.webrtcHandshakeTimeoutMs + 10_000) * 1_000_000L) {
            Thread.sleep(500);
            left = whepSessions();
        }
        return Outcome.of(left == 0 && created == o.offers, "%d of %d offers answered; sessions left without ICE after %d ms: %d",
                created, o.offers, (System.nanoTime() - start) / 1_000_000, left);
    }

    Outcome webhooks() throws Exception {
        List<String> figures = new ArrayList<>();
        boolean held = true;
        for (String stream : new String[] {"hook-slow", "hook-garbage", "hook-huge", "hook-502", "hook-deny"}) {
            long start = System.nanoTime();
            int status = http.head("127.0.0.1", "/" + o.app + "/" + stream + ".flv").status();
            long ms = (System.nanoTime() - start) / 1_000_000;
            // Fail-open (the script's setting) lets the unavailable ones through (200: an FLV viewer waiting for its
            // publisher); allow:false is a 403.
            int want = stream.equals("hook-deny") || !o.hookFailOpen ? 403 : 200;
            held &= status == want && ms < o.hookTimeoutMs + 2000;
            figures.add(stream.substring(5) + " " + status + " in " + ms + " ms");
        }
        return Outcome.of(held, "%s", String.join(", ", figures));
    }

    long hugeReplyBytesWritten(HookReceiver hooks) {
        return hooks.hugeBytesWritten.get();
    }

    Outcome signatures() throws Exception {
        if (o.signedApp == null) {
            return Outcome.of(true, "skipped: no --signed-app");
        }
        long now = System.currentTimeMillis() / 1000;
        Map<String, String> queries = new LinkedHashMap<>();
        queries.put("unsigned", "");
        queries.put("expired", "expires=" + (now - 60) + "&sign=" + sign(o.secret, o.signedApp, o.stream, now - 60, null));
        queries.put("foreign", "expires=" + (now + 3600) + "&sign=" + sign("not-the-secret", o.signedApp, o.stream, now + 3600, null));
        queries.put("other-stream", "expires=" + (now + 3600) + "&sign=" + sign(o.secret, o.signedApp, "other", now + 3600, null));
        int tried = 0;
        List<String> let = new ArrayList<>();
        for (Map.Entry<String, String> q : queries.entrySet()) {
            String query = q.getValue().isEmpty() ? "" : "?" + q.getValue();
            String path = "/" + o.signedApp + "/" + o.stream;
            Map<String, Integer> answers = new LinkedHashMap<>();
            answers.put("http-flv", http.get("127.0.0.1", path + ".flv" + query).status());
            answers.put("ws-flv", http.get("127.0.0.1", path + ".flv" + query, "Upgrade: websocket", "Connection: Upgrade",
                    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Version: 13").status());
            answers.put("hls", http.get("127.0.0.1", path + ".m3u8" + query).status());
            answers.put("ll-hls", http.get("127.0.0.1", path + "/index.m3u8" + query).status());
            answers.put("whep", offer(o.signedApp, o.stream, "whep", q.getValue(), offerSdp(false)).statusCode());
            answers.put("whip", offer(o.signedApp, o.stream + "x", "whip", q.getValue(), offerSdp(true)).statusCode());
            for (Map.Entry<String, Integer> a : answers.entrySet()) {
                tried++;
                if (a.getValue() != 403) {
                    let.add(q.getKey() + " " + a.getKey() + ":" + a.getValue());
                }
            }
            for (boolean publish : new boolean[] {false, true}) {
                try (RawRtmp c = RawRtmp.connect(o.host, o.rtmpPort).handshake()) {
                    tried++;
                    c.start(o.signedApp, o.stream + (publish ? "x" : "") + query, publish);
                    if (c.awaitClosed(3000) < 0) {
                        let.add(q.getKey() + " rtmp-" + (publish ? "publish" : "play"));
                    }
                }
            }
        }
        return Outcome.of(let.isEmpty(), "%d of %d unsigned/expired/foreign/other-stream attempts refused (HTTP-FLV, WS-FLV, HLS, LL-HLS, WHEP, WHIP, RTMP play and publish)%s",
                tried - let.size(), tried, let.isEmpty() ? "" : "; let in: " + let);
    }

    Outcome closedApp() throws Exception {
        try (RawRtmp c = RawRtmp.connect(o.host, o.rtmpPort).handshake()) {
            c.start("closedapp", "x", true);
            long closed = c.awaitClosed(3000);
            int whip = offer("closedapp", "x", "whip", "", offerSdp(true)).statusCode();
            return Outcome.of(closed >= 0 && whip == 403, "RTMP publish to an app not in publish.allow: %s; WHIP: %d",
                    closed >= 0 ? "refused" : "accepted", whip);
        }
    }

    Outcome privateMetrics() throws Exception {
        int anonymous = send(HttpRequest.newBuilder(URI.create(base() + "/metrics"))).statusCode();
        return Outcome.of(anonymous == 401 || anonymous == 403, "/metrics without the API token: %d", anonymous);
    }

    static String sign(String secret, String app, String stream, long expires, String clientIp) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(("/" + app + "/" + stream + expires + (clientIp == null ? "" : clientIp))
                .getBytes(StandardCharsets.UTF_8)));
    }
}

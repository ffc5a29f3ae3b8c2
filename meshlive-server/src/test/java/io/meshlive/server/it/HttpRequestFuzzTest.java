package io.meshlive.server.it;

import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.api.SilentCloseable;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.meshlive.testkit.LeakRecorder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Arbitrary request lines, paths, queries and headers into a running node's HTTP port, the way a
 * stranger sends them: every request routes through Netty's decoder, our router, the API, HLS,
 * WHEP/WHIP, FLV and console paths. The node must answer each with a status line below 500 (a 4xx
 * for what it cannot use) or close a connection whose bytes are not HTTP, never fail with a 500,
 * and still answer its health check afterwards; nothing may leak (the leak gate). Jazzer runs the
 * seeds in the normal build; {@code meshlive-bench/figures/fuzz.sh HttpRequest} fuzzes.
 */
class HttpRequestFuzzTest {
    private static final String[] METHODS = {"GET", "HEAD", "POST", "DELETE", "OPTIONS", "PATCH", "PUT"};
    private static final String[] PREFIXES = {"/live/x.flv", "/live/x/index.m3u8", "/live/x.m3u8", "/live/x/whep", "/live/x/whip",
            "/api/v1/streams", "/api/v1/cluster/nodes", "/api/v1/streams/live/x/cues", "/console/", "/metrics", "/"};
    /** The health check runs after every this many inputs: each one is a full HTTP exchange. */
    private static final int HEALTH_EVERY = 20;
    private static TestServer server;
    private static int inputs;

    @BeforeAll
    static void start() throws InterruptedException {
        // The node's buffers live on its event loops: leaks are found by PARANOID tracking, even while fuzzing.
        LeakRecorder.traceEveryBuffer();
        server = TestServer.start(c -> {
            c.http.headerTimeoutMs = 2_000;
            // One client opening connection after connection, faster than a busy node may close
            // the last ones: the per-address cap (its own test is AttackTest's) is not what is fuzzed.
            c.http.maxConnectionsPerAddress = 100_000;
        });
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @FuzzTest(maxDuration = "30s")
    void request(FuzzedDataProvider data) throws IOException, InterruptedException {
        // Jazzer's SSRF detector (active while fuzzing) is told that connecting to the node is the test.
        try (SilentCloseable toTheNode = BugDetectors.allowNetworkConnections((host, port) -> host.equals("127.0.0.1") || host.equals("localhost"))) {
            send(data);
        }
    }

    private static void send(FuzzedDataProvider data) throws IOException, InterruptedException {
        String method = data.pickValue(METHODS);
        // Most inputs start on a real route so the fuzzer explores what lies behind it.
        String path = (data.consumeBoolean() ? data.pickValue(PREFIXES) : "") + data.consumeString(300);
        String headerName = data.consumeAsciiString(20);
        String headerValue = data.consumeString(200);
        byte[] body = data.consumeRemainingAsBytes();
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        request.writeBytes((method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                + headerName + ": " + headerValue + "\r\nContent-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        request.writeBytes(body);
        String status = exchange(request.toByteArray());
        if (status != null) {
            assertThat(status).as("answer to %s %s", method, quoted(path)).matches("HTTP/1\\.1 [1-4]\\d\\d.*");
        }
        if (inputs++ % HEALTH_EVERY == 0) {
            assertThat(server.api("/api/v1/health").path("status").asText()).isEqualTo("ok");
        }
    }

    /** Sends {@code request} and returns the status line, or null when the node closed without one. */
    private static String exchange(byte[] request) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(server.host(), server.httpPort()), 2_000);
            s.setSoTimeout(5_000);
            OutputStream out = s.getOutputStream();
            try {
                out.write(request);
                out.flush();
            } catch (IOException closedByTheNode) {
                // it refused what it had read so far; the status line may still be there
            }
            InputStream in = s.getInputStream();
            StringBuilder line = new StringBuilder();
            try {
                int b;
                while ((b = in.read()) >= 0 && b != '\n' && line.length() < 200) {
                    line.append((char) b);
                }
            } catch (SocketTimeoutException e) {
                throw new AssertionError("no answer within 5 s to " + quoted(new String(request, StandardCharsets.ISO_8859_1)), e);
            } catch (IOException reset) {
                return null;
            }
            return line.length() == 0 ? null : line.toString().trim();
        }
    }

    private static String quoted(String s) {
        String shown = s.length() > 200 ? s.substring(0, 200) + "…" : s;
        return "'" + shown.replace("\r", "\\r").replace("\n", "\\n") + "'";
    }
}

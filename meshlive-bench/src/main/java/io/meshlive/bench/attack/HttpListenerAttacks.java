package io.meshlive.bench.attack;

import io.meshlive.bench.attack.Attacks.Outcome;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The attacks of {@code bench attack} on the node's HTTP listener itself, before any route answers:
 * connections that never speak or drip their headers, one address opening many connections,
 * oversized headers, and request paths built to forge log lines or walk out of the stream space.
 * Each speaks raw HTTP ({@link RawHttp}) from a loopback address of its own, so the node's
 * per-address limits see one stranger per attack.
 */
final class HttpListenerAttacks {
    private final AttackCommand o;
    private final RawHttp http;

    HttpListenerAttacks(AttackCommand options) {
        this.o = options;
        this.http = new RawHttp(options.host, options.httpPort);
    }

    Outcome silentConnections() throws Exception {
        List<Socket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < o.silent; i++) {
                sockets.add(http.open("127.0.0.11"));
            }
            long start = System.nanoTime();
            int closed = 0;
            for (Socket s : sockets) {
                long left = o.headerTimeoutMs + 5000 - (System.nanoTime() - start) / 1_000_000;
                if (RawHttp.awaitClosed(s, Math.max(1, left)) >= 0) {
                    closed++;
                }
            }
            long ms = (System.nanoTime() - start) / 1_000_000;
            return Outcome.of(closed == sockets.size(), "%d of %d silent connections closed by the node within %d ms",
                    closed, sockets.size(), ms);
        } finally {
            for (Socket s : sockets) {
                s.close();
            }
        }
    }

    Outcome drippingHeaders() throws Exception {
        List<Socket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < 50; i++) {
                Socket s = http.open("127.0.0.12");
                s.getOutputStream().write(("GET /" + o.app + "/" + o.stream + ".flv HTTP/1.1\r\nHost: x\r\n").getBytes(StandardCharsets.US_ASCII));
                sockets.add(s);
            }
            long start = System.nanoTime();
            long deadline = start + (o.headerTimeoutMs + 5000) * 1_000_000L;
            int open = sockets.size();
            while (open > 0 && System.nanoTime() < deadline) {
                open = 0;
                for (Socket s : sockets) {
                    if (!s.isClosed()) {
                        if (stillOpen(s)) {
                            open++;
                        } else {
                            s.close();
                        }
                    }
                }
                Thread.sleep(500);
            }
            return Outcome.of(open == 0, "%d of %d connections dripping a header byte every 0.5 s still open after %d ms",
                    open, sockets.size(), (System.nanoTime() - start) / 1_000_000);
        } finally {
            for (Socket s : sockets) {
                s.close();
            }
        }
    }

    /** Drips one more header byte; false once the node has closed the connection (or answered it). */
    private static boolean stillOpen(Socket s) {
        try {
            s.getOutputStream().write('X');
            s.getOutputStream().flush();
            s.setSoTimeout(1);
            s.getInputStream().read();
            return false;
        } catch (java.net.SocketTimeoutException nothingYet) {
            return true;
        } catch (IOException closed) {
            return false;
        }
    }

    Outcome perAddressCap() throws Exception {
        List<Socket> sockets = new ArrayList<>();
        try {
            int refused = 0;
            for (int i = 0; i < o.perAddressAttempts; i++) {
                Socket s = http.open("127.0.0.13");
                sockets.add(s);
                s.getOutputStream().write(("GET /" + o.app + "/" + o.stream + ".flv HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            }
            for (Socket s : sockets) {
                s.setSoTimeout(200);
                try {
                    byte[] head = s.getInputStream().readNBytes(12);
                    if (new String(head, StandardCharsets.US_ASCII).startsWith("HTTP/1.1 503")) {
                        refused++;
                    }
                } catch (IOException slowOrClosed) {
                    // a viewer with nothing yet, or closed
                }
            }
            int health = http.get("127.0.0.1", "/api/v1/health", "Authorization: Bearer " + o.apiToken).status();
            return Outcome.of(refused > 0 && health == 200, "%d of %d connections from one address refused with 503; /api/v1/health from another: %d",
                    refused, sockets.size(), health);
        } finally {
            for (Socket s : sockets) {
                s.close();
            }
        }
    }

    Outcome httpNameInjection() throws Exception {
        int refused = 0;
        long largest = 0;
        String[] paths = {"/" + o.app + "/evil%0AINFO%20forged.flv", "/" + o.app + "/" + "n".repeat(100_000) + ".flv",
                "/../../etc/passwd.flv", "/" + o.app + "/%2e%2e/x.m3u8", "/" + o.app + "/x%00y/whep"};
        for (String p : paths) {
            RawHttp.Answer a = http.get("127.0.0.1", p);
            largest = Math.max(largest, a.bytes());
            if (a.status() >= 400 && a.status() < 500 || a.status() == 0) {
                refused++;
            }
        }
        return Outcome.of(refused == paths.length && largest < 8192, "%d of %d bad paths (newline, 100 KB, traversal, NUL) refused; largest answer %d bytes",
                refused, paths.length, largest);
    }

    Outcome hugeHeaders() throws Exception {
        String request = "GET /api/v1/health HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(64 * 1024) + "\r\n\r\n";
        RawHttp.Answer a = http.exchange("127.0.0.1", request.getBytes(StandardCharsets.US_ASCII), 8192);
        return Outcome.of(a.status() / 100 == 4 || a.status() == 0, "a 64 KB header answered %s", a.status() == 0 ? "by a close" : a.status());
    }
}

package io.meshlive.bench.attack;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** HTTP/1.1 by hand, from a chosen local address (any 127/8 address reaches a node on loopback): what a hostile client sends. */
final class RawHttp {
    private final String host;
    private final int port;

    RawHttp(String host, int port) {
        this.host = host;
        this.port = port;
    }

    /** The status line and headers of an answer, and how many bytes came in all. */
    record Answer(int status, String head, long bytes) {
        String header(String name) {
            Matcher m = Pattern.compile("(?im)^" + Pattern.quote(name) + ":\\s*(.*?)\\r?$").matcher(head);
            return m.find() ? m.group(1) : null;
        }
    }

    Socket open(String localIp) throws IOException {
        Socket s = new Socket();
        if (localIp != null) {
            s.bind(new InetSocketAddress(InetAddress.getByName(localIp), 0));
        }
        s.connect(new InetSocketAddress(host, port), 3000);
        s.setSoTimeout(10_000);
        return s;
    }

    /** Sends {@code request} as it is and reads the answer's head and up to {@code maxBody} more bytes; status 0 if closed without one. */
    Answer exchange(String localIp, byte[] request, int maxBody) throws IOException {
        try (Socket s = open(localIp)) {
            try {
                s.getOutputStream().write(request);
            } catch (SocketException closedWhileSending) {
                // the server may hang up before it has read all of a hostile request
            }
            return read(s, maxBody);
        }
    }

    /** A GET whose answer is read up to the end of its head only (a live body never ends). */
    Answer head(String localIp, String pathAndQuery) throws IOException {
        String r = "GET " + pathAndQuery + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n";
        return exchange(localIp, r.getBytes(StandardCharsets.ISO_8859_1), 0);
    }

    Answer get(String localIp, String pathAndQuery, String... headers) throws IOException {
        StringBuilder r = new StringBuilder("GET ").append(pathAndQuery).append(" HTTP/1.1\r\nHost: ").append(host).append("\r\n");
        for (String h : headers) {
            r.append(h).append("\r\n");
        }
        r.append("Connection: close\r\n\r\n");
        return exchange(localIp, r.toString().getBytes(StandardCharsets.ISO_8859_1), 64 * 1024);
    }

    static Answer read(Socket s, int maxBody) throws IOException {
        InputStream in = s.getInputStream();
        StringBuilder head = new StringBuilder();
        long bytes = 0;
        try {
            int b;
            while ((b = in.read()) >= 0) {
                bytes++;
                head.append((char) b);
                if (head.length() >= 4 && head.substring(head.length() - 4).equals("\r\n\r\n")) {
                    break;
                }
                if (head.length() > 64 * 1024) {
                    break;
                }
            }
            byte[] sink = new byte[8192];
            int n;
            while (bytes - head.length() < maxBody && (n = in.read(sink)) > 0) {
                bytes += n;
            }
        } catch (SocketException | SocketTimeoutException ended) {
            // a reset or a live body: what came so far is the answer
        }
        String text = head.toString();
        int status = text.startsWith("HTTP/1.1 ") && text.length() >= 12 ? Integer.parseInt(text.substring(9, 12)) : 0;
        return new Answer(status, text, bytes);
    }

    /** Waits for the server to close {@code s}, reading and dropping what it sends; ms taken, or -1 if still open after {@code limitMs}. */
    static long awaitClosed(Socket s, long limitMs) throws IOException {
        long start = System.nanoTime();
        byte[] sink = new byte[8192];
        try {
            s.setSoTimeout((int) Math.max(1, limitMs));
            while (s.getInputStream().read(sink) >= 0) {
                if ((System.nanoTime() - start) / 1_000_000 > limitMs) {
                    return -1;
                }
            }
        } catch (SocketTimeoutException stillOpen) {
            return -1;
        } catch (SocketException reset) {
            // a reset is a close
        }
        return (System.nanoTime() - start) / 1_000_000;
    }
}

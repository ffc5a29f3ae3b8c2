package io.meshlive.bench.attack;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A hostile webhook receiver for the node's webhooks.url: it answers by stream name. {@code hook-slow}
 * never answers, {@code hook-garbage} answers 200 with HTML, {@code hook-huge} announces 1 GiB and
 * streams it, {@code hook-502} is a proxy with no upstream, {@code hook-deny} says allow:false;
 * anything else is allowed. Counts the bytes of huge replies the node let it write.
 */
final class HookReceiver implements AutoCloseable {
    private final ServerSocket server;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "hook-receiver");
        t.setDaemon(true);
        return t;
    });
    final AtomicLong hugeBytesWritten = new AtomicLong();

    HookReceiver(int port) throws IOException {
        server = new ServerSocket(port, 128, InetAddress.getByName("127.0.0.1"));
        threads.execute(this::accept);
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                threads.execute(() -> answer(s));
            } catch (IOException | java.util.concurrent.RejectedExecutionException closed) {
                return;
            }
        }
    }

    private void answer(Socket s) {
        try (s) {
            String request = readRequest(s.getInputStream());
            OutputStream out = s.getOutputStream();
            if (request.contains("\"hook-slow\"")) {
                Thread.sleep(60_000);
            } else if (request.contains("\"hook-garbage\"")) {
                reply(out, "200 OK", "<html>oops</html>");
            } else if (request.contains("\"hook-502\"")) {
                reply(out, "502 Bad Gateway", "no upstream");
            } else if (request.contains("\"hook-deny\"")) {
                reply(out, "200 OK", "{\"allow\":false,\"reason\":\"hook says no\"}");
            } else if (request.contains("\"hook-huge\"")) {
                out.write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1073741824\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                byte[] spaces = new byte[64 * 1024];
                java.util.Arrays.fill(spaces, (byte) ' ');
                for (int i = 0; i < 16_384; i++) {
                    out.write(spaces);
                    hugeBytesWritten.addAndGet(spaces.length);
                }
            } else {
                reply(out, "200 OK", "{}");
            }
        } catch (IOException | InterruptedException e) {
            // the node hung up: fine
        }
    }

    private static void reply(OutputStream out, String status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        out.write(("HTTP/1.1 " + status + "\r\nContent-Type: application/json\r\nContent-Length: " + b.length
                + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(b);
    }

    /** The request head and its Content-Length body. */
    private static String readRequest(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        int b;
        while ((b = in.read()) >= 0) {
            head.append((char) b);
            if (head.length() >= 4 && head.substring(head.length() - 4).equals("\r\n\r\n")) {
                break;
            }
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?i)content-length:\\s*(\\d+)").matcher(head);
        int length = m.find() ? Integer.parseInt(m.group(1)) : 0;
        byte[] body = in.readNBytes(Math.min(length, 1 << 20));
        return head + new String(body, StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        server.close();
        threads.shutdownNow();
    }
}

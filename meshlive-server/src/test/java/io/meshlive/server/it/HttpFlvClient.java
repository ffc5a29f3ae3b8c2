package io.meshlive.server.it;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * An HTTP-FLV player on a plain socket: one GET, the response head, then the FLV body. A plain
 * socket (rather than an HTTP library) lets a test choose the receive buffer, stop reading
 * altogether, and see exactly when the server closes. Reads time out after {@value #READ_TIMEOUT_MS} ms.
 */
final class HttpFlvClient implements AutoCloseable {
    private static final int READ_TIMEOUT_MS = 5000;
    private static final int CONNECT_TIMEOUT_MS = 2000;
    private static final int MAX_HEAD = 16 * 1024;

    private final Socket socket;
    private final InputStream in;
    private final String statusLine;
    private final Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);

    private HttpFlvClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream());
        String[] head = readHead().split("\r\n");
        this.statusLine = head[0];
        for (int i = 1; i < head.length; i++) {
            int colon = head[i].indexOf(':');
            if (colon > 0) {
                headers.put(head[i].substring(0, colon).strip(), head[i].substring(colon + 1).strip());
            }
        }
    }

    /** Requests {@code stream}'s FLV and reads the response head. */
    static HttpFlvClient open(TestServer server, String stream) throws IOException {
        return open(server, stream, 0);
    }

    /**
     * Like {@link #open(TestServer, String)} with the socket's receive buffer set to
     * {@code receiveBuffer} bytes before connecting (so the TCP window is small from the start); 0 keeps the default.
     */
    static HttpFlvClient open(TestServer server, String stream, int receiveBuffer) throws IOException {
        return open(server.host(), server.httpPort(), stream, receiveBuffer);
    }

    /** Requests {@code stream}'s FLV from the node at {@code host:httpPort} (another process). */
    static HttpFlvClient open(String host, int httpPort, String stream, int receiveBuffer) throws IOException {
        Socket socket = new Socket();
        try {
            if (receiveBuffer > 0) {
                socket.setReceiveBufferSize(receiveBuffer);
            }
            socket.setSoTimeout(READ_TIMEOUT_MS);
            socket.connect(new InetSocketAddress(host, httpPort), CONNECT_TIMEOUT_MS);
            String request = "GET " + TestServer.flvPath(stream) + " HTTP/1.1\r\n"
                    + "Host: " + host + ":" + httpPort + "\r\n"
                    + "Accept: */*\r\n\r\n";
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            return new HttpFlvClient(socket);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    private String readHead() throws IOException {
        StringBuilder head = new StringBuilder();
        while (head.length() < 4 || !head.substring(head.length() - 4).equals("\r\n\r\n")) {
            int c = in.read();
            if (c < 0 || head.length() > MAX_HEAD) {
                throw new IOException("no complete HTTP response head, got: " + head);
            }
            head.append((char) c);
        }
        return head.substring(0, head.length() - 4);
    }

    String statusLine() {
        return statusLine;
    }

    String header(String name) {
        return headers.get(name);
    }

    /** The FLV body as a tag reader; fails the test unless the answer is a 200 with an FLV body. */
    FlvTagReader flv() {
        if (!statusLine.startsWith("HTTP/1.1 200") || !"video/x-flv".equals(header("Content-Type"))) {
            throw new AssertionError("expected a 200 video/x-flv answer, got '" + statusLine + "' " + headers);
        }
        boolean chunked = "chunked".equals(String.valueOf(header("Transfer-Encoding")).toLowerCase(Locale.ROOT));
        return new FlvTagReader(chunked ? new ChunkedInputStream(in) : in);
    }

    /** The client's own port: how the server's session list names this connection. */
    int localPort() {
        return socket.getLocalPort();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}

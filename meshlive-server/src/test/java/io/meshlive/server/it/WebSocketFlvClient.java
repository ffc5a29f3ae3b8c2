package io.meshlive.server.it;

import io.meshlive.testkit.Http1Clients;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A WebSocket-FLV player on the JDK's WebSocket client (as flv.js would be in a browser): it
 * reassembles each binary message, however the client library splits it, and queues it.
 * Text messages are a protocol error here, and are queued as such so the test sees them.
 */
final class WebSocketFlvClient implements AutoCloseable {
    private final BlockingQueue<Object> messages = new LinkedBlockingQueue<>();
    private final WebSocket socket;

    private WebSocketFlvClient(URI uri) throws Exception {
        this.socket = Http1Clients.builder().connectTimeout(Duration.ofSeconds(2)).build()
                .newWebSocketBuilder()
                .connectTimeout(Duration.ofSeconds(2))
                .buildAsync(uri, new Collector())
                .get(5, TimeUnit.SECONDS);
    }

    static WebSocketFlvClient connect(String url) throws Exception {
        return new WebSocketFlvClient(URI.create(url));
    }

    /** The next whole binary message, or null if none arrives within {@code limit}; fails on a text message or a close. */
    byte[] next(Duration limit) throws InterruptedException {
        Object m = messages.poll(limit.toMillis(), TimeUnit.MILLISECONDS);
        if (m instanceof String event) {
            throw new AssertionError("WebSocket-FLV: " + event);
        }
        return (byte[]) m;
    }

    @Override
    public void close() {
        socket.abort();
    }

    private final class Collector implements WebSocket.Listener {
        private final ByteArrayOutputStream partial = new ByteArrayOutputStream();

        @Override
        public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            partial.writeBytes(bytes);
            if (last) {
                messages.add(partial.toByteArray());
                partial.reset();
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            messages.add("unexpected text message '" + data + "'");
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            messages.add("closed by the server: " + statusCode + " " + reason);
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            messages.add("error: " + error);
        }
    }
}

package io.meshlive.server.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A webhook receiver on 127.0.0.1 that keeps every on_record event it gets, parsed. */
final class RecordHookReceiver implements AutoCloseable {
    private final HttpServer server;
    private final List<JsonNode> records = new CopyOnWriteArrayList<>();

    RecordHookReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/hook", exchange -> {
            try (exchange) {
                JsonNode event = new ObjectMapper().readTree(exchange.getRequestBody().readAllBytes());
                if ("on_record".equals(event.path("event").asText())) {
                    if (exchange.getRequestHeaders().getFirst("X-Meshlive-Signature") == null) {
                        throw new UncheckedIOException(new IOException("unsigned on_record"));
                    }
                    records.add(event);
                }
                exchange.sendResponseHeaders(200, -1);
            }
        });
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    /** The on_record events for {@code app/stream}, in arrival order. */
    List<JsonNode> records(String app, String stream) {
        return records.stream().filter(e -> app.equals(e.path("app").asText()) && stream.equals(e.path("stream").asText())).toList();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}

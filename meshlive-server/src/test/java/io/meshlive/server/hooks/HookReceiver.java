package io.meshlive.server.hooks;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/** A real HTTP webhook receiver on 127.0.0.1 that records what it got and answers as the test says. */
final class HookReceiver implements AutoCloseable {
    record Delivery(byte[] body, Headers headers, long arrivedNanos) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    record Answer(int status, String body) {
        static Answer hang() {
            return new Answer(-1, null);
        }
    }

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final List<Delivery> deliveries = new CopyOnWriteArrayList<>();
    /** Hanging handlers wait on this so close() does not have to wait for them. */
    private final CountDownLatch released = new CountDownLatch(1);

    HookReceiver(Function<Delivery, Answer> answers) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(threads);
        server.createContext("/hook", exchange -> handle(exchange, answers));
        server.start();
    }

    private void handle(HttpExchange exchange, Function<Delivery, Answer> answers) throws IOException {
        try (exchange) {
            Delivery d = new Delivery(exchange.getRequestBody().readAllBytes(), exchange.getRequestHeaders(), System.nanoTime());
            deliveries.add(d);
            Answer a = answers.apply(d);
            if (a.status() < 0) {
                released.await();
                return;
            }
            byte[] body = a.body().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(a.status(), body.length == 0 ? -1 : body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hook");
    }

    List<Delivery> deliveries() {
        return deliveries;
    }

    @Override
    public void close() {
        released.countDown();
        server.stop(0);
        threads.shutdownNow();
    }
}

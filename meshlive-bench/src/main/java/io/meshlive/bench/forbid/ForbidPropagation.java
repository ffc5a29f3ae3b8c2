package io.meshlive.bench.forbid;

import io.meshlive.testkit.Http1Clients;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * How long a forbid posted on one node takes to reach every node of a cluster: posts forbids in
 * turn on each node's API, and for each, polls every node's {@code GET /api/v1/forbidden} until
 * the stream is listed; the figure is the last node's time from the POST being sent. Then lifts it
 * and measures the same for the lift. A POST that is refused (503 while the store is down) is
 * counted with its answer and time. Polling bounds the resolution to one API round trip.
 */
public final class ForbidPropagation {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT_LIMIT = Duration.ofSeconds(30); // generous: a busy machine is slow, and the figure says so
    /** Between two polls of one node: fine enough next to a 1 s target, light enough not to load the nodes measured. */
    private static final long POLL_PAUSE_MILLIS = 5;

    /** One forbid (or lift): when each node had it, ms after the POST was sent; empty when refused. */
    record Trial(int status, double answeredMillis, double[] reachedMillis) {
        double lastMillis() {
            return Arrays.stream(reachedMillis).max().orElse(Double.NaN);
        }
    }

    private final List<URI> apis;
    private final String app;
    private final String token;
    private final HttpClient http = Http1Clients.builder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ExecutorService pollers;

    public ForbidPropagation(List<URI> apis, String app, String token) {
        this.apis = apis;
        this.app = app;
        this.token = token;
        this.pollers = Executors.newFixedThreadPool(apis.size(), r -> {
            Thread t = new Thread(r, "forbid-poller");
            t.setDaemon(true);
            return t;
        });
    }

    /** Runs {@code count} forbids and lifts and prints each and the percentiles to {@code out}; returns the refused count. */
    public int run(int count, PrintStream out) throws Exception {
        String run = Long.toString(System.currentTimeMillis() % 1_000_000, 36);
        List<Trial> forbids = new ArrayList<>();
        List<Trial> lifts = new ArrayList<>();
        int refused = 0;
        for (int i = 0; i < count; i++) {
            String stream = "forbid-bench-" + run + "-" + i;
            int node = i % apis.size();
            Trial f = trial(node, "POST", stream, true);
            out.printf("forbid %-28s posted on node %d: %s%n", stream, node + 1, describe(f));
            if (f.status() != 200) {
                refused++;
                continue;
            }
            forbids.add(f);
            Trial l = trial((node + 1) % apis.size(), "DELETE", stream, false);
            out.printf("lift   %-28s posted on node %d: %s%n", stream, (node + 1) % apis.size() + 1, describe(l));
            if (l.status() == 204) {
                lifts.add(l);
            }
        }
        summary(out, "forbid", forbids);
        summary(out, "lift", lifts);
        if (refused > 0) {
            out.printf("%d of %d forbid(s) refused (see above)%n", refused, count);
        }
        pollers.shutdownNow();
        return refused;
    }

    private static String describe(Trial t) {
        if (t.reachedMillis().length == 0) {
            return String.format("answered %d in %.1f ms, reached no node", t.status(), t.answeredMillis());
        }
        StringBuilder b = new StringBuilder(String.format("answered %d in %.1f ms; on every node after", t.status(), t.answeredMillis()));
        for (double ms : t.reachedMillis()) {
            b.append(String.format(" %.1f", ms));
        }
        return b.append(String.format(" ms (last %.1f ms)", t.lastMillis())).toString();
    }

    private static void summary(PrintStream out, String what, List<Trial> trials) {
        double[] last = trials.stream().mapToDouble(Trial::lastMillis).sorted().toArray();
        if (last.length == 0) {
            out.printf("%s: no trial reached every node%n", what);
            return;
        }
        out.printf("%s propagation to the last of %d nodes over %d: p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                what, trials.get(0).reachedMillis().length, last.length, rank(last, 50), rank(last, 99), last[last.length - 1]);
    }

    private static double rank(double[] sorted, double percent) {
        return sorted[Math.max(0, Math.min(sorted.length - 1, (int) Math.ceil(percent / 100 * sorted.length) - 1))];
    }

    /** Sends the forbid or lift on node {@code node} while every node is polled for the change. */
    private Trial trial(int node, String method, String stream, boolean listed) throws Exception {
        long t0 = System.nanoTime();
        List<Future<Double>> reached = new ArrayList<>();
        for (URI api : apis) {
            reached.add(pollers.submit(() -> awaitListed(api, stream, listed, t0)));
        }
        HttpRequest.Builder post = request(apis.get(node).resolve("/api/v1/streams/" + app + "/" + stream + "/forbid"))
                .method(method, method.equals("POST") ? HttpRequest.BodyPublishers.ofString("{\"reason\":\"bench\"}") : HttpRequest.BodyPublishers.noBody());
        HttpResponse<String> answer = http.send(post.build(), HttpResponse.BodyHandlers.ofString());
        double answered = (System.nanoTime() - t0) / 1e6;
        if (answer.statusCode() / 100 != 2) {
            reached.forEach(f -> f.cancel(true));
            return new Trial(answer.statusCode(), answered, new double[0]);
        }
        double[] at = new double[apis.size()];
        for (int i = 0; i < at.length; i++) {
            at[i] = reached.get(i).get(WAIT_LIMIT.toMillis() + 5_000, TimeUnit.MILLISECONDS);
        }
        return new Trial(answer.statusCode(), answered, at);
    }

    /** Polls one node until {@code stream} is (or is no longer) forbidden there; ms since {@code t0}. */
    private double awaitListed(URI api, String stream, boolean listed, long t0) throws IOException, InterruptedException {
        HttpRequest get = request(api.resolve("/api/v1/forbidden")).GET().build();
        long deadline = t0 + WAIT_LIMIT.toNanos();
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = http.send(get, HttpResponse.BodyHandlers.ofString());
            long now = System.nanoTime();
            if (r.statusCode() == 200 && lists(JSON.readTree(r.body()), stream) == listed) {
                return (now - t0) / 1e6;
            }
            Thread.sleep(POLL_PAUSE_MILLIS);
        }
        throw new IOException(api + " did not " + (listed ? "list" : "drop") + " " + stream + " within " + WAIT_LIMIT.toSeconds() + " s");
    }

    private static boolean lists(JsonNode forbidden, String stream) {
        for (JsonNode f : forbidden.path("forbidden")) {
            if (f.path("stream").asText().equals(stream)) {
                return true;
            }
        }
        return false;
    }

    private HttpRequest.Builder request(URI uri) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(WAIT_LIMIT);
        if (token != null && !token.isEmpty()) {
            b.header("Authorization", "Bearer " + token);
        }
        return b;
    }
}

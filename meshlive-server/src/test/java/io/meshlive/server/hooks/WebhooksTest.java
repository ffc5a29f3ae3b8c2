package io.meshlive.server.hooks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshlive.core.AccessRequest;
import io.meshlive.core.AccessRequest.Action;
import io.meshlive.core.Admission.Verdict;
import io.meshlive.core.StreamKey;
import io.meshlive.server.hooks.HookReceiver.Answer;
import io.meshlive.server.hooks.HookReceiver.Delivery;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

class WebhooksTest {
    private static final byte[] SECRET = "s3cret".getBytes(StandardCharsets.UTF_8);
    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private static AccessRequest request(Action action, String stream) {
        return new AccessRequest(action, "rtmp", new StreamKey("live", stream), Map.of("token", "t1"), "10.0.0.7");
    }

    private static WebhookSettings settings(URI url, Duration timeout, boolean failOpen) {
        return new WebhookSettings(url, SECRET, timeout, failOpen, 0, Duration.ofMillis(100));
    }

    private static Verdict checkAgainst(Function<Delivery, Answer> answers, Action action, String stream, boolean failOpen) throws Exception {
        try (HookReceiver receiver = new HookReceiver(answers);
             Webhooks hooks = new Webhooks(settings(receiver.url(), TIMEOUT, failOpen))) {
            return hooks.check(request(action, stream)).toCompletableFuture().get(5, TimeUnit.SECONDS);
        }
    }

    private static String streamOf(Delivery d) {
        try {
            return new ObjectMapper().readTree(d.body()).path("stream").asText();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void receiverStatusDecidesPublishAndPlay() throws Exception {
        Function<Delivery, Answer> denyBad = d -> streamOf(d).equals("bad") ? new Answer(403, "") : new Answer(200, "");
        try (HookReceiver receiver = new HookReceiver(denyBad);
             Webhooks hooks = new Webhooks(settings(receiver.url(), TIMEOUT, true))) {
            assertThat(hooks.check(request(Action.PUBLISH, "good")).toCompletableFuture().get(5, TimeUnit.SECONDS)).isEqualTo(Verdict.ALLOW);
            assertThat(hooks.check(request(Action.PLAY, "good")).toCompletableFuture().get(5, TimeUnit.SECONDS)).isEqualTo(Verdict.ALLOW);
            Verdict bad = hooks.check(request(Action.PUBLISH, "bad")).toCompletableFuture().get(5, TimeUnit.SECONDS);
            assertThat(bad).isEqualTo(Verdict.deny("webhook denied: HTTP 403"));
            assertThat(receiver.deliveries()).extracting(d -> d.headers().getFirst("X-Meshlive-Event"))
                    .containsExactly("on_publish", "on_play", "on_publish");
        }
    }

    @Test
    void allowFalseDeniesWithTheReceiversReason() throws Exception {
        Verdict v = checkAgainst(d -> new Answer(200, "{\"allow\":false,\"reason\":\"no\"}"), Action.PLAY, "s", true);
        assertThat(v).isEqualTo(Verdict.deny("webhook denied: no"));
    }

    @Test
    void allowTrueAllows() throws Exception {
        assertThat(checkAgainst(d -> new Answer(200, "{\"allow\":true}"), Action.PLAY, "s", false)).isEqualTo(Verdict.ALLOW);
    }

    @Test
    void hangingReceiverIsCutAtTheTimeoutWithoutBlockingTheCaller() throws Exception {
        Duration timeout = Duration.ofMillis(300);
        try (HookReceiver receiver = new HookReceiver(d -> Answer.hang());
             Webhooks open = new Webhooks(settings(receiver.url(), timeout, true));
             Webhooks closed = new Webhooks(settings(receiver.url(), timeout, false))) {
            long start = System.nanoTime();
            CompletableFuture<Verdict> openVerdict = open.check(request(Action.PUBLISH, "s")).toCompletableFuture();
            CompletableFuture<Verdict> closedVerdict = closed.check(request(Action.PUBLISH, "s")).toCompletableFuture();
            long callMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(openVerdict).isNotDone();
            assertThat(closedVerdict).isNotDone();
            assertThat(callMillis).isLessThan(50);

            assertThat(openVerdict.get(2, TimeUnit.SECONDS)).isEqualTo(Verdict.ALLOW);
            Verdict denied = closedVerdict.get(2, TimeUnit.SECONDS);
            long answeredMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(denied.allowed()).isFalse();
            assertThat(denied.reason()).startsWith("webhook unavailable: ");
            assertThat(answeredMillis).isBetween(timeout.toMillis(), timeout.toMillis() + 700);
        }
    }

    @Test
    void garbageAnswerIsUnavailable() throws Exception {
        Function<Delivery, Answer> garbage = d -> new Answer(200, "<html>oops</html>");
        assertThat(checkAgainst(garbage, Action.PUBLISH, "s", true)).isEqualTo(Verdict.ALLOW);
        Verdict v = checkAgainst(garbage, Action.PUBLISH, "s", false);
        assertThat(v.allowed()).isFalse();
        assertThat(v.reason()).startsWith("webhook unavailable: ");
    }

    @Test
    void unreachableReceiverIsUnavailable() throws Exception {
        URI nobody;
        try (HookReceiver gone = new HookReceiver(d -> new Answer(200, ""))) {
            nobody = gone.url();
        }
        try (Webhooks hooks = new Webhooks(settings(nobody, TIMEOUT, false))) {
            Verdict v = hooks.check(request(Action.PLAY, "s")).toCompletableFuture().get(5, TimeUnit.SECONDS);
            assertThat(v.reason()).startsWith("webhook unavailable: ");
        }
    }

    @Test
    void everyRequestIsSignedOverItsExactBody() throws Exception {
        try (HookReceiver receiver = new HookReceiver(d -> new Answer(204, ""));
             Webhooks hooks = new Webhooks(settings(receiver.url(), TIMEOUT, false))) {
            hooks.check(request(Action.PUBLISH, "cam1")).toCompletableFuture().get(5, TimeUnit.SECONDS);

            Delivery d = receiver.deliveries().get(0);
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(SECRET, "HmacSHA256"));
            String expected = "sha256=" + HexFormat.of().formatHex(mac.doFinal(d.body()));
            assertThat(d.headers().getFirst("X-Meshlive-Signature")).isEqualTo(expected);
            assertThat(d.headers().getFirst("Content-Type")).isEqualTo("application/json");
            assertThat(d.headers().getFirst("X-Meshlive-Event")).isEqualTo("on_publish");

            JsonNode event = new ObjectMapper().readTree(d.body());
            assertThat(event.path("event").asText()).isEqualTo("on_publish");
            assertThat(event.path("app").asText()).isEqualTo("live");
            assertThat(event.path("stream").asText()).isEqualTo("cam1");
            assertThat(event.path("protocol").asText()).isEqualTo("rtmp");
            assertThat(event.path("clientIp").asText()).isEqualTo("10.0.0.7");
            assertThat(event.path("query").path("token").asText()).isEqualTo("t1");
            assertThat(event.path("time").asLong()).isCloseTo(System.currentTimeMillis(), within(10_000L));
            assertThat(event.path("node").asText()).isNotEmpty();
        }
    }

    @Test
    void notificationIsRetriedWithDoublingBackoffUntilDelivered() throws Exception {
        Duration first = Duration.ofMillis(100);
        AtomicInteger calls = new AtomicInteger();
        try (HookReceiver receiver = new HookReceiver(d -> calls.incrementAndGet() <= 2 ? new Answer(500, "") : new Answer(200, ""));
             Webhooks hooks = new Webhooks(new WebhookSettings(receiver.url(), SECRET, TIMEOUT, false, 5, first))) {
            hooks.notify("on_unpublish", request(Action.PUBLISH, "s"), Map.of("bytes", 1234, "durationMillis", 5000));

            await().atMost(Duration.ofSeconds(3)).until(() -> receiver.deliveries().size() == 3);
            // A fourth attempt would come 400 ms after the third.
            await().during(Duration.ofMillis(600)).atMost(Duration.ofSeconds(1)).until(() -> receiver.deliveries().size() == 3);

            var d = receiver.deliveries();
            assertThat(TimeUnit.NANOSECONDS.toMillis(d.get(1).arrivedNanos() - d.get(0).arrivedNanos())).isGreaterThanOrEqualTo(first.toMillis());
            assertThat(TimeUnit.NANOSECONDS.toMillis(d.get(2).arrivedNanos() - d.get(1).arrivedNanos())).isGreaterThanOrEqualTo(2 * first.toMillis());
            JsonNode event = new ObjectMapper().readTree(d.get(2).body());
            assertThat(event.path("event").asText()).isEqualTo("on_unpublish");
            assertThat(event.path("bytes").asLong()).isEqualTo(1234);
            assertThat(event.path("durationMillis").asLong()).isEqualTo(5000);
            assertThat(d).extracting(Delivery::text).containsOnly(d.get(0).text());
        }
    }

    @Test
    void notificationGivesUpAfterItsRetries() throws Exception {
        try (HookReceiver receiver = new HookReceiver(d -> new Answer(500, ""));
             Webhooks hooks = new Webhooks(new WebhookSettings(receiver.url(), SECRET, TIMEOUT, false, 1, Duration.ofMillis(50)))) {
            hooks.notify("on_stop", request(Action.PLAY, "s"), Map.of());
            await().atMost(Duration.ofSeconds(3)).until(() -> receiver.deliveries().size() == 2);
            await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(1)).until(() -> receiver.deliveries().size() == 2);
        }
    }

    @Test
    void withoutUrlEverythingIsAllowedAndNothingIsSent() {
        try (Webhooks hooks = new Webhooks(new WebhookSettings(null, null, null, false, 0, null))) {
            CompletableFuture<Verdict> v = hooks.check(request(Action.PUBLISH, "s")).toCompletableFuture();
            // Already answered: no request could have been made and waited for.
            assertThat(v).isCompletedWithValue(Verdict.ALLOW);
            hooks.notify("on_unpublish", request(Action.PUBLISH, "s"), Map.of("bytes", 1));
        }
    }

    /** A proxy's 502/503/504, and a receiver's own 500, are no decision: failOpen applies. A 4xx stays a denial. */
    @Test
    void serverErrorsAreUnavailableAndFailOpenApplies() throws Exception {
        for (int status : new int[] {500, 502, 503, 504}) {
            assertThat(checkAgainst(d -> new Answer(status, "{\"allow\":false}"), Action.PUBLISH, "s", true))
                    .as("HTTP %d, failOpen", status).isEqualTo(Verdict.ALLOW);
            Verdict closed = checkAgainst(d -> new Answer(status, ""), Action.PUBLISH, "s", false);
            assertThat(closed.reason()).as("HTTP %d, fail closed", status).isEqualTo("webhook unavailable: HTTP " + status);
        }
        assertThat(checkAgainst(d -> new Answer(404, ""), Action.PUBLISH, "s", true)).isEqualTo(Verdict.deny("webhook denied: HTTP 404"));
    }

    /** A reply body past 64 KB is not read: a denial hidden after a megabyte of padding is no answer at all. */
    @Test
    void aReplyBodyOverTheCapIsNotRead() throws Exception {
        String padded = " ".repeat(1 << 20) + "{\"allow\":false,\"reason\":\"late\"}";
        Verdict v = checkAgainst(d -> new Answer(200, padded), Action.PLAY, "s", false);
        assertThat(v.reason()).startsWith("webhook unavailable: ").contains("over " + BoundedBody.MAX_BYTES + " bytes");
    }

    /** A receiver announcing a 1 GiB reply: refused on its headers, long before the timeout. */
    @Test
    void aGigabyteContentLengthFailsAtTheHeaders() throws Exception {
        try (java.net.ServerSocket liar = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            Thread t = new Thread(() -> {
                try (java.net.Socket s = liar.accept()) {
                    s.getInputStream().read(new byte[8192]);
                    var out = s.getOutputStream();
                    out.write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1073741824\r\n\r\n{\"allow\":"
                            .getBytes(StandardCharsets.US_ASCII));
                    byte[] spaces = new byte[64 * 1024];
                    java.util.Arrays.fill(spaces, (byte) ' ');
                    for (int i = 0; i < 16_384; i++) {
                        out.write(spaces);
                    }
                } catch (java.io.IOException expected) {
                    // the node hung up on us: what it should do
                }
            });
            t.setDaemon(true);
            t.start();
            URI url = URI.create("http://127.0.0.1:" + liar.getLocalPort() + "/hook");
            try (Webhooks hooks = new Webhooks(settings(url, Duration.ofSeconds(10), false))) {
                Verdict v = hooks.check(request(Action.PLAY, "s")).toCompletableFuture().get(20, TimeUnit.SECONDS);
                assertThat(v.reason()).startsWith("webhook unavailable: ").contains("Content-Length 1073741824");
            }
        }
    }
}

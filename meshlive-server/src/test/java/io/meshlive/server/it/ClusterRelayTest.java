package io.meshlive.server.it;

import io.meshlive.testkit.Http1Clients;
import io.meshlive.testkit.TestPattern;
import io.meshlive.testkit.Ffmpeg;
import io.meshlive.testkit.ExternalProcess;
import com.fasterxml.jackson.databind.JsonNode;
import io.meshlive.core.Session;
import io.meshlive.core.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Three nodes in this JVM sharing a real Redis: A (origin), B (core), C (edge, region east). ffmpeg
 * publishes on A; viewers on C make C pull through B (the static tree's parent), once however many
 * viewers; when B goes, C's viewers stay and C pulls from A directly.
 */
class ClusterRelayTest {
    private InProcessCluster cluster;

    @BeforeEach
    void startRedis() {
        cluster = new InProcessCluster();
    }

    @AfterEach
    void stopAll() throws Exception {
        cluster.close();
    }

    private TestServer node(String id, String region, String... roles) throws InterruptedException {
        return cluster.node(id, region, roles);
    }

    private static long relaySessions(TestServer s, String stream) {
        return s.hub().sessions().all().stream()
                .filter(x -> x.role() == Session.Role.PUBLISHER && "relay".equals(x.protocol())
                        && x.stream() != null && x.stream().equals(TestServer.key(stream)))
                .count();
    }

    /** The node {@code s} pulls {@code stream} from, from its API (retried: the machine may be busy). */
    private static String parentOf(TestServer s, String stream) {
        String[] parent = new String[1];
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
            for (JsonNode r : s.api("/api/v1/cluster/relays").path("relays")) {
                if (r.path("stream").asText().equals("live/" + stream)) {
                    parent[0] = r.path("parent").asText();
                    return true;
                }
            }
            return false;
        });
        return parent[0];
    }

    @Test
    void viewersOnTheEdgePullThroughTheCoreOnceAndSurviveItsLoss() throws Exception {
        TestServer a = node("a", "west", "origin");
        TestServer b = node("b", "east", "core");
        TestServer c = node("c", "east", "edge");
        // C plans its parents from the nodes it has heard of: before B's first heartbeat it would pull from A.
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                .until(() -> c.api("/api/v1/cluster/nodes").path("nodes").size() == 3);
        try (ExternalProcess publisher = Ffmpeg.publish(TestPattern.live(), a.rtmpUrl("show"))) {
            a.awaitLive("show", publisher);
            FlvWatcher w1 = cluster.add(FlvWatcher.start(c, "show"));
            FlvWatcher w2 = cluster.add(FlvWatcher.start(c, "show"));
            await().atMost(Duration.ofSeconds(60)).until(() -> w1.videoFrames() > 30 && w2.videoFrames() > 30);
            // One pull per node, whatever the viewers: C pulls from B, B from A.
            assertThat(relaySessions(c, "show")).isEqualTo(1);
            assertThat(relaySessions(b, "show")).isEqualTo(1);
            assertThat(relaySessions(a, "show")).isZero();
            assertThat(parentOf(c, "show")).isEqualTo("b");

            List<Ffmpeg.ProbedStream> rtmp = Ffmpeg.probe(c.rtmpUrl("show"));
            List<Ffmpeg.ProbedStream> flv = Ffmpeg.probe(c.flvUrl("show"));
            assertThat(rtmp).extracting(Ffmpeg.ProbedStream::codec).contains("h264", "aac");
            assertThat(flv).extracting(Ffmpeg.ProbedStream::codec).contains("h264", "aac");
            assertThat(relaySessions(c, "show")).isEqualTo(1);

            // B goes away: C's viewers stay connected and keep getting frames, now from A.
            long before = w1.videoFrames();
            cluster.stop(b);
            await().atMost(Duration.ofSeconds(60)).until(() -> w1.videoFrames() > before + 60 && w2.videoFrames() > before + 60);
            assertThat(w1.isEnded()).as("%s", w1).isFalse();
            assertThat(w2.isEnded()).as("%s", w2).isFalse();
            assertThat(parentOf(c, "show")).isEqualTo("a");
            System.out.printf("failover B->A: longest gap seen by the edge's viewers %d ms and %d ms%n",
                    w1.maxGapMillis(), w2.maxGapMillis());
            Stream s = c.stream("show");
            System.out.println("edge behind origin: " + s.stats().behindOrigin());
        }
    }

    @Test
    void whenTheHostMovesToAnotherNodeTheEdgeSplicesTheNewPublishInWithoutDroppingItsViewers() throws Exception {
        TestServer a = node("a", "west", "origin");
        TestServer b = node("b", "west", "origin");
        TestServer c = node("c", "west", "edge");
        FlvWatcher viewer;
        try (ExternalProcess first = Ffmpeg.publish(TestPattern.live(), a.rtmpUrl("moving"))) {
            a.awaitLive("moving", first);
            viewer = cluster.add(FlvWatcher.start(c, "moving"));
            await().atMost(Duration.ofSeconds(60)).until(() -> viewer.videoFrames() > 30);
        }
        long mediaBefore = viewer.mediaMillis();
        long framesBefore = viewer.videoFrames();
        // The host's encoder reconnects to another node: C finds the new origin and splices it in.
        try (ExternalProcess second = Ffmpeg.publish(TestPattern.live(), b.rtmpUrl("moving"))) {
            b.awaitLive("moving", second);
            await().atMost(Duration.ofSeconds(60)).until(() -> viewer.videoFrames() > framesBefore + 60);
            assertThat(viewer.isEnded()).as("%s", viewer).isFalse();
            // The timeline goes on from where it was: the new publish's timestamps were moved after the old ones.
            assertThat(viewer.mediaMillis()).isGreaterThan(mediaBefore);
            // The edge's relay reports its new parent once it resolved the new origin (frames may still drain from A first).
            await().atMost(Duration.ofSeconds(30)).until(() -> "b".equals(parentOf(c, "moving")));
            System.out.printf("origin moved from A to B: the edge's viewer saw a longest gap of %d ms%n", viewer.maxGapMillis());
        }
    }

    @Test
    void aSecondPublishOnAnotherNodeIsRefusedWhileTheFirstHoldsTheOrigin() throws Exception {
        TestServer a = node("a", "west", "origin", "core", "edge");
        TestServer b = node("b", "west", "origin", "core", "edge");
        try (ExternalProcess first = Ffmpeg.publish(TestPattern.live(), a.rtmpUrl("dup"))) {
            a.awaitLive("dup", first);
            try (ExternalProcess second = Ffmpeg.publish(TestPattern.live(), b.rtmpUrl("dup"))) {
                assertThat(second.awaitExit(Duration.ofSeconds(20))).isNotZero();
                assertThat(b.hub().refusals().toString()).isNotNull();
            }
            assertThat(Map.of("a", a.stream("dup").publisher() != null)).containsEntry("a", true);
        }
    }

    @Test
    void anLlHlsPlayerAloneOnAnEdgeMakesItPullAndNamesThatExistNowhereHoldBoundedPlaces() throws Exception {
        TestServer a = node("a", "west", "origin");
        TestServer c = node("c", "west", "edge");
        try (ExternalProcess publisher = Ffmpeg.publish(TestPattern.live(), a.rtmpUrl("shop"))) {
            a.awaitLive("shop", publisher);
            // Nobody else plays "shop" on C: the LL-HLS request alone starts the pull from A.
            List<Ffmpeg.ProbedStream> hls = Ffmpeg.probe(c.llHlsUrl("shop"));
            assertThat(hls).extracting(Ffmpeg.ProbedStream::codec).contains("h264", "aac");
            assertThat(relaySessions(c, "shop")).isEqualTo(1);
            assertThat(parentOf(c, "shop")).isEqualTo("a");
        }

        // Names that exist nowhere: each first request starts a packager that waits for a pull,
        // up to the bound; past it C answers 404 at once, and the places come back once the pulls give up.
        HttpClient http = Http1Clients.builder().followRedirects(HttpClient.Redirect.NEVER).build();
        java.util.function.IntFunction<Integer> ask = i -> {
            try {
                return http.send(HttpRequest.newBuilder(URI.create(c.llHlsUrl("nowhere-" + i))).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
        int bound = 64;
        for (int i = 0; i < bound; i++) {
            assertThat(ask.apply(i)).as("request %d for a name that exists nowhere", i).isEqualTo(302);
        }
        assertThat(ask.apply(bound)).as("past the bound").isEqualTo(404);
        await().atMost(Duration.ofSeconds(90)).until(() -> ask.apply(bound + 1) == 302);
        assertThat(relaySessions(c, "nowhere-0")).as("the pull for a name that exists nowhere gave up").isZero();
    }
}

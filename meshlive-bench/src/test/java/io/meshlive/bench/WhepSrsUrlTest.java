package io.meshlive.bench;

import com.sun.net.httpserver.HttpServer;
import io.meshlive.bench.play.PlayLoad;
import io.meshlive.bench.play.PlayOptions;
import io.meshlive.bench.play.PlaySummary;
import io.meshlive.server.it.TestServer;
import io.meshlive.testkit.ExternalProcess;
import io.meshlive.testkit.Ffmpeg;
import io.meshlive.testkit.TestPattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A WHEP player given SRS's URL form ({@code /rtc/v1/whep/?app=&stream=}) posts there and follows
 * a redirect by posting its offer again, as SRS's endpoint named without its trailing slash
 * answers and as a WHEP load balancer may: here a front that redirects to a real meshlive node.
 */
@Timeout(90)
class WhepSrsUrlTest {
    @Test
    void aPlayerFollowsTheRedirectOfAnSrsStyleEndpointWithItsOffer() throws Exception {
        try (TestServer server = TestServer.start()) {
            ExternalProcess ffmpeg = Ffmpeg.publish(TestPattern.live().withSize(320, 240), server.rtmpUrl("srs"));
            HttpServer front = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            List<String> posts = new CopyOnWriteArrayList<>();
            front.createContext("/rtc/v1/whep/", exchange -> {
                byte[] offer = exchange.getRequestBody().readAllBytes();
                posts.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " " + offer.length);
                exchange.getResponseHeaders().set("Location", server.whepUrl("srs"));
                exchange.sendResponseHeaders(302, -1);
                exchange.close();
            });
            front.start();
            try {
                server.awaitLive("srs", ffmpeg);
                StreamUrl url = StreamUrl.parse("http://127.0.0.1:" + front.getAddress().getPort() + "/rtc/v1/whep/?app=live&stream=srs");

                PlaySummary summary = PlayLoad.run(new PlayOptions(List.of(url), 1, Duration.ofSeconds(4), 0,
                        Duration.ofSeconds(1), 1, null), System.out);

                // The warm-up player and the measured one each posted once to the front.
                assertThat(posts).hasSize(2).allSatisfy(post ->
                        assertThat(post).startsWith("POST /rtc/v1/whep/?app=live&stream=srs ").doesNotEndWith(" 0"));
                assertThat(summary.players()).singleElement().satisfies(p -> {
                    assertThat(p.connected()).as(p.reason()).isTrue();
                    assertThat(p.hasVideo()).isTrue();
                });
            } finally {
                front.stop(0);
                ffmpeg.close();
            }
        }
    }
}

package io.meshlive.server.it;

import io.meshlive.core.Transport;
import io.meshlive.testkit.ExternalProcess;
import io.meshlive.testkit.Ffmpeg;
import io.meshlive.testkit.TestPattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The {@code transport} key: on each transport this machine offers, the server takes an RTMP
 * publisher (ffmpeg) and serves an HTTP-FLV viewer its stream from a keyframe.
 */
@Timeout(60)
class TransportPlaybackTest {
    @AfterEach
    void backToTheDefault() {
        Transport.use(Transport.Kind.AUTO); // one choice per JVM: leave the next test what it expects
    }

    @ParameterizedTest
    @EnumSource(value = Transport.Kind.class, names = {"EPOLL", "IO_URING", "NIO"})
    void serverPublishesAndPlaysOnTheTransportAskedFor(Transport.Kind kind) throws Exception {
        assumeTrue(Transport.available(kind), kind.configName() + " is not available on this machine");
        try (TestServer server = TestServer.start(c -> c.transport = kind.configName());
             ExternalProcess publisher = Ffmpeg.publish(TestPattern.live(), server.rtmpUrl("t"))) {
            assertThat(Transport.kind()).as("transport in use").isEqualTo(kind);
            server.awaitLive("t", publisher);
            try (HttpFlvClient client = HttpFlvClient.open(server, "t")) {
                FlvTagReader flv = client.flv();
                flv.readFileHeader();
                List<FlvTag> tags = new ArrayList<>();
                FlvTag tag = flv.next();
                for (int i = 0; tag != null && !tag.isVideoFrame() && i < 100; i++) {
                    tags.add(tag);
                    tag = flv.next();
                }
                System.out.printf("%s: first video frame %s after %s%n", kind.configName(), tag, tags);
                assertThat(tags).as("tags before the first video frame").anyMatch(FlvTag::isAvcSequenceHeader);
                assertThat(tag).as("first video frame").isNotNull().matches(FlvTag::isKeyframe, "is a keyframe");
                int pictures = 1;
                for (int i = 0; i < 200 && pictures < TestPattern.FPS; i++) {
                    FlvTag next = flv.next();
                    assertThat(next).as("tag %d after the keyframe", i).isNotNull();
                    pictures += next.isVideoFrame() ? 1 : 0;
                }
                assertThat(pictures).as("video frames read").isEqualTo(TestPattern.FPS);
            }
        }
    }
}

package io.meshlive.hls;

import io.meshlive.core.StreamKey;
import io.meshlive.media.Codec;
import io.meshlive.media.Frame;
import io.netty.buffer.Unpooled;
import io.netty.channel.DefaultEventLoopGroup;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class HlsPackagerTest {
    private final DefaultEventLoopGroup group = new DefaultEventLoopGroup(1);
    private final HlsPackager packager = new HlsPackager(Flavour.CMAF, HlsSettings.defaults(), group.next(), new StreamKey("live", "a"), false);

    @AfterEach
    void stop() throws Exception {
        group.submit(packager::close).get();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private void lend(Frame frame) {
        try {
            packager.onFrame(frame, System.nanoTime());
        } finally {
            frame.release();
        }
    }

    @Test
    void codecsAnInitSegmentCannotDescribeLeaveTheOutputEmpty() throws Exception {
        group.submit(() -> {
            // AV1 has no fMP4 sample entry here: the init segment fails half-way through its moov.
            lend(Frame.config(Codec.AV1, 0, Unpooled.wrappedBuffer(new byte[]{(byte) 0x81, 0, 0, 0}), System.nanoTime()));
            for (int i = 0; i < 60; i++) {
                long dts = i * 40_000L;
                lend(Frame.media(Codec.AV1, dts, dts, i % 25 == 0, Unpooled.wrappedBuffer(new byte[]{1, 2, 3}), System.nanoTime()));
            }
            assertThat(packager.init()).as("no half-written init segment is served").isNull();
            assertThat(packager.window().part(0, 0)).as("no fragment is cut against a missing init").isNull();
            assertThat(packager.window().segment(0)).as("nor an empty segment listed").isNull();
            assertThat(packager.lastPart()).isNull();
        }).get();
    }
}

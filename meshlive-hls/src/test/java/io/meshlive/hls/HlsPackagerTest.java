package io.meshlive.hls;

import io.meshlive.core.StreamKey;
import io.meshlive.media.Codec;
import io.meshlive.media.Frame;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.DefaultEventLoopGroup;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
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

    /** AVCDecoderConfigurationRecord of a 320x180 High-profile stream. */
    private static final String AVC_CONFIG =
            "0164000cffe1001a6764000cacd941419f9f011000000300100000030320f142996001000668eae0c4b22cfdf8f800";

    private void video(int i) {
        long dts = i * 33_333L;
        lend(Frame.media(Codec.H264, dts, dts, i % 30 == 0, Unpooled.wrappedBuffer(new byte[]{0, 0, 0, 1, 0x65}), System.nanoTime()));
    }

    private void audio(int i) {
        long dts = i * 21_333L;
        lend(Frame.media(Codec.AAC, dts, dts, true, Unpooled.wrappedBuffer(new byte[]{0x21, 0x10}), System.nanoTime()));
    }

    @Test
    void framesBeforeTheirTracksConfigurationWaitForItAndATrackThatComesLaterJoinsTheInitSegment() throws Exception {
        group.submit(() -> {
            // A relay's first frames may come before any configuration: they are not packaged, and
            // packaging starts, with an init segment, once a configuration has come.
            video(0);
            audio(0);
            assertThat(packager.fed()).isFalse();
            lend(Frame.config(Codec.AAC, 0, Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump("1190")), System.nanoTime()));
            video(1); // still no video configuration
            audio(1);
            assertThat(packager.init()).as("audio-only init segment").isNotNull();
            assertThat(ByteBufUtil.hexDump(packager.init())).contains(ByteBufUtil.hexDump("soun".getBytes(StandardCharsets.US_ASCII)))
                    .doesNotContain(ByteBufUtil.hexDump("vide".getBytes(StandardCharsets.US_ASCII)));
            // The video track's configuration comes after packaging began: a new init segment has both tracks.
            lend(Frame.config(Codec.H264, 0, Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump(AVC_CONFIG)), System.nanoTime()));
            for (int i = 30; i < 100; i++) {
                video(i);
                audio(i);
            }
            assertThat(ByteBufUtil.hexDump(packager.init())).as("the init segment after the video configuration came")
                    .contains(ByteBufUtil.hexDump("vide".getBytes(StandardCharsets.US_ASCII)))
                    .contains(ByteBufUtil.hexDump("soun".getBytes(StandardCharsets.US_ASCII)));
            assertThat(packager.lastPart()).as("parts are cut").isNotNull();
        }).get();
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

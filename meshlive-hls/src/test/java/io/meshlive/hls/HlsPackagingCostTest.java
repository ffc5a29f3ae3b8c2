package io.meshlive.hls;

import io.meshlive.core.StreamKey;
import io.meshlive.media.Codec;
import io.meshlive.media.Frame;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.DefaultEventLoopGroup;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What packaging a stream nobody watches over HLS costs (hls.onDemand: false packages every stream
 * from its publish): the CPU time of both packagers (MPEG-TS and CMAF) per second of media, and the
 * bytes their windows hold, for a 2.5 Mbit/s video + 128 kbit/s AAC stream with the default
 * settings. Printed, not asserted (a figure, not a timing test):
 * {@code mvn -o -q -pl meshlive-hls -am test -Dtest=HlsPackagingCostTest -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class HlsPackagingCostTest {
    private static final String AVC_CONFIG =
            "0164000cffe1001a6764000cacd941419f9f011000000300100000030320f142996001000668eae0c4b22cfdf8f800";
    private static final int SECONDS = 60;
    private static final int VIDEO_BYTES_PER_FRAME = 2_500_000 / 8 / 30;
    private static final int AUDIO_BYTES_PER_FRAME = 128_000 / 8 * 1024 / 48_000;

    @Test
    void packagingAnUnwatchedStream() throws Exception {
        DefaultEventLoopGroup group = new DefaultEventLoopGroup(1);
        HlsSettings settings = HlsSettings.defaults();
        HlsPackager ts = new HlsPackager(Flavour.TS, settings, group.next(), new StreamKey("live", "cost"), false);
        HlsPackager cmaf = new HlsPackager(Flavour.CMAF, settings, group.next(), new StreamKey("live", "cost"), false);
        try {
            long[] cpuAndHeld = group.submit(() -> {
                ThreadMXBean threads = ManagementFactory.getThreadMXBean();
                long before = threads.getCurrentThreadCpuTime();
                feed(ts, cmaf);
                long cpu = threads.getCurrentThreadCpuTime() - before;
                return new long[] {cpu, held(ts), held(cmaf)};
            }).get();
            double cpuMillisPerMediaSecond = cpuAndHeld[0] / 1e6 / SECONDS;
            System.out.printf("HLS packaging of an unwatched 2.63 Mbit/s stream (TS %d s + CMAF %d s windows): "
                            + "%.2f ms CPU per second of media (%.2f%% of a core); window bytes held: TS %d KB, CMAF %d KB (parts and whole segments)%n",
                    settings.windowSegments() * settings.segmentMillis() / 1000, settings.windowSegments() * settings.llSegmentMillis() / 1000,
                    cpuMillisPerMediaSecond, cpuMillisPerMediaSecond / 10, cpuAndHeld[1] / 1024, cpuAndHeld[2] / 1024);
            assertThat(cpuAndHeld[1]).isPositive();
            assertThat(cpuAndHeld[2]).isPositive();
        } finally {
            group.submit(() -> {
                ts.close();
                cmaf.close();
            }).get();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    /** {@link #SECONDS} of 30 fps video (a keyframe a second) and 48 kHz AAC, millisecond timestamps, into both. */
    private static void feed(HlsPackager... packagers) {
        give(Frame.config(Codec.H264, 0, Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump(AVC_CONFIG)), System.nanoTime()), packagers);
        give(Frame.config(Codec.AAC, 0, Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump("1190")), System.nanoTime()), packagers);
        int video = 0;
        int audio = 0;
        while (true) {
            long videoDts = Math.round(video * 1000.0 / 30) * 1000;
            long audioDts = Math.round(audio * 1024 * 1000.0 / 48_000) * 1000;
            if (Math.min(videoDts, audioDts) > SECONDS * 1_000_000L) {
                return;
            }
            if (videoDts <= audioDts) {
                boolean key = video % 30 == 0;
                give(Frame.media(Codec.H264, videoDts, videoDts, key, nal(key ? 5 : 1, key ? 4 * VIDEO_BYTES_PER_FRAME : VIDEO_BYTES_PER_FRAME),
                        System.nanoTime()), packagers);
                video++;
            } else {
                give(Frame.media(Codec.AAC, audioDts, audioDts, true, Unpooled.wrappedBuffer(new byte[AUDIO_BYTES_PER_FRAME]), System.nanoTime()),
                        packagers);
                audio++;
            }
        }
    }

    /** One length-prefixed NAL unit of {@code size} bytes. */
    private static ByteBuf nal(int type, int size) {
        ByteBuf b = Unpooled.buffer(size + 4);
        b.writeInt(size).writeByte(type).writeZero(size - 1);
        return b;
    }

    private static void give(Frame frame, HlsPackager... packagers) {
        try {
            for (HlsPackager p : packagers) {
                p.onFrame(frame, System.nanoTime());
            }
        } finally {
            frame.release();
        }
    }

    private static long held(HlsPackager p) {
        long bytes = 0;
        for (long seq = 0; seq <= p.window().newest().msn(); seq++) {
            ByteBuf segment = p.window().segment(seq);
            bytes += segment == null ? 0 : segment.readableBytes();
            for (int part = 0; p.window().part(seq, part) != null; part++) {
                bytes += p.window().part(seq, part).readableBytes();
            }
        }
        return bytes;
    }
}

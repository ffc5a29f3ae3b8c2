package io.meshlive.flv;

import io.meshlive.media.Codec;
import io.meshlive.media.Frame;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.util.ResourceLeakDetector;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * HTTP-FLV on an HTTP/2 stream: a DATA frame carries exactly the FLV tag, and what that costs per
 * viewer and frame, side by side with the form it replaced (HTTP/1.1 chunks, whose header each
 * viewer's stream parsed back into a size through a String). Prints the figures; asserts only bytes.
 */
class FlvHttp2CostTest {
    private static final int VIEWERS = 500;
    private static final int FRAMES = 400;

    /** The removed {@code ChunkedBodyToHttp2Data}, kept here only as the "before" of the comparison. */
    private static final class ChunkParsingBaseline extends ChannelOutboundHandlerAdapter {
        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            ByteBuf chunk = (ByteBuf) msg;
            try {
                int start = chunk.readerIndex();
                int crlf = chunk.indexOf(start, chunk.writerIndex(), (byte) '\r');
                int size = Integer.parseInt(chunk.toString(start, crlf - start, StandardCharsets.US_ASCII), 16);
                ctx.write(new DefaultHttp2DataFrame(chunk.retainedSlice(crlf + 2, size)), promise);
            } finally {
                chunk.release();
            }
        }
    }

    private static Frame videoFrame() {
        byte[] payload = new byte[4000];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) i;
        }
        return Frame.media(Codec.H264, 1_000_000, 1_040_000, true, Unpooled.wrappedBuffer(payload), System.nanoTime());
    }

    @Test
    void aDataFrameCarriesTheBareTagThatAnHttp1ChunkFrames() {
        Frame frame = videoFrame();
        EmbeddedChannel stream = new EmbeddedChannel(new BuffersToHttp2Data());
        try {
            ByteBuf chunk = frame.encoded(FlvEgressFormat.HTTP_CHUNKED, ByteBufAllocator.DEFAULT);
            ByteBuf bare = frame.encoded(FlvEgressFormat.HTTP2, ByteBufAllocator.DEFAULT);
            String sizeLine = Integer.toHexString(bare.readableBytes()) + "\r\n";
            assertThat(chunk.toString(StandardCharsets.US_ASCII)).startsWith(sizeLine).endsWith("\r\n");
            assertThat(ByteBufUtil.equals(chunk, chunk.readerIndex() + sizeLine.length(), bare, bare.readerIndex(),
                    bare.readableBytes())).as("the chunk's content is the bare tag").isTrue();
            // Tag header: video (9), data size 5 + 4000, timestamp 1000 ms; then frame type/codec, AVC NALU, cts 40 ms.
            assertThat(HexFormat.of().formatHex(ByteBufUtil.getBytes(bare, 0, 16))).isEqualTo("09000fa5" + "0003e800" + "000000" + "1701000028");
            assertThat(bare.getInt(bare.writerIndex() - 4)).as("PreviousTagSize").isEqualTo(11 + 4005);

            stream.writeOutbound(bare.retainedDuplicate());
            Http2DataFrame data = stream.readOutbound();
            try {
                assertThat(ByteBufUtil.equals(data.content(), bare)).isTrue();
                assertThat(data.isEndStream()).isFalse();
            } finally {
                data.release();
            }
            ByteBuf header = FlvEgressFormat.HTTP2.fileHeader(ByteBufAllocator.DEFAULT);
            assertThat(HexFormat.of().formatHex(ByteBufUtil.getBytes(header))).isEqualTo("464c56010500000009" + "00000000");
            header.release();
        } finally {
            frame.release();
            stream.finishAndReleaseAll();
        }
    }

    @Test
    void printsTheCostPerViewerAndFrame() {
        Cost before = cost(FlvEgressFormat.HTTP_CHUNKED, new ChunkParsingBaseline());
        Cost after = cost(FlvEgressFormat.HTTP2, new BuffersToHttp2Data());
        System.out.printf("HTTP-FLV over HTTP/2, per viewer and frame (%d viewers x %d frames, 4 kB video): "
                        + "HTTP/1.1 chunk parsed per viewer (before): %.0f ns, %.0f bytes allocated; "
                        + "bare tag encoded once (after): %.0f ns, %.0f bytes allocated%n",
                VIEWERS, FRAMES, before.nanos, before.bytes, after.nanos, after.bytes);
        assertThat(after.frames).isEqualTo(before.frames).isEqualTo((long) VIEWERS * FRAMES);
    }

    private record Cost(double nanos, double bytes, long frames) {
    }

    /** Where the stream channel would queue DATA frames: counts their bytes and releases them. */
    private static final class Sink extends ChannelOutboundHandlerAdapter {
        long frames;

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            Http2DataFrame data = (Http2DataFrame) msg;
            frames += data.content().readableBytes() > 0 ? 1 : 0;
            data.release();
        }
    }

    /**
     * Every viewer's stream writes every frame's shared bytes, as ChannelViewer does; five times, the
     * last after four to warm up. Buffer leak tracking (PARANOID in tests) is off while measuring, as in
     * production: it records a stack per buffer and would swamp the figures.
     */
    private static Cost cost(FlvEgressFormat format, ChannelOutboundHandlerAdapter handler) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Sink sink = new Sink();
        EmbeddedChannel stream = new EmbeddedChannel(sink, handler);
        ResourceLeakDetector.Level level = ResourceLeakDetector.getLevel();
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        Frame frame = videoFrame();
        try {
            Cost cost = null;
            for (int round = 0; round < 5; round++) { // the last of five, after the JIT settled
                sink.frames = 0;
                long bytes0 = threads.getCurrentThreadAllocatedBytes();
                long t0 = System.nanoTime();
                for (int f = 0; f < FRAMES; f++) {
                    ByteBuf shared = frame.encoded(format, ByteBufAllocator.DEFAULT);
                    for (int v = 0; v < VIEWERS; v++) {
                        stream.write(shared.retainedDuplicate(), stream.voidPromise());
                    }
                }
                long nanos = System.nanoTime() - t0;
                long bytes = threads.getCurrentThreadAllocatedBytes() - bytes0;
                cost = new Cost((double) nanos / sink.frames, (double) bytes / sink.frames, sink.frames);
            }
            return cost;
        } finally {
            frame.release();
            ResourceLeakDetector.setLevel(level);
            stream.finishAndReleaseAll();
        }
    }
}

package io.meshlive.cluster.relay;

import io.meshlive.testkit.FuzzLeakGate;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.meshlive.media.Frame;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;

/**
 * Arbitrary bytes from an authenticated peer into the relay message decoder, each FRAME message's
 * body into the frame reader: the only acceptable failure is a RelayProtocolException, and every
 * buffer is released (the leak gate checks). Jazzer runs the seeds in the normal build; set
 * JAZZER_FUZZ=1 to fuzz.
 */
class RelayFuzzTest {
    @FuzzTest(maxDuration = "30s")
    void frames(byte[] data) {
        try (FuzzLeakGate gate = FuzzLeakGate.open()) {
            RelayMessageDecoder decoder = new RelayMessageDecoder();
            decoder.authenticated();
            EmbeddedChannel ch = new EmbeddedChannel(decoder, new ChannelInboundHandlerAdapter() {
                @Override
                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                    ByteBuf m = (ByteBuf) msg;
                    try {
                        if (m.readByte() == RelayWire.FRAME && m.readableBytes() >= 4) {
                            m.skipBytes(4);
                            if (m.readableBytes() >= RelayFrameFormat.FIXED) {
                                RelayFrameReader.track(m);
                                RelayFrameReader.isConfig(m);
                                RelayFrameReader.hopMicros(m, System.nanoTime());
                            }
                            Frame f = RelayFrameReader.read(m, System.nanoTime(), 0);
                            f.release();
                        }
                    } catch (RelayProtocolException expected) {
                        // bad input, reported as such
                    } finally {
                        m.release();
                    }
                }
            });
            try {
                ch.writeInbound(Unpooled.wrappedBuffer(data));
            } catch (DecoderException e) {
                if (!(e.getCause() instanceof RelayProtocolException)) {
                    throw e;
                }
            } finally {
                ch.finishAndReleaseAll();
            }
        }
    }
}

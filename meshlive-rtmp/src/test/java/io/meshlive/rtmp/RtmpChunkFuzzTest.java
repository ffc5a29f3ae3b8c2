package io.meshlive.rtmp;

import io.meshlive.testkit.FuzzLeakGate;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;

/**
 * Arbitrary bytes into the chunk decoder: the only acceptable failure is an RtmpProtocolException, and nothing may leak. Jazzer runs the seeds in the normal build; set
 * JAZZER_FUZZ=1 to fuzz.
 */
class RtmpChunkFuzzTest {
    @FuzzTest(maxDuration = "30s")
    void chunkDecoder(byte[] data) {
        try (FuzzLeakGate gate = FuzzLeakGate.open()) {
            EmbeddedChannel ch = new EmbeddedChannel(new RtmpChunkDecoder(64 * 1024, new PartialMessageBudget(1024 * 1024)));
            try {
                // Feed in two pieces so partial-chunk paths run too.
                int split = data.length / 2;
                ch.writeInbound(Unpooled.wrappedBuffer(data, 0, split));
                ch.writeInbound(Unpooled.wrappedBuffer(data, split, data.length - split));
            } catch (RtmpProtocolException expected) {
                // bad input, reported as such
            } finally {
                Object m;
                while ((m = ch.readInbound()) != null) {
                    ReferenceCountUtil.release(m);
                }
                ch.finishAndReleaseAll();
            }
        }
    }
}

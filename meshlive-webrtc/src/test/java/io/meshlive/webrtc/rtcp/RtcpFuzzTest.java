package io.meshlive.webrtc.rtcp;

import io.meshlive.testkit.FuzzLeakGate;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * Arbitrary bytes into the RTCP parser: the only acceptable failure is an RtcpException, and
 * whatever it hands a handler must be readable. Jazzer runs the seeds (pion/rtcp's packets) in
 * the normal build; set JAZZER_FUZZ=1 to fuzz.
 */
class RtcpFuzzTest {
    @FuzzTest(maxDuration = "30s")
    void parse(byte[] data) {
        try (FuzzLeakGate gate = FuzzLeakGate.open()) {
            ByteBuf datagram = Unpooled.wrappedBuffer(data);
            try {
                RtcpParser.parse(datagram, new RtcpHandler() {
                    @Override
                    public void onTransportFeedback(long senderSsrc, long mediaSsrc, ByteBuf fci) {
                        for (int i = fci.readerIndex(); i < fci.writerIndex(); i++) {
                            fci.getByte(i);
                        }
                    }
                });
            } catch (RtcpException expected) {
                // bad input, reported as such
            } finally {
                datagram.release();
            }
        }
    }
}

package io.meshlive.webrtc.stun;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * Arbitrary bytes into the STUN decoder: the only acceptable failure is a StunException, and a
 * decoded message's integrity check must not throw either. Jazzer runs the seeds (the RFC 5769
 * vectors) in the normal build; set JAZZER_FUZZ=1 to fuzz.
 */
class StunFuzzTest {
    @FuzzTest(maxDuration = "30s")
    void decode(byte[] data) {
        ByteBuf datagram = Unpooled.wrappedBuffer(data);
        try {
            StunMessage.looksLikeStun(datagram);
            StunMessage message = StunMessage.decode(datagram);
            message.integrityMatches(datagram, Rfc5769.PASSWORD);
        } catch (StunException expected) {
            // bad input, reported as such
        } finally {
            datagram.release();
        }
    }
}

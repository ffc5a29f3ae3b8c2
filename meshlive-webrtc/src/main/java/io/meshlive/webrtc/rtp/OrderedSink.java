package io.meshlive.webrtc.rtp;

import io.netty.buffer.ByteBuf;

/** Receives the packets a {@link ReorderBuffer} releases, in sequence order. */
@FunctionalInterface
public interface OrderedSink {
    /**
     * @param packet     the RTP packet; ownership passes to the sink
     * @param gapBefore  packets before this one were given up as lost
     */
    void inOrder(ByteBuf packet, boolean gapBefore);
}

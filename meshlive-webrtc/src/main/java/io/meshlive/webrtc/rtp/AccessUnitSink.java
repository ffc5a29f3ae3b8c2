package io.meshlive.webrtc.rtp;

import io.netty.buffer.ByteBuf;

/** Receives the access units an {@link H264Depacketizer} reassembles. */
@FunctionalInterface
public interface AccessUnitSink {
    /**
     * @param lengthPrefixedNals the NAL units, each after a 4-byte length (the hub's H264 payload);
     *                           ownership passes to the sink
     * @param keyframe           the access unit holds an IDR picture
     * @param sps                the latest SPS seen (NAL header included), null until one was;
     *                           the same array until it changes, so compare by identity; do not modify
     * @param pps                the latest PPS seen, likewise
     */
    void accessUnit(ByteBuf lengthPrefixedNals, long rtpTimestamp, boolean keyframe, byte[] sps, byte[] pps);
}

package io.meshlive.bench.publish;

import io.netty.buffer.ByteBuf;

/**
 * One tag to publish: its FLV/RTMP type (8 audio, 9 video, 18 data), timestamp in milliseconds,
 * and body, which the holder owns and must release or hand on.
 */
record MediaTag(int type, long timestamp, ByteBuf body) {
    static final int AUDIO = 8;
    static final int VIDEO = 9;
    static final int DATA = 18;

    int first() {
        return body.isReadable() ? body.getUnsignedByte(body.readerIndex()) : -1;
    }

    int second() {
        return body.readableBytes() > 1 ? body.getUnsignedByte(body.readerIndex() + 1) : -1;
    }
}

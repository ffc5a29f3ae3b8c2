package io.meshlive.bench.play;

import io.meshlive.media.MediaFormatException;
import io.meshlive.media.avc.AvcSps;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;

/**
 * The sequence parameter set in an H.264 RTP payload (RFC 6184, packetization mode 1), alone or
 * in a STAP-A, as servers send it before each keyframe: it says the picture size, so a player sees
 * which rendition it is being sent.
 */
final class H264SpsFinder {
    private static final int SPS = 7;
    private static final int STAP_A = 24;

    private H264SpsFinder() {
    }

    /** {@code payload}'s readable bytes are the RTP payload; no index moves. Null when it has no SPS, or a bad one. */
    static AvcSps find(ByteBuf payload) {
        int at = payload.readerIndex();
        int end = payload.writerIndex();
        if (at >= end) {
            return null;
        }
        int type = payload.getByte(at) & 0x1F;
        if (type == SPS) {
            return parse(payload, at, end - at);
        }
        if (type != STAP_A) {
            return null;
        }
        at++;
        while (at + 2 < end) {
            int size = payload.getUnsignedShort(at);
            if (at + 2 + size > end) {
                return null;
            }
            if ((payload.getByte(at + 2) & 0x1F) == SPS) {
                return parse(payload, at + 2, size);
            }
            at += 2 + size;
        }
        return null;
    }

    private static AvcSps parse(ByteBuf payload, int at, int length) {
        try {
            return AvcSps.parse(ByteBufUtil.getBytes(payload, at, length));
        } catch (MediaFormatException e) {
            return null;
        }
    }
}

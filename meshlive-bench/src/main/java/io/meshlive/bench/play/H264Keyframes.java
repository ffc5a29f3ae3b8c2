package io.meshlive.bench.play;

import io.netty.buffer.ByteBuf;

/**
 * Whether an H.264 RTP payload (RFC 6184, packetization mode 1) starts a picture a decoder can
 * start from: an IDR slice (NAL type 5) alone or as the first fragment of an FU-A, or a STAP-A
 * that carries a sequence parameter set or an IDR slice (how servers send SPS, PPS and a small IDR).
 */
final class H264Keyframes {
    private static final int IDR = 5;
    private static final int SPS = 7;
    private static final int STAP_A = 24;
    private static final int FU_A = 28;
    private static final int FU_START = 0x80;

    private H264Keyframes() {
    }

    /** {@code payload}'s readable bytes are the RTP payload; no index moves. */
    static boolean startsKeyframe(ByteBuf payload) {
        int at = payload.readerIndex();
        int end = payload.writerIndex();
        if (at >= end) {
            return false;
        }
        int type = payload.getByte(at) & 0x1F;
        if (type == IDR) {
            return true;
        }
        if (type == FU_A) {
            return at + 1 < end && (payload.getByte(at + 1) & FU_START) != 0 && (payload.getByte(at + 1) & 0x1F) == IDR;
        }
        if (type != STAP_A) {
            return false;
        }
        at++;
        while (at + 2 < end) {
            int size = payload.getUnsignedShort(at);
            int nal = payload.getByte(at + 2) & 0x1F;
            if (nal == SPS || nal == IDR) {
                return true;
            }
            at += 2 + size;
        }
        return false;
    }
}

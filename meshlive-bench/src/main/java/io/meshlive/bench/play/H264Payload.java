package io.meshlive.bench.play;

import io.meshlive.media.MediaFormatException;
import io.meshlive.media.avc.AvcSps;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;

import java.util.function.IntPredicate;

/**
 * What a WHEP player looks for in an H.264 RTP payload (RFC 6184, packetization mode 1), read in
 * place between two absolute indexes of the packet: whether it starts a picture a decoder can start
 * from, and the sequence parameter set (alone or in a STAP-A, as servers send it before each
 * keyframe), which says the picture size, so a player sees which rendition it is being sent.
 */
final class H264Payload {
    private static final int IDR = 5;
    private static final int SPS = 7;
    private static final int STAP_A = 24;
    private static final int FU_A = 28;
    private static final int FU_START = 0x80;
    private static final IntPredicate STARTS_PICTURE = type -> type == SPS || type == IDR;
    private static final IntPredicate IS_SPS = type -> type == SPS;

    private H264Payload() {
    }

    /**
     * Whether the payload at {@code [from, to)} starts a decodable picture: an IDR slice alone or as
     * the first fragment of an FU-A, or a STAP-A that carries an SPS or an IDR slice (how servers
     * send SPS, PPS and a small IDR).
     */
    static boolean startsKeyframe(ByteBuf packet, int from, int to) {
        if (from < to && (packet.getByte(from) & 0x1F) == FU_A) {
            int fu = from + 1 < to ? packet.getByte(from + 1) : 0;
            return (fu & FU_START) != 0 && (fu & 0x1F) == IDR;
        }
        return firstNal(packet, from, to, STARTS_PICTURE) >= 0;
    }

    /** The SPS in the payload at {@code [from, to)}; null when it has none, or a bad one. */
    static AvcSps sps(ByteBuf packet, int from, int to) {
        long nal = firstNal(packet, from, to, IS_SPS);
        if (nal < 0) {
            return null;
        }
        try {
            return AvcSps.parse(ByteBufUtil.getBytes(packet, (int) (nal >>> 32), (int) nal));
        } catch (MediaFormatException e) {
            return null;
        }
    }

    /**
     * The first NAL unit whose type is {@code wanted}, the payload itself or one aggregated in a
     * STAP-A, as its absolute index (high 32 bits) and length (low 32 bits); -1 when there is none.
     * A STAP-A that runs past the payload ends the search.
     */
    private static long firstNal(ByteBuf packet, int from, int to, IntPredicate wanted) {
        if (from >= to) {
            return -1;
        }
        int type = packet.getByte(from) & 0x1F;
        if (type != STAP_A) {
            return wanted.test(type) ? (long) from << 32 | (to - from) : -1;
        }
        int at = from + 1;
        while (at + 2 < to) {
            int size = packet.getUnsignedShort(at);
            if (at + 2 + size > to) {
                return -1;
            }
            if (wanted.test(packet.getByte(at + 2) & 0x1F)) {
                return (long) (at + 2) << 32 | size;
            }
            at += 2 + size;
        }
        return -1;
    }
}

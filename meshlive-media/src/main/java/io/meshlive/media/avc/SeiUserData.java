package io.meshlive.media.avc;

import io.meshlive.media.MediaFormatException;
import io.netty.buffer.ByteBuf;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Finds H.264 SEI user_data_unregistered messages (ITU-T H.264 D.1.7: payloadType 5, a 16-byte
 * UUID, then the user's bytes) with one given UUID in a frame of length-prefixed NAL units. Only
 * SEI NAL units are read, and only their headers until a message matches, so scanning every frame
 * costs a few byte reads when there is none.
 */
public final class SeiUserData {
    private static final int NAL_SEI = 6;
    private static final int USER_DATA_UNREGISTERED = 5;
    private static final int UUID_LENGTH = 16;

    private SeiUserData() {
    }

    /** The user data after {@code uuid} of every matching message in the frame, in order; empty when none. */
    public static List<byte[]> find(ByteBuf nals, byte[] uuid) {
        List<byte[]> found = List.of();
        int end = nals.writerIndex();
        for (int at = nals.readerIndex(); at + 4 < end; ) {
            long length = nals.getUnsignedInt(at);
            if (length > end - at - 4 || length == 0) {
                throw new MediaFormatException("NAL unit of " + length + " bytes overruns the frame at byte " + at);
            }
            if ((nals.getUnsignedByte(at + 4) & 0x1F) == NAL_SEI) {
                for (byte[] data : messages(rbsp(nals, at + 5, (int) length - 1), uuid)) {
                    if (found.isEmpty()) {
                        found = new ArrayList<>();
                    }
                    found.add(data);
                }
            }
            at += 4 + (int) length;
        }
        return found;
    }

    /** The NAL payload with emulation prevention bytes (00 00 03) taken out. */
    private static byte[] rbsp(ByteBuf buf, int from, int length) {
        byte[] out = new byte[length];
        int n = 0;
        int zeros = 0;
        for (int i = from; i < from + length; i++) {
            int b = buf.getUnsignedByte(i);
            if (zeros >= 2 && b == 3) {
                zeros = 0;
                continue;
            }
            zeros = b == 0 ? zeros + 1 : 0;
            out[n++] = (byte) b;
        }
        return Arrays.copyOf(out, n);
    }

    private static List<byte[]> messages(byte[] sei, byte[] uuid) {
        List<byte[]> out = new ArrayList<>(1);
        int at = 0;
        while (at < sei.length && !(at == sei.length - 1 && (sei[at] & 0xFF) == 0x80)) { // rbsp_trailing_bits
            int type = 0;
            while (at < sei.length && (sei[at] & 0xFF) == 0xFF) {
                type += 255;
                at++;
            }
            int size = 0;
            if (at + 1 >= sei.length) {
                throw new MediaFormatException("SEI message header runs past the NAL unit");
            }
            type += sei[at++] & 0xFF;
            while (at < sei.length && (sei[at] & 0xFF) == 0xFF) {
                size += 255;
                at++;
            }
            if (at >= sei.length) {
                throw new MediaFormatException("SEI message size runs past the NAL unit");
            }
            size += sei[at++] & 0xFF;
            if (size > sei.length - at) {
                throw new MediaFormatException("SEI message of " + size + " bytes runs past the NAL unit");
            }
            if (type == USER_DATA_UNREGISTERED && size >= UUID_LENGTH
                    && Arrays.equals(sei, at, at + UUID_LENGTH, uuid, 0, UUID_LENGTH)) {
                out.add(Arrays.copyOfRange(sei, at + UUID_LENGTH, at + size));
            }
            at += size;
        }
        return out;
    }
}

package io.meshlive.transcode.video;

import io.netty.buffer.ByteBuf;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * H.264 Annex B byte streams (NAL units behind 00 00 01 start codes), as encoders write them,
 * turned into what the hub carries: 4-byte length prefixes, parameter sets in the config frame.
 */
final class AnnexB {
    static final int NAL_SPS = 7;
    static final int NAL_PPS = 8;
    static final int NAL_AUD = 9;

    private AnnexB() {
    }

    /** The NAL units of {@code stream} (position to limit), each without its start code. */
    static List<ByteBuffer> nalUnits(ByteBuffer stream) {
        List<ByteBuffer> units = new ArrayList<>();
        int end = stream.limit();
        int start = nextUnit(stream, stream.position(), end);
        while (start >= 0 && start < end) {
            int next = nextUnit(stream, start, end);
            int unitEnd = next < 0 ? end : next - 3;
            // A four-byte start code leaves a zero before the three-byte one; trailing zeros are not data.
            while (unitEnd > start && stream.get(unitEnd - 1) == 0) {
                unitEnd--;
            }
            if (unitEnd > start) {
                units.add(stream.slice(start, unitEnd - start));
            }
            start = next;
        }
        return units;
    }

    /** The position just after the next 00 00 01 at or after {@code from}, or -1. */
    private static int nextUnit(ByteBuffer b, int from, int end) {
        for (int i = from; i + 2 < end; i++) {
            if (b.get(i) == 0 && b.get(i + 1) == 0 && b.get(i + 2) == 1) {
                return i + 3;
            }
        }
        return -1;
    }

    static int type(ByteBuffer unit) {
        return unit.get(0) & 0x1F;
    }

    /**
     * Writes the access unit's NAL units with 4-byte lengths, leaving out parameter sets and access
     * unit delimiters: the config frame carries the first, the containers make their own of the second.
     */
    static void writeLengthPrefixed(ByteBuffer accessUnit, ByteBuf out) {
        for (ByteBuffer unit : nalUnits(accessUnit)) {
            int type = type(unit);
            if (type != NAL_SPS && type != NAL_PPS && type != NAL_AUD) {
                out.writeInt(unit.remaining());
                out.writeBytes(unit);
            }
        }
    }

    /** The first unit of {@code type} in {@code stream}, as bytes, or null. */
    static byte[] first(ByteBuffer stream, int type) {
        for (ByteBuffer unit : nalUnits(stream)) {
            if (type(unit) == type) {
                byte[] bytes = new byte[unit.remaining()];
                unit.get(bytes);
                return bytes;
            }
        }
        return null;
    }
}

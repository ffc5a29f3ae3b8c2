package io.meshlive.hls.ts;

import io.netty.buffer.ByteBuf;

/**
 * CRC-32/MPEG-2 (poly 0x04C11DB7, init 0xFFFFFFFF, not reflected, no final XOR), the CRC that
 * ends every PSI section (ISO/IEC 13818-1 Annex A). {@link java.util.zip.CRC32} is the reflected
 * variant and gives different values, hence this table.
 */
final class Crc32Mpeg2 {
    private static final int[] TABLE = new int[256];

    static {
        for (int i = 0; i < 256; i++) {
            int crc = i << 24;
            for (int bit = 0; bit < 8; bit++) {
                crc = (crc & 0x80000000) != 0 ? crc << 1 ^ 0x04C11DB7 : crc << 1;
            }
            TABLE[i] = crc;
        }
    }

    private Crc32Mpeg2() {
    }

    /** The CRC of {@code length} bytes of {@code buf} from {@code index}; indices are left alone. */
    static int compute(ByteBuf buf, int index, int length) {
        int crc = 0xFFFFFFFF;
        for (int i = index; i < index + length; i++) {
            crc = crc << 8 ^ TABLE[(crc >>> 24 ^ buf.getUnsignedByte(i)) & 0xFF];
        }
        return crc;
    }
}

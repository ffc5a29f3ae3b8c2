package io.meshlive.bench.publish;

import java.io.ByteArrayOutputStream;

/** Writes the bit fields of an H.264 parameter set: fixed-width values and Exp-Golomb codes, most significant bit first. */
final class BitWriter {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private int current;
    private int used;

    BitWriter bits(int count, int value) {
        for (int i = count - 1; i >= 0; i--) {
            current = current << 1 | (value >>> i & 1);
            if (++used == 8) {
                bytes.write(current);
                current = 0;
                used = 0;
            }
        }
        return this;
    }

    /** ue(v): the value plus one in binary, after as many zero bits as that has bits minus one. */
    BitWriter ue(int value) {
        int coded = value + 1;
        int length = 32 - Integer.numberOfLeadingZeros(coded);
        return bits(length - 1, 0).bits(length, coded);
    }

    /** The RBSP: a stop bit, zero bits to the byte boundary. */
    byte[] finish() {
        bits(1, 1);
        if (used > 0) {
            bits(8 - used, 0);
        }
        return bytes.toByteArray();
    }
}

package io.meshlive.media;

import java.io.ByteArrayOutputStream;

/** Builds bit strings for hand-made headers in tests: the inverse of {@link BitReader}. */
public final class BitWriter {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private int current;
    private int used;

    public BitWriter u(int bits, long value) {
        for (int i = bits - 1; i >= 0; i--) {
            current = current << 1 | (int) (value >>> i & 1);
            if (++used == 8) {
                out.write(current);
                current = 0;
                used = 0;
            }
        }
        return this;
    }

    public BitWriter flag(boolean value) {
        return u(1, value ? 1 : 0);
    }

    public BitWriter ue(int value) {
        long code = value + 1L;
        int length = 64 - Long.numberOfLeadingZeros(code);
        return u(length - 1, 0).u(length, code);
    }

    public BitWriter se(int value) {
        return ue(value > 0 ? 2 * value - 1 : -2 * value);
    }

    /** The bits so far, padded with zeros to a whole byte. */
    public byte[] toBytes() {
        ByteArrayOutputStream copy = new ByteArrayOutputStream();
        copy.writeBytes(out.toByteArray());
        if (used > 0) {
            copy.write(current << (8 - used));
        }
        return copy.toByteArray();
    }

    /** The bits so far with an RBSP stop bit, the way NAL units end. */
    public byte[] toRbsp() {
        return u(1, 1).toBytes();
    }

    /** Inserts emulation-prevention bytes: a 03 wherever 00 00 is followed by 00..03. */
    public static byte[] escape(byte[] rbsp) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int zeros = 0;
        for (byte b : rbsp) {
            if (zeros >= 2 && (b & 0xFF) <= 3) {
                out.write(3);
                zeros = 0;
            }
            out.write(b);
            zeros = b == 0 ? zeros + 1 : 0;
        }
        return out.toByteArray();
    }
}

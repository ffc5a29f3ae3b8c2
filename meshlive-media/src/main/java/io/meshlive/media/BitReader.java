package io.meshlive.media;

import java.util.Arrays;

/**
 * Reads big-endian bit fields and Exp-Golomb codes, the way H.264, HEVC and AAC headers are
 * written. Every read checks what is left first, so a truncated or lying header ends in a
 * {@link MediaFormatException} that names the structure, never in an index exception, and a
 * count read from the input can never make a caller loop for longer than the input lasts.
 */
public final class BitReader {
    private final String what;
    private final byte[] data;
    private final long end;
    private long position;

    /** Reads all of {@code data}; {@code what} names the structure in error messages ("AVC SPS"). */
    public BitReader(String what, byte[] data) {
        this.what = what;
        this.data = data;
        this.end = data.length * 8L;
    }

    /**
     * Reads the RBSP of a NAL unit: the bytes after its {@code headerLength}-byte header with the
     * emulation-prevention bytes removed (every 03 that follows 00 00), which would otherwise
     * shift every field behind them.
     */
    public static BitReader rbsp(String what, byte[] nal, int headerLength) {
        if (nal.length < headerLength) {
            throw new MediaFormatException(what + " truncated: " + nal.length + " bytes, shorter than its NAL header");
        }
        byte[] out = new byte[nal.length - headerLength];
        int n = 0;
        int zeros = 0;
        for (int i = headerLength; i < nal.length; i++) {
            byte b = nal[i];
            if (zeros >= 2 && b == 3) {
                zeros = 0;
                continue;
            }
            zeros = b == 0 ? zeros + 1 : 0;
            out[n++] = b;
        }
        return new BitReader(what, n == out.length ? out : Arrays.copyOf(out, n));
    }

    /** The next {@code n} bits (0 to 31) as an unsigned number. */
    public int u(int n) {
        if (n < 0 || n > 31) {
            throw new IllegalArgumentException("u(" + n + "): at most 31 bits fit an int");
        }
        require(n);
        int value = 0;
        for (int i = 0; i < n; i++) {
            value = value << 1 | bit();
        }
        return value;
    }

    /** The next 32 bits as an unsigned number. */
    public long u32() {
        return (long) u(16) << 16 | u(16);
    }

    public boolean flag() {
        require(1);
        return bit() == 1;
    }

    /** An unsigned Exp-Golomb code, ue(v). Codes for values above 2^31 - 2 are rejected. */
    public int ue() {
        int leadingZeros = 0;
        while (!flag()) {
            if (++leadingZeros > 30) {
                throw new MediaFormatException(what + ": Exp-Golomb code with more than 30 leading zeros at bit "
                        + position);
            }
        }
        return (1 << leadingZeros) - 1 + u(leadingZeros);
    }

    /** A signed Exp-Golomb code, se(v). */
    public int se() {
        int k = ue();
        return (k & 1) == 1 ? (k + 1) >>> 1 : -(k >>> 1);
    }

    public void skip(long bits) {
        require(bits);
        position += bits;
    }

    /** The next {@code n} whole bytes; the reader must be on a byte boundary. */
    public byte[] bytes(int n) {
        if ((position & 7) != 0) {
            throw new IllegalStateException(what + ": bytes(" + n + ") at bit " + position + ", not on a byte boundary");
        }
        require(n * 8L);
        int from = (int) (position >>> 3);
        position += n * 8L;
        return Arrays.copyOfRange(data, from, from + n);
    }

    private void require(long bits) {
        if (bits > end - position) {
            throw new MediaFormatException(what + " truncated: needed " + bits + " more bits at bit " + position
                    + " of " + end);
        }
    }

    private int bit() {
        int b = data[(int) (position >>> 3)] >> (7 - (int) (position & 7)) & 1;
        position++;
        return b;
    }
}

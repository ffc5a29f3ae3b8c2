package io.meshlive.webrtc.sctp;

import io.netty.buffer.ByteBuf;

/**
 * A SACK chunk (RFC 9260 §3.3.4): the cumulative TSN acknowledged, the receiver's window, and
 * gap ack blocks (TSN offsets from the cumulative one, start and end inclusive). Duplicate TSNs
 * are counted, not kept.
 */
public record SackChunk(long cumulativeTsnAck, long receiveWindow, int[] gapStarts, int[] gapEnds, int duplicates) {
    private static final int FIXED_LENGTH = 12;

    public static SackChunk parse(Chunk chunk) throws SctpException {
        ByteBuf v = chunk.value();
        if (v.readableBytes() < FIXED_LENGTH) {
            throw new SctpException("SACK of " + v.readableBytes() + " bytes is shorter than its fixed part");
        }
        int i = v.readerIndex();
        int gaps = v.getUnsignedShort(i + 8);
        int dups = v.getUnsignedShort(i + 10);
        if (FIXED_LENGTH + 4L * gaps + 4L * dups > v.readableBytes()) {
            throw new SctpException("SACK lists " + gaps + " gap blocks and " + dups + " duplicates in "
                    + v.readableBytes() + " bytes");
        }
        int[] starts = new int[gaps];
        int[] ends = new int[gaps];
        for (int g = 0; g < gaps; g++) {
            starts[g] = v.getUnsignedShort(i + FIXED_LENGTH + 4 * g);
            ends[g] = v.getUnsignedShort(i + FIXED_LENGTH + 4 * g + 2);
        }
        return new SackChunk(v.getUnsignedInt(i), v.getUnsignedInt(i + 4), starts, ends, dups);
    }

    /** Writes a SACK with {@code gapCount} blocks from the arrays and no duplicate TSNs listed. */
    static void write(ByteBuf out, long cumulativeTsnAck, long receiveWindow, int[] gapStarts, int[] gapEnds,
                      int gapCount) {
        Chunk.writeHeader(out, Chunk.SACK, 0, FIXED_LENGTH + 4 * gapCount);
        out.writeInt((int) cumulativeTsnAck);
        out.writeInt((int) receiveWindow);
        out.writeShort(gapCount);
        out.writeShort(0);
        for (int g = 0; g < gapCount; g++) {
            out.writeShort(gapStarts[g]);
            out.writeShort(gapEnds[g]);
        }
    }
}

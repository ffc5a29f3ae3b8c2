package io.meshlive.webrtc.rtp;

import io.netty.buffer.ByteBuf;

/**
 * The abs-send-time RTP header extension (webrtc.org's experiments/rtp-hdrext/abs-send-time): when
 * a packet left the sender, as 24-bit 6.18 fixed-point seconds. A browser's receive-side bandwidth
 * estimator compares these times with the arrival times and reports its estimate as REMB.
 * Written in the RFC 8285 one-byte-header form, the only element of the packet's extension block.
 */
public final class AbsSendTime {
    public static final String URI = "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time";
    /** The extension block: the 0xBEDE profile and length word, then one 4-byte element (id/length byte and 3 data bytes). */
    public static final int BLOCK_LENGTH = 8;
    /** RFC 8285 §4.2: ids 1 to 14 fit the one-byte header; 15 is reserved. */
    public static final int MAX_ONE_BYTE_ID = 14;

    private static final int ONE_BYTE_PROFILE = 0xBEDE;
    private static final int DATA_LENGTH = 3;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    /** Six bits of whole seconds: the value wraps every 64 s, which the receiver expects. */
    private static final long WRAP_SECONDS = 64;

    private AbsSendTime() {
    }

    /** {@code nanos} (any epoch, e.g. {@link System#nanoTime()}) as 6.18 fixed-point seconds, modulo 64 s. */
    public static int fromNanos(long nanos) {
        long seconds = Math.floorMod(Math.floorDiv(nanos, NANOS_PER_SECOND), WRAP_SECONDS);
        long fraction = (Math.floorMod(nanos, NANOS_PER_SECOND) << 18) / NANOS_PER_SECOND;
        return (int) (seconds << 18 | fraction);
    }

    /** Appends the {@link #BLOCK_LENGTH}-byte extension block; the caller sets the header's X bit. */
    public static void writeBlock(ByteBuf out, int id, int sendTime) {
        out.writeShort(ONE_BYTE_PROFILE);
        out.writeShort(1); // in 32-bit words
        out.writeByte(id << 4 | (DATA_LENGTH - 1));
        out.writeMedium(sendTime);
    }
}

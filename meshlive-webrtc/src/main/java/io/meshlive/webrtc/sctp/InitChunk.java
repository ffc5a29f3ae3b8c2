package io.meshlive.webrtc.sctp;

import io.netty.buffer.ByteBuf;

/**
 * The value of an INIT or INIT-ACK chunk (RFC 9260 §3.3.2, §3.3.3): the sender's verification tag
 * for packets sent to it, its receive window, its stream counts and first TSN, and (INIT-ACK) the
 * state cookie. Other parameters (supported extensions, forward-TSN-supported, and the like) are
 * skipped: we offer none of those extensions, so the peer must not use them.
 *
 * @param cookie the State Cookie parameter's value, a slice of the packet, or null
 */
public record InitChunk(long initiateTag, long receiveWindow, int outboundStreams, int inboundStreams,
                        long initialTsn, ByteBuf cookie) {
    private static final int FIXED_LENGTH = 16;
    static final int PARAM_STATE_COOKIE = 7;
    private static final int MAX_PARAMS = 32;

    public static InitChunk parse(Chunk chunk) throws SctpException {
        ByteBuf v = chunk.value();
        String name = Chunk.name(chunk.type());
        if (v.readableBytes() < FIXED_LENGTH) {
            throw new SctpException(name + " of " + v.readableBytes() + " bytes is shorter than its fixed part");
        }
        int i = v.readerIndex();
        long tag = v.getUnsignedInt(i);
        int outbound = v.getUnsignedShort(i + 8);
        int inbound = v.getUnsignedShort(i + 10);
        if (tag == 0) {
            throw new SctpException(name + " with initiate tag 0");
        }
        if (outbound == 0 || inbound == 0) {
            throw new SctpException(name + " with zero streams (" + outbound + " out, " + inbound + " in)");
        }
        ByteBuf cookie = null;
        int at = i + FIXED_LENGTH;
        int end = v.writerIndex();
        for (int n = 0; at < end; n++) {
            if (end - at < 4 || n == MAX_PARAMS) {
                throw new SctpException(name + " has a truncated parameter or too many of them");
            }
            int type = v.getUnsignedShort(at);
            int length = v.getUnsignedShort(at + 2);
            if (length < 4 || length > end - at) {
                throw new SctpException(name + " parameter " + type + " has length " + length + " beyond the chunk");
            }
            if (type == PARAM_STATE_COOKIE) {
                cookie = v.slice(at + 4, length - 4);
            }
            at += (length + 3) & ~3;
        }
        return new InitChunk(tag, v.getUnsignedInt(i + 4), outbound, inbound, v.getUnsignedInt(i + 12), cookie);
    }

    /** Writes an INIT-ACK carrying {@code cookie} as its only parameter. */
    static void writeInitAck(ByteBuf out, long initiateTag, long receiveWindow, int outboundStreams,
                             int inboundStreams, long initialTsn, byte[] cookie) {
        Chunk.writeHeader(out, Chunk.INIT_ACK, 0, FIXED_LENGTH + 4 + cookie.length);
        out.writeInt((int) initiateTag);
        out.writeInt((int) receiveWindow);
        out.writeShort(outboundStreams);
        out.writeShort(inboundStreams);
        out.writeInt((int) initialTsn);
        out.writeShort(PARAM_STATE_COOKIE);
        out.writeShort(4 + cookie.length);
        out.writeBytes(cookie);
        Chunk.pad(out);
    }
}

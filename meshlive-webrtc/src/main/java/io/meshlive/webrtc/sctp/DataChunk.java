package io.meshlive.webrtc.sctp;

import io.netty.buffer.ByteBuf;

/**
 * A DATA chunk (RFC 9260 §3.3.1): one user message or a fragment of one. Flags: U unordered, B
 * first fragment, E last fragment, I the receiver should SACK at once (RFC 7053).
 *
 * @param data the user data, a slice of the packet
 */
public record DataChunk(int flags, long tsn, int stream, int ssn, long ppid, ByteBuf data) {
    public static final int FLAG_END = 1;
    public static final int FLAG_BEGIN = 2;
    public static final int FLAG_UNORDERED = 4;
    public static final int FLAG_IMMEDIATE = 8;
    /** TSN, stream id, stream sequence number, payload protocol identifier. */
    public static final int FIXED_LENGTH = 12;

    public static DataChunk parse(Chunk chunk) throws SctpException {
        ByteBuf v = chunk.value();
        if (v.readableBytes() <= FIXED_LENGTH) {
            throw new SctpException("DATA chunk of " + v.readableBytes() + " bytes has no user data");
        }
        int i = v.readerIndex();
        return new DataChunk(chunk.flags(), v.getUnsignedInt(i), v.getUnsignedShort(i + 4), v.getUnsignedShort(i + 6),
                v.getUnsignedInt(i + 8), v.slice(i + FIXED_LENGTH, v.readableBytes() - FIXED_LENGTH));
    }

    public boolean begins() {
        return (flags & FLAG_BEGIN) != 0;
    }

    public boolean ends() {
        return (flags & FLAG_END) != 0;
    }

    public boolean unordered() {
        return (flags & FLAG_UNORDERED) != 0;
    }

    /** Writes a DATA chunk of {@code length} bytes of {@code data} from {@code index}. */
    static void write(ByteBuf out, int flags, long tsn, int stream, int ssn, long ppid, ByteBuf data, int index,
                      int length) {
        Chunk.writeHeader(out, Chunk.DATA, flags, FIXED_LENGTH + length);
        out.writeInt((int) tsn);
        out.writeShort(stream);
        out.writeShort(ssn);
        out.writeInt((int) ppid);
        out.writeBytes(data, index, length);
        Chunk.pad(out);
    }
}

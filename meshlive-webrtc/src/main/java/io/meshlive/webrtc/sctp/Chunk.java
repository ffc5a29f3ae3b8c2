package io.meshlive.webrtc.sctp;

import io.netty.buffer.ByteBuf;

/**
 * One chunk of a received packet (RFC 9260 §3.2): its type, flags and value, the value a slice of
 * the packet (no copy), valid while the packet is.
 */
public record Chunk(int type, int flags, ByteBuf value) {
    public static final int DATA = 0;
    public static final int INIT = 1;
    public static final int INIT_ACK = 2;
    public static final int SACK = 3;
    public static final int HEARTBEAT = 4;
    public static final int HEARTBEAT_ACK = 5;
    public static final int ABORT = 6;
    public static final int SHUTDOWN = 7;
    public static final int SHUTDOWN_ACK = 8;
    public static final int ERROR = 9;
    public static final int COOKIE_ECHO = 10;
    public static final int COOKIE_ACK = 11;
    public static final int SHUTDOWN_COMPLETE = 14;
    public static final int FORWARD_TSN = 192;

    /** The chunk header: type, flags, length. */
    public static final int HEADER_LENGTH = 4;

    /** ABORT and SHUTDOWN-COMPLETE: the verification tag is the sender's own, reflected (§8.5.1). */
    public static final int FLAG_T = 1;

    /** What an unrecognised chunk type asks of the receiver (its two high bits, §3.2). */
    static boolean stopOnUnknown(int type) {
        return (type & 0x80) == 0;
    }

    static boolean reportUnknown(int type) {
        return (type & 0x40) != 0;
    }

    /** Writes a chunk header and the value, padded to four bytes (the padding is not in the length). */
    static void write(ByteBuf out, int type, int flags, ByteBuf value, int index, int length) {
        writeHeader(out, type, flags, length);
        out.writeBytes(value, index, length);
        pad(out);
    }

    static void writeHeader(ByteBuf out, int type, int flags, int valueLength) {
        out.writeByte(type);
        out.writeByte(flags);
        out.writeShort(HEADER_LENGTH + valueLength);
    }

    static void pad(ByteBuf out) {
        out.writeZero(-out.writerIndex() & 3);
    }

    /** A value-less chunk (COOKIE-ACK, SHUTDOWN-ACK, SHUTDOWN-COMPLETE, ABORT without causes). */
    static void writeEmpty(ByteBuf out, int type, int flags) {
        writeHeader(out, type, flags, 0);
    }

    static String name(int type) {
        return switch (type) {
            case DATA -> "DATA";
            case INIT -> "INIT";
            case INIT_ACK -> "INIT-ACK";
            case SACK -> "SACK";
            case HEARTBEAT -> "HEARTBEAT";
            case HEARTBEAT_ACK -> "HEARTBEAT-ACK";
            case ABORT -> "ABORT";
            case SHUTDOWN -> "SHUTDOWN";
            case SHUTDOWN_ACK -> "SHUTDOWN-ACK";
            case ERROR -> "ERROR";
            case COOKIE_ECHO -> "COOKIE-ECHO";
            case COOKIE_ACK -> "COOKIE-ACK";
            case SHUTDOWN_COMPLETE -> "SHUTDOWN-COMPLETE";
            case FORWARD_TSN -> "FORWARD-TSN";
            default -> "chunk type " + type;
        };
    }
}

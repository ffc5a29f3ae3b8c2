package io.meshlive.webrtc.datachannel;

import io.netty.buffer.ByteBuf;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The Data Channel Establishment Protocol (RFC 8832): DATA_CHANNEL_OPEN, sent by the side that
 * opens a channel on the stream it picked, and the one-byte DATA_CHANNEL_ACK in answer, both
 * under PPID {@link Ppid#DCEP}. We answer the browser's channels; we open none of our own (we
 * would pick odd stream ids, as the DTLS server, §6).
 */
public final class Dcep {
    public static final int MESSAGE_ACK = 0x02;
    public static final int MESSAGE_OPEN = 0x03;
    /** Channel types (§5.1): the high bit says unordered, the low bits the reliability. */
    public static final int RELIABLE = 0x00;
    public static final int PARTIAL_RELIABLE_REXMIT = 0x01;
    public static final int PARTIAL_RELIABLE_TIMED = 0x02;
    public static final int UNORDERED = 0x80;
    private static final int OPEN_FIXED_LENGTH = 12;
    /** Labels and protocols are names a page chose; longer ones are refused, not kept. */
    public static final int MAX_NAME_BYTES = 256;

    /**
     * A DATA_CHANNEL_OPEN.
     *
     * @param reliability retransmissions or lifetime (ms) for the partially reliable types, else 0
     */
    public record Open(int channelType, int priority, long reliability, String label, String protocol) {
        public boolean ordered() {
            return (channelType & UNORDERED) == 0;
        }
    }

    private Dcep() {
    }

    /** The DCEP message type of a message under PPID 50 (its first byte). */
    public static int type(ByteBuf message) throws DcepException {
        if (!message.isReadable()) {
            throw new DcepException("empty DCEP message");
        }
        return message.getUnsignedByte(message.readerIndex());
    }

    /** Reads a DATA_CHANNEL_OPEN; the reader index is not moved. */
    public static Open parseOpen(ByteBuf m) throws DcepException {
        int i = m.readerIndex();
        if (m.readableBytes() < OPEN_FIXED_LENGTH || m.getUnsignedByte(i) != MESSAGE_OPEN) {
            throw new DcepException("DATA_CHANNEL_OPEN of " + m.readableBytes() + " bytes is shorter than its fixed part");
        }
        int type = m.getUnsignedByte(i + 1);
        if ((type & 0x7F) > PARTIAL_RELIABLE_TIMED) {
            throw new DcepException(String.format("unknown channel type 0x%02x", type));
        }
        int labelLength = m.getUnsignedShort(i + 8);
        int protocolLength = m.getUnsignedShort(i + 10);
        if (labelLength > MAX_NAME_BYTES || protocolLength > MAX_NAME_BYTES) {
            throw new DcepException("channel label or protocol longer than " + MAX_NAME_BYTES + " bytes ("
                    + labelLength + ", " + protocolLength + ")");
        }
        if (OPEN_FIXED_LENGTH + labelLength + protocolLength != m.readableBytes()) {
            throw new DcepException("DATA_CHANNEL_OPEN of " + m.readableBytes() + " bytes with a label of " + labelLength
                    + " and a protocol of " + protocolLength);
        }
        return new Open(type, m.getUnsignedShort(i + 2), m.getUnsignedInt(i + 4),
                utf8(m, i + OPEN_FIXED_LENGTH, labelLength),
                utf8(m, i + OPEN_FIXED_LENGTH + labelLength, protocolLength));
    }

    private static String utf8(ByteBuf m, int index, int length) throws DcepException {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(m.nioBuffer(index, length)).toString();
        } catch (CharacterCodingException e) {
            throw new DcepException("channel label or protocol is not UTF-8");
        }
    }

    public static void writeAck(ByteBuf out) {
        out.writeByte(MESSAGE_ACK);
    }
}

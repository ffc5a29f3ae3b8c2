package io.meshlive.webrtc.stun;

import io.netty.buffer.ByteBuf;

import java.util.zip.CRC32;

/**
 * The FINGERPRINT value (RFC 8489 §14.7): CRC-32 of the message up to the attribute, XOR
 * 0x5354554e. The header's length field must already count the FINGERPRINT attribute, as it
 * does in a received message (FINGERPRINT is always last).
 */
final class Fingerprint {
    static final int LENGTH = 4;
    private static final int XOR = 0x5354554e;

    private static final ThreadLocal<CRC32> CRC = ThreadLocal.withInitial(CRC32::new);

    private Fingerprint() {
    }

    static int compute(ByteBuf message, int start, int attributeAt) {
        CRC32 crc = CRC.get();
        crc.reset();
        int length = attributeAt - start;
        if (message.hasArray()) {
            crc.update(message.array(), message.arrayOffset() + start, length);
        } else {
            crc.update(MessageIntegrity.nioView(message, start, length));
        }
        return (int) crc.getValue() ^ XOR;
    }

    /** Sets the header length to include a FINGERPRINT, then appends it. */
    static void append(ByteBuf message, int start) {
        int attributeAt = message.writerIndex();
        message.setShort(start + 2, attributeAt - start - StunAttributes.HEADER_LENGTH + 4 + LENGTH);
        int value = compute(message, start, attributeAt);
        message.writeShort(StunAttributes.FINGERPRINT);
        message.writeShort(LENGTH);
        message.writeInt(value);
    }
}

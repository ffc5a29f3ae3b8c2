package io.meshlive.webrtc.stun;

import io.netty.buffer.ByteBuf;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;

/**
 * The MESSAGE-INTEGRITY value (RFC 8489 §14.5): HMAC-SHA1 over the message up to the attribute,
 * with the header's length field counting the message only up to the end of that attribute.
 *
 * <p>The length adjustment is fed to the Mac instead of patched into the buffer, so a received
 * datagram is never written to. One Mac (and one output array) per thread: STUN is handled on
 * event loops, and a Mac per packet is garbage we need not make.
 */
final class MessageIntegrity {
    static final int LENGTH = 20;

    private static final ThreadLocal<Hmac> HMAC = ThreadLocal.withInitial(Hmac::new);

    private MessageIntegrity() {
    }

    /** Appends a MESSAGE-INTEGRITY attribute for the message that starts at {@code start} and ends at the writer index. */
    static void append(ByteBuf message, int start, byte[] key) {
        int attributeAt = message.writerIndex();
        byte[] mac = HMAC.get().compute(message, start, attributeAt, key);
        message.writeShort(StunAttributes.MESSAGE_INTEGRITY);
        message.writeShort(LENGTH);
        message.writeBytes(mac);
    }

    /** Whether the 20-byte value of the MESSAGE-INTEGRITY attribute at {@code attributeAt} is the HMAC under {@code key}; constant time. */
    static boolean matches(ByteBuf message, int start, int attributeAt, byte[] key) {
        byte[] mac = HMAC.get().compute(message, start, attributeAt, key);
        int valueAt = attributeAt + 4;
        int difference = 0;
        for (int i = 0; i < LENGTH; i++) {
            difference |= mac[i] ^ message.getByte(valueAt + i);
        }
        return difference == 0;
    }

    private static final class Hmac {
        private final Mac mac;
        private final byte[] out = new byte[LENGTH];

        Hmac() {
            try {
                mac = Mac.getInstance("HmacSHA1");
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("the JDK always has HmacSHA1", e);
            }
        }

        /** The HMAC of {@code message[start, attributeAt)}, its length field set as if the message ended after the attribute. */
        byte[] compute(ByteBuf message, int start, int attributeAt, byte[] key) {
            try {
                mac.init(new SecretKeySpec(key, "HmacSHA1"));
                int adjustedLength = attributeAt - start - StunAttributes.HEADER_LENGTH + 4 + LENGTH;
                update(message, start, 2);
                mac.update((byte) (adjustedLength >>> 8));
                mac.update((byte) adjustedLength);
                update(message, start + 4, attributeAt - start - 4);
                mac.doFinal(out, 0);
                return out;
            } catch (InvalidKeyException e) {
                throw new IllegalArgumentException("unusable MESSAGE-INTEGRITY key", e);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }

        private void update(ByteBuf buf, int index, int length) {
            if (buf.hasArray()) {
                mac.update(buf.array(), buf.arrayOffset() + index, length);
            } else {
                mac.update(nioView(buf, index, length));
            }
        }
    }

    /** A view of the bytes without copying; Netty reuses the internal one where the buffer has a single NIO buffer. */
    static ByteBuffer nioView(ByteBuf buf, int index, int length) {
        return buf.nioBufferCount() == 1 ? buf.internalNioBuffer(index, length) : buf.nioBuffer(index, length);
    }
}

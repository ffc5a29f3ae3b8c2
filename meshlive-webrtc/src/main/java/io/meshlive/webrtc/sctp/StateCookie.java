package io.meshlive.webrtc.sctp;

import io.netty.buffer.ByteBuf;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;

/**
 * The state cookie of our INIT-ACK (RFC 9260 §5.1.3): what the association needs, signed with the
 * server's secret (HMAC-SHA-256), so an INIT costs us no state and a COOKIE-ECHO is believed only
 * if we wrote it, lately.
 *
 * <p>Form: created (ms, u64), peer tag, peer window, peer first TSN, our tag, our first TSN
 * (u32 each), outbound and inbound stream counts (u16 each), then the 32-byte MAC of all that.
 */
public record StateCookie(long createdMillis, long peerTag, long peerWindow, long peerInitialTsn, long localTag,
                          long localInitialTsn, int outboundStreams, int inboundStreams) {
    static final int FIELDS_LENGTH = 32;
    static final int LENGTH = FIELDS_LENGTH + 32;
    private static final String MAC = "HmacSHA256";

    byte[] sign(byte[] secret) {
        ByteBuffer b = ByteBuffer.allocate(LENGTH);
        b.putLong(createdMillis).putInt((int) peerTag).putInt((int) peerWindow).putInt((int) peerInitialTsn)
                .putInt((int) localTag).putInt((int) localInitialTsn)
                .putShort((short) outboundStreams).putShort((short) inboundStreams);
        b.put(mac(secret, b.array(), FIELDS_LENGTH));
        return b.array();
    }

    /** The cookie's state, if we signed it and it is at most {@code lifetimeMillis} old at {@code nowMillis}. */
    static StateCookie verify(byte[] secret, ByteBuf cookie, long nowMillis, long lifetimeMillis) throws SctpException {
        if (cookie.readableBytes() != LENGTH) {
            throw new SctpException("state cookie of " + cookie.readableBytes() + " bytes is not ours");
        }
        byte[] bytes = new byte[LENGTH];
        cookie.getBytes(cookie.readerIndex(), bytes);
        byte[] expected = mac(secret, bytes, FIELDS_LENGTH);
        byte[] got = new byte[32];
        System.arraycopy(bytes, FIELDS_LENGTH, got, 0, 32);
        if (!MessageDigest.isEqual(expected, got)) {
            throw new SctpException("state cookie with a bad signature");
        }
        ByteBuffer b = ByteBuffer.wrap(bytes);
        StateCookie c = new StateCookie(b.getLong(), b.getInt() & 0xFFFFFFFFL, b.getInt() & 0xFFFFFFFFL,
                b.getInt() & 0xFFFFFFFFL, b.getInt() & 0xFFFFFFFFL, b.getInt() & 0xFFFFFFFFL,
                b.getShort() & 0xFFFF, b.getShort() & 0xFFFF);
        long age = nowMillis - c.createdMillis;
        if (age > lifetimeMillis || age < -lifetimeMillis) {
            throw new SctpException("stale state cookie (" + age + " ms old)");
        }
        return c;
    }

    private static byte[] mac(byte[] secret, byte[] data, int length) {
        try {
            Mac mac = Mac.getInstance(MAC);
            mac.init(new SecretKeySpec(secret, MAC));
            mac.update(data, 0, length);
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no HMAC-SHA256 in this JVM", e);
        }
    }
}

package io.meshlive.cluster.probe;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;

/**
 * One quality probe on the wire (big-endian): {@code "MLPR"}, type (1 ping, 2 pong), sequence
 * (8 bytes), the pinger's send time in its own nanoseconds (8 bytes, echoed by the pong), sender id
 * length (1 byte, 1-64) and the sender id in UTF-8, then the first 16 bytes of an HMAC-SHA256 over
 * everything before it, keyed with {@code cluster.secret}. Nobody without the secret can make a
 * node answer or skew its measurements. Signing and checking take a {@link #hmac keyed Mac}, made
 * once per thread and reused (a Mac is not thread-safe; making one per packet is a provider lookup).
 *
 * @param ping      true for a ping, false for the pong that answers it
 * @param seq       the ping's sequence number
 * @param sentNanos the pinger's clock when it sent the ping
 * @param sender    the node id of the packet's sender
 */
public record ProbePacket(boolean ping, long seq, long sentNanos, String sender) {
    static final int MAX_ID_BYTES = 64;
    static final int MAC_BYTES = 16;
    static final int MAX_BYTES = 4 + 1 + 8 + 8 + 1 + MAX_ID_BYTES + MAC_BYTES;
    private static final byte[] MAGIC = {'M', 'L', 'P', 'R'};

    /** Why a datagram was dropped. */
    public static final class BadProbeException extends Exception {
        BadProbeException(String message) {
            super(message);
        }
    }

    public ProbePacket {
        int idBytes = sender.getBytes(StandardCharsets.UTF_8).length;
        if (idBytes < 1 || idBytes > MAX_ID_BYTES) {
            throw new IllegalArgumentException("node id '" + sender + "' is " + idBytes + " bytes; probes carry 1-" + MAX_ID_BYTES);
        }
    }

    /** A Mac keyed with {@code key} for {@link #encode} and {@link #decode}; one per thread. */
    public static Mac hmac(byte[] key) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }

    /** The datagram, signed with {@code hmac} (from {@link #hmac}). */
    public byte[] encode(Mac hmac) {
        byte[] id = sender.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(4 + 1 + 8 + 8 + 1 + id.length + MAC_BYTES);
        b.put(MAGIC).put((byte) (ping ? 1 : 2)).putLong(seq).putLong(sentNanos).put((byte) id.length).put(id);
        byte[] out = b.array();
        System.arraycopy(sign(hmac, out, out.length - MAC_BYTES), 0, out, out.length - MAC_BYTES, MAC_BYTES);
        return out;
    }

    /** Parses and authenticates {@code length} bytes of {@code data} with {@code hmac} (from {@link #hmac}). */
    public static ProbePacket decode(Mac hmac, byte[] data, int length) throws BadProbeException {
        if (length < 4 + 1 + 8 + 8 + 1 + 1 + MAC_BYTES || length > MAX_BYTES) {
            throw new BadProbeException("a probe of " + length + " bytes; expected " + (4 + 1 + 8 + 8 + 1 + 1 + MAC_BYTES) + "-" + MAX_BYTES);
        }
        ByteBuffer b = ByteBuffer.wrap(data, 0, length);
        for (byte m : MAGIC) {
            if (b.get() != m) {
                throw new BadProbeException("not a probe (no MLPR magic)");
            }
        }
        int type = b.get();
        if (type != 1 && type != 2) {
            throw new BadProbeException("probe type " + type + "; expected 1 or 2");
        }
        long seq = b.getLong();
        long sent = b.getLong();
        int idLength = b.get() & 0xff;
        if (idLength < 1 || 4 + 1 + 8 + 8 + 1 + idLength + MAC_BYTES != length) {
            throw new BadProbeException("sender id of " + idLength + " bytes does not fit a " + length + "-byte probe");
        }
        byte[] expected = sign(hmac, data, length - MAC_BYTES);
        byte[] got = new byte[MAC_BYTES];
        System.arraycopy(data, length - MAC_BYTES, got, 0, MAC_BYTES);
        if (!MessageDigest.isEqual(java.util.Arrays.copyOf(expected, MAC_BYTES), got)) {
            throw new BadProbeException("bad HMAC (another cluster.secret?)");
        }
        try {
            return new ProbePacket(type == 1, seq, sent, new String(data, 4 + 1 + 8 + 8 + 1, idLength, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) { // id bytes that are not UTF-8 widen when replaced
            throw new BadProbeException(e.getMessage());
        }
    }

    private static byte[] sign(Mac hmac, byte[] data, int length) {
        hmac.update(data, 0, length);
        return hmac.doFinal(); // leaves the Mac keyed and ready for the next packet
    }
}

package io.meshlive.webrtc.stun;

import io.netty.buffer.ByteBuf;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;

import static io.meshlive.webrtc.stun.StunAttributes.*;

/**
 * A decoded STUN message (RFC 8489) with the attributes ICE uses. It keeps no reference to the
 * datagram; {@link #integrityMatches} is given the datagram again, so the HMAC is computed only
 * once the caller has looked up the password for {@link #username()}.
 *
 * <p>Decoding checks the framing (header, attribute lengths and padding), the sizes of the
 * attributes it reads, and the FINGERPRINT when there is one. Attributes after
 * MESSAGE-INTEGRITY other than FINGERPRINT are ignored, as §14.5 requires; unknown attributes
 * are skipped, comprehension-required or not, since an ICE-lite agent answers Binding requests
 * only and has nothing to refuse them for.
 */
public final class StunMessage {
    public static final int BINDING_REQUEST = 0x0001;
    public static final int BINDING_SUCCESS = 0x0101;
    public static final int BINDING_ERROR = 0x0111;
    public static final int BINDING_INDICATION = 0x0011;

    private final int type;
    private final byte[] transactionId;
    private String username;
    private long priority;
    private boolean useCandidate;
    private boolean iceControlling;
    private boolean iceControlled;
    private long tieBreaker;
    private InetSocketAddress xorMappedAddress;
    private int errorCode;
    /** Offset of the MESSAGE-INTEGRITY attribute from the start of the message, or -1. */
    private int integrityOffset = -1;
    private boolean fingerprint;

    private StunMessage(int type, byte[] transactionId) {
        this.type = type;
        this.transactionId = transactionId;
    }

    /**
     * RFC 7983 demultiplexing: a first byte of 0 to 3, room for a header, and the magic cookie.
     * Does not move the reader index.
     */
    static boolean looksLikeStun(ByteBuf datagram) {
        int at = datagram.readerIndex();
        return datagram.readableBytes() >= HEADER_LENGTH
                && datagram.getUnsignedByte(at) <= 3
                && datagram.getInt(at + 4) == MAGIC_COOKIE;
    }

    /**
     * Decodes the readable bytes of {@code datagram}, which must be exactly one STUN message.
     * Does not move the reader index.
     */
    public static StunMessage decode(ByteBuf datagram) throws StunException {
        int start = datagram.readerIndex();
        int readable = datagram.readableBytes();
        if (readable < HEADER_LENGTH) {
            throw new StunException("shorter than a STUN header: " + readable + " bytes");
        }
        int type = datagram.getUnsignedShort(start);
        int length = datagram.getUnsignedShort(start + 2);
        if ((type & 0xC000) != 0) {
            throw new StunException("first two bits of the message type are not zero");
        }
        if (datagram.getInt(start + 4) != MAGIC_COOKIE) {
            throw new StunException("no magic cookie");
        }
        if ((length & 3) != 0) {
            throw new StunException("message length " + length + " is not a multiple of 4");
        }
        if (HEADER_LENGTH + length != readable) {
            throw new StunException("message length " + length + " does not match the datagram's "
                    + (readable - HEADER_LENGTH) + " bytes after the header");
        }
        byte[] transactionId = new byte[TRANSACTION_ID_LENGTH];
        datagram.getBytes(start + 8, transactionId);
        StunMessage message = new StunMessage(type, transactionId);
        message.readAttributes(datagram, start, start + readable);
        return message;
    }

    private void readAttributes(ByteBuf buf, int start, int end) throws StunException {
        int at = start + HEADER_LENGTH;
        // The length is a multiple of 4 and so is every padded attribute: an attribute header always fits.
        while (at < end) {
            int attribute = buf.getUnsignedShort(at);
            int length = buf.getUnsignedShort(at + 2);
            int value = at + 4;
            int next = value + padded(length);
            if (next > end) {
                throw new StunException("attribute 0x" + Integer.toHexString(attribute) + " of " + length
                        + " bytes runs past the end of the message");
            }
            if (attribute == FINGERPRINT) {
                readFingerprint(buf, start, at, length, next == end);
            } else if (integrityOffset < 0) {
                readAttribute(buf, start, at, attribute, value, length);
            }
            at = next;
        }
    }

    private void readFingerprint(ByteBuf buf, int start, int at, int length, boolean last) throws StunException {
        if (length != Fingerprint.LENGTH) {
            throw new StunException("FINGERPRINT of " + length + " bytes");
        }
        if (!last) {
            throw new StunException("FINGERPRINT is not the last attribute");
        }
        if (buf.getInt(at + 4) != Fingerprint.compute(buf, start, at)) {
            throw new StunException("FINGERPRINT does not match");
        }
        fingerprint = true;
    }

    private void readAttribute(ByteBuf buf, int start, int at, int attribute, int value, int length)
            throws StunException {
        switch (attribute) {
            case MESSAGE_INTEGRITY -> {
                expectLength("MESSAGE-INTEGRITY", length, MessageIntegrity.LENGTH);
                integrityOffset = at - start;
            }
            case USERNAME -> {
                if (username == null) {
                    username = buf.toString(value, length, StandardCharsets.UTF_8);
                }
            }
            case PRIORITY -> {
                expectLength("PRIORITY", length, 4);
                priority = buf.getUnsignedInt(value);
            }
            case USE_CANDIDATE -> {
                expectLength("USE-CANDIDATE", length, 0);
                useCandidate = true;
            }
            case ICE_CONTROLLING -> {
                expectLength("ICE-CONTROLLING", length, 8);
                iceControlling = true;
                tieBreaker = buf.getLong(value);
            }
            case ICE_CONTROLLED -> {
                expectLength("ICE-CONTROLLED", length, 8);
                iceControlled = true;
                tieBreaker = buf.getLong(value);
            }
            case XOR_MAPPED_ADDRESS -> {
                if (xorMappedAddress == null) {
                    xorMappedAddress = readXorAddress(buf, value, length);
                }
            }
            case ERROR_CODE -> {
                if (length < 4) {
                    throw new StunException("ERROR-CODE of " + length + " bytes");
                }
                errorCode = (buf.getByte(value + 2) & 7) * 100 + buf.getUnsignedByte(value + 3);
            }
            default -> {
                // Not used by ICE-lite: skipped.
            }
        }
    }

    private static void expectLength(String name, int length, int expected) throws StunException {
        if (length != expected) {
            throw new StunException(name + " of " + length + " bytes, expected " + expected);
        }
    }

    private InetSocketAddress readXorAddress(ByteBuf buf, int value, int length) throws StunException {
        if (length < 4) {
            throw new StunException("XOR-MAPPED-ADDRESS of " + length + " bytes");
        }
        int family = buf.getUnsignedByte(value + 1);
        int port = buf.getUnsignedShort(value + 2) ^ (MAGIC_COOKIE >>> 16);
        byte[] address;
        if (family == FAMILY_IPV4) {
            expectLength("XOR-MAPPED-ADDRESS (IPv4)", length, 8);
            address = new byte[4];
        } else if (family == FAMILY_IPV6) {
            expectLength("XOR-MAPPED-ADDRESS (IPv6)", length, 20);
            address = new byte[16];
        } else {
            throw new StunException("XOR-MAPPED-ADDRESS of unknown family " + family);
        }
        buf.getBytes(value + 4, address);
        XorAddress.apply(address, transactionId);
        try {
            return new InetSocketAddress(InetAddress.getByAddress(address), port);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("4 or 16 bytes are always an address", e);
        }
    }

    /** The message type, e.g. {@link #BINDING_REQUEST}. */
    public int type() {
        return type;
    }

    /** The 12-byte transaction id: the message's own array, not a copy, so do not modify it. */
    public byte[] transactionId() {
        return transactionId;
    }

    /** USERNAME, or null if absent. For ICE, {@code "<receiver ufrag>:<sender ufrag>"}. */
    public String username() {
        return username;
    }

    /** PRIORITY, or 0 if absent. */
    public long priority() {
        return priority;
    }

    public boolean useCandidate() {
        return useCandidate;
    }

    public boolean iceControlling() {
        return iceControlling;
    }

    public boolean iceControlled() {
        return iceControlled;
    }

    /** The tie-breaker of ICE-CONTROLLING or ICE-CONTROLLED (RFC 8445 §7.3.1.1), or 0 if neither is present. */
    public long tieBreaker() {
        return tieBreaker;
    }

    public boolean hasMessageIntegrity() {
        return integrityOffset >= 0;
    }

    /** Whether a FINGERPRINT was present; decoding has already checked that it matched. */
    public boolean hasFingerprint() {
        return fingerprint;
    }

    /** XOR-MAPPED-ADDRESS, or null if absent. */
    public InetSocketAddress xorMappedAddress() {
        return xorMappedAddress;
    }

    /** ERROR-CODE as class * 100 + number (e.g. 401), or 0 if absent. */
    public int errorCode() {
        return errorCode;
    }

    /**
     * Whether MESSAGE-INTEGRITY is the HMAC-SHA1 under {@code key} (for ICE, the UTF-8 bytes of
     * the password) of the message in {@code datagram}, the same bytes this was decoded from.
     * False when there is no MESSAGE-INTEGRITY. The comparison takes the same time wherever
     * the values differ.
     */
    public boolean integrityMatches(ByteBuf datagram, byte[] key) {
        if (integrityOffset < 0) {
            return false;
        }
        int start = datagram.readerIndex();
        if (datagram.readableBytes() < integrityOffset + 4 + MessageIntegrity.LENGTH) {
            return false; // not the datagram this message came from
        }
        return MessageIntegrity.matches(datagram, start, start + integrityOffset, key);
    }
}

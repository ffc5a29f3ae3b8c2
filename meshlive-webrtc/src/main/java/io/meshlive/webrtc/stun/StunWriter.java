package io.meshlive.webrtc.stun;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;

import java.net.InetAddress;
import java.net.InetSocketAddress;

import static io.meshlive.webrtc.stun.StunAttributes.*;

/**
 * Writes the Binding messages of ICE (RFC 8445 §7, RFC 8489): the responses an ICE-lite agent
 * sends, and the request a controlling agent sends, for tests and the bench. Every message ends
 * with FINGERPRINT, as ICE requires; each returned buffer is the caller's to send or release.
 */
public final class StunWriter {
    private static final int INTEGRITY_AND_FINGERPRINT = 4 + MessageIntegrity.LENGTH + 4 + Fingerprint.LENGTH;

    private StunWriter() {
    }

    /**
     * A Binding success response carrying XOR-MAPPED-ADDRESS (IPv4 or IPv6), MESSAGE-INTEGRITY
     * under {@code integrityKey} (for ICE, the UTF-8 bytes of this agent's password) and FINGERPRINT.
     */
    public static ByteBuf bindingSuccess(ByteBufAllocator alloc, byte[] transactionId, InetSocketAddress mapped,
                                         byte[] integrityKey) {
        InetAddress address = mapped.getAddress();
        if (address == null) {
            throw new IllegalArgumentException("unresolved address: " + mapped);
        }
        byte[] ip = address.getAddress();
        ByteBuf out = newMessage(alloc, 4 + 4 + ip.length, StunMessage.BINDING_SUCCESS, transactionId);
        writeXorMappedAddress(out, ip, mapped.getPort(), transactionId);
        MessageIntegrity.append(out, 0, integrityKey);
        Fingerprint.append(out, 0);
        return out;
    }

    /**
     * A Binding error response with ERROR-CODE {@code code} (300 to 699, e.g. 400 Bad Request,
     * 401 Unauthorized, 487 Role Conflict) and {@code reason}, MESSAGE-INTEGRITY when a key is
     * given (not for 400 or 401: the request could not be authenticated) and FINGERPRINT.
     */
    public static ByteBuf bindingError(ByteBufAllocator alloc, byte[] transactionId, int code, String reason,
                                       byte[] integrityKeyOrNull) {
        if (code < 300 || code > 699) {
            throw new IllegalArgumentException("STUN error codes are 300 to 699: " + code);
        }
        int reasonLength = ByteBufUtil.utf8Bytes(reason);
        int valueLength = 4 + reasonLength;
        ByteBuf out = newMessage(alloc, 4 + padded(valueLength), StunMessage.BINDING_ERROR, transactionId);
        out.writeShort(ERROR_CODE);
        out.writeShort(valueLength);
        out.writeShort(0);
        out.writeByte(code / 100);
        out.writeByte(code % 100);
        ByteBufUtil.reserveAndWriteUtf8(out, reason, reasonLength);
        writePadding(out, valueLength);
        if (integrityKeyOrNull != null) {
            MessageIntegrity.append(out, 0, integrityKeyOrNull);
        }
        Fingerprint.append(out, 0);
        return out;
    }

    /**
     * A Binding request as an ICE agent sends it (RFC 8445 §7.1.1): USERNAME
     * ({@code "<peer ufrag>:<own ufrag>"}), PRIORITY, ICE-CONTROLLING or ICE-CONTROLLED with
     * {@code tieBreaker}, USE-CANDIDATE when nominating, MESSAGE-INTEGRITY under
     * {@code integrityKey} (the UTF-8 bytes of the peer's password) and FINGERPRINT.
     */
    public static ByteBuf bindingRequest(ByteBufAllocator alloc, byte[] transactionId, String username,
                                         byte[] integrityKey, long priority, long tieBreaker, boolean controlling,
                                         boolean useCandidate) {
        int usernameLength = ByteBufUtil.utf8Bytes(username);
        int attributes = 4 + padded(usernameLength) + 8 + 12 + (useCandidate ? 4 : 0);
        ByteBuf out = newMessage(alloc, attributes, StunMessage.BINDING_REQUEST, transactionId);
        out.writeShort(USERNAME);
        out.writeShort(usernameLength);
        ByteBufUtil.reserveAndWriteUtf8(out, username, usernameLength);
        writePadding(out, usernameLength);
        out.writeShort(PRIORITY);
        out.writeShort(4);
        out.writeInt((int) priority);
        out.writeShort(controlling ? ICE_CONTROLLING : ICE_CONTROLLED);
        out.writeShort(8);
        out.writeLong(tieBreaker);
        if (useCandidate) {
            out.writeShort(USE_CANDIDATE);
            out.writeShort(0);
        }
        MessageIntegrity.append(out, 0, integrityKey);
        Fingerprint.append(out, 0);
        return out;
    }

    /**
     * A buffer sized for the header, {@code attributesLength} bytes of attributes and the closing
     * MESSAGE-INTEGRITY and FINGERPRINT, with the header written; the message starts at index 0
     * and FINGERPRINT sets its length. Checks come first so nothing is allocated for bad arguments.
     */
    private static ByteBuf newMessage(ByteBufAllocator alloc, int attributesLength, int type, byte[] transactionId) {
        if (transactionId.length != TRANSACTION_ID_LENGTH) {
            throw new IllegalArgumentException("a transaction id is 12 bytes, not " + transactionId.length);
        }
        ByteBuf out = alloc.ioBuffer(HEADER_LENGTH + attributesLength + INTEGRITY_AND_FINGERPRINT);
        out.writeShort(type);
        out.writeShort(0);
        out.writeInt(MAGIC_COOKIE);
        out.writeBytes(transactionId);
        return out;
    }

    private static void writeXorMappedAddress(ByteBuf out, byte[] ip, int port, byte[] transactionId) {
        XorAddress.apply(ip, transactionId);
        out.writeShort(XOR_MAPPED_ADDRESS);
        out.writeShort(4 + ip.length);
        out.writeByte(0);
        out.writeByte(ip.length == 4 ? FAMILY_IPV4 : FAMILY_IPV6);
        out.writeShort(port ^ (MAGIC_COOKIE >>> 16));
        out.writeBytes(ip);
    }

    private static void writePadding(ByteBuf out, int valueLength) {
        out.writeZero(padded(valueLength) - valueLength);
    }
}

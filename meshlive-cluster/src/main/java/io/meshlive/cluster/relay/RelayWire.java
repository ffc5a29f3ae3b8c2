package io.meshlive.cluster.relay;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;

/**
 * The relay protocol's messages, big-endian, each {@code u32 length | u8 type | body} (length
 * counts type and body).
 *
 * <pre>
 * CHALLENGE  s→c  u32 version | 32 bytes server nonce
 * HELLO      c→s  32 bytes client nonce | 32 bytes HMAC | u8 n | node id (n bytes UTF-8)
 * WELCOME    s→c  32 bytes HMAC | u8 n | node id
 * SUBSCRIBE  c→s  u32 subscription | i64 epoch | i64 from sequence (-1: from the latest keyframe) | u16 n | app/stream
 * SUBSCRIBED s→c  u32 subscription | u32 stream id (the server's, used by every FRAME of it)
 * UNSUBSCRIBE c→s u32 subscription
 * FRAME      s→c  u32 stream id | body of {@link RelayFrameFormat} (epoch, sequence, times, codec, flags, payload)
 * GONE       s→c  u32 stream id (its publisher left the server; frames may resume with a new epoch)
 * PING       both i64 sender's wall clock, µs
 * KEYFRAME   c→s  u32 subscription (a viewer below lost its picture: ask the publisher for a keyframe)
 * </pre>
 *
 * The client HMAC is HMAC-SHA256(secret, "meshlive-relay-client" | server nonce | client nonce | id),
 * the server's HMAC-SHA256(secret, "meshlive-relay-server" | client nonce | server nonce | id): each
 * side proves it knows the secret over a nonce it did not choose. Until HELLO checks out the server
 * accepts one message of at most {@link #MAX_HANDSHAKE} bytes and sends nothing else.
 */
public final class RelayWire {
    public static final int VERSION = 1;
    public static final byte CHALLENGE = 1;
    public static final byte HELLO = 2;
    public static final byte WELCOME = 3;
    public static final byte SUBSCRIBE = 4;
    public static final byte SUBSCRIBED = 5;
    public static final byte UNSUBSCRIBE = 6;
    public static final byte FRAME = 7;
    public static final byte GONE = 8;
    public static final byte PING = 9;
    public static final byte KEYFRAME = 10;

    public static final int NONCE = 32;
    public static final int MAC = 32;
    /** Largest handshake message (HELLO with a 255-byte id). */
    public static final int MAX_HANDSHAKE = 1 + NONCE + MAC + 1 + 255;
    /** Largest message after the handshake: a frame of 16 MB is far beyond any live access unit. */
    public static final int MAX_MESSAGE = 16 * 1024 * 1024;
    /** Length prefix, type, stream id: what precedes a frame's shared body. */
    public static final int FRAME_HEADER = 4 + 1 + 4;

    private static final byte[] CLIENT_LABEL = "meshlive-relay-client".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SERVER_LABEL = "meshlive-relay-server".getBytes(StandardCharsets.US_ASCII);

    private RelayWire() {
    }

    /** A message with room for {@code bodyLength} bytes; the length and type are written. */
    static ByteBuf message(ByteBufAllocator alloc, byte type, int bodyLength) {
        ByteBuf b = alloc.buffer(5 + bodyLength);
        b.writeInt(1 + bodyLength).writeByte(type);
        return b;
    }

    static ByteBuf challenge(ByteBufAllocator alloc, byte[] nonce) {
        return message(alloc, CHALLENGE, 4 + NONCE).writeInt(VERSION).writeBytes(nonce);
    }

    static ByteBuf hello(ByteBufAllocator alloc, byte[] clientNonce, byte[] mac, String nodeId) {
        byte[] id = nodeId(nodeId);
        return message(alloc, HELLO, NONCE + MAC + 1 + id.length).writeBytes(clientNonce).writeBytes(mac)
                .writeByte(id.length).writeBytes(id);
    }

    static ByteBuf welcome(ByteBufAllocator alloc, byte[] mac, String nodeId) {
        byte[] id = nodeId(nodeId);
        return message(alloc, WELCOME, MAC + 1 + id.length).writeBytes(mac).writeByte(id.length).writeBytes(id);
    }

    static ByteBuf subscribe(ByteBufAllocator alloc, int subscription, long epoch, long fromSequence, String stream) {
        byte[] key = stream.getBytes(StandardCharsets.UTF_8);
        return message(alloc, SUBSCRIBE, 4 + 8 + 8 + 2 + key.length).writeInt(subscription).writeLong(epoch).writeLong(fromSequence)
                .writeShort(key.length).writeBytes(key);
    }

    static ByteBuf subscribed(ByteBufAllocator alloc, int subscription, int streamId) {
        return message(alloc, SUBSCRIBED, 8).writeInt(subscription).writeInt(streamId);
    }

    static ByteBuf unsubscribe(ByteBufAllocator alloc, int subscription) {
        return message(alloc, UNSUBSCRIBE, 4).writeInt(subscription);
    }

    static ByteBuf keyframe(ByteBufAllocator alloc, int subscription) {
        return message(alloc, KEYFRAME, 4).writeInt(subscription);
    }

    static ByteBuf gone(ByteBufAllocator alloc, int streamId) {
        return message(alloc, GONE, 4).writeInt(streamId);
    }

    static ByteBuf ping(ByteBufAllocator alloc, long wallMicros) {
        return message(alloc, PING, 8).writeLong(wallMicros);
    }

    /** The per-stream prefix of a FRAME whose shared body is {@code bodyLength} bytes. */
    static ByteBuf frameHeader(ByteBufAllocator alloc, int streamId, int bodyLength) {
        ByteBuf b = alloc.buffer(FRAME_HEADER);
        return b.writeInt(1 + 4 + bodyLength).writeByte(FRAME).writeInt(streamId);
    }

    private static byte[] nodeId(String nodeId) {
        byte[] id = nodeId.getBytes(StandardCharsets.UTF_8);
        if (id.length == 0 || id.length > 255) {
            throw new IllegalArgumentException("node id must be 1-255 bytes: '" + nodeId + "'");
        }
        return id;
    }

    static byte[] clientMac(byte[] secret, byte[] serverNonce, byte[] clientNonce, String nodeId) {
        return hmac(secret, CLIENT_LABEL, serverNonce, clientNonce, nodeId.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] serverMac(byte[] secret, byte[] clientNonce, byte[] serverNonce, String nodeId) {
        return hmac(secret, SERVER_LABEL, clientNonce, serverNonce, nodeId.getBytes(StandardCharsets.UTF_8));
    }

    /** Compares in constant time, so timing does not leak how much of a guess was right. */
    static boolean macMatches(byte[] expected, byte[] got) {
        return MessageDigest.isEqual(expected, got);
    }

    private static byte[] hmac(byte[] secret, byte[]... parts) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            for (byte[] p : parts) {
                mac.update(p);
            }
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}

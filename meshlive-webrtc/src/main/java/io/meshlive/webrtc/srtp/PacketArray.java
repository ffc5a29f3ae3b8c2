package io.meshlive.webrtc.srtp;

import io.netty.buffer.ByteBuf;

/**
 * A packet's bytes as an array and an offset, which is what the JDK's ciphers take: a heap
 * buffer's own backing array, or, for a direct buffer (what the pooled allocator hands out), a
 * copy in a scratch array that is reused from packet to packet and copied back when done.
 * Copying 1200 bytes both ways is cheap next to the cipher, and the JDK's ByteBuffer overloads
 * would allocate their own temporary arrays for direct buffers anyway. Not thread-safe.
 */
final class PacketArray {
    private byte[] scratch = new byte[2048];
    private byte[] array;
    private int offset;

    /**
     * Views the {@code length} bytes from the reader index, with {@code room} more after them
     * that the caller will fill (the heap buffer must already have that room).
     */
    void open(ByteBuf packet, int length, int room) {
        if (packet.hasArray()) {
            array = packet.array();
            offset = packet.arrayOffset() + packet.readerIndex();
            return;
        }
        if (scratch.length < length + room) {
            scratch = new byte[length + room];
        }
        packet.getBytes(packet.readerIndex(), scratch, 0, length);
        array = scratch;
        offset = 0;
    }

    byte[] array() {
        return array;
    }

    int offset() {
        return offset;
    }

    /** Makes the first {@code length} bytes of the view the packet's bytes (a no-op for a heap buffer). */
    void commit(ByteBuf packet, int length) {
        if (array == scratch) {
            packet.setBytes(packet.readerIndex(), scratch, 0, length);
        }
    }
}

package io.meshlive.webrtc.sctp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * An SCTP packet (RFC 9260 §3.1): the common header (source and destination port, verification
 * tag, CRC32c checksum) and the chunks. Over WebRTC a packet is one DTLS record's application
 * data (RFC 8261), so there is no IP or UDP header and no fragmentation below us.
 *
 * <p>The checksum is CRC32c (RFC 9260 Appendix A, RFC 3309) over the whole packet with the
 * checksum field taken as zero, stored least significant byte first, as every implementation
 * writes it.
 */
public final class SctpPacket {
    public static final int HEADER_LENGTH = 12;
    private static final int CHECKSUM_OFFSET = 8;
    private static final byte[] ZEROS = new byte[4];
    /** A packet holds a handful of chunks; more is a flood, not SCTP. */
    static final int MAX_CHUNKS = 64;

    private final int sourcePort;
    private final int destinationPort;
    private final long verificationTag;
    private final List<Chunk> chunks;

    private SctpPacket(int sourcePort, int destinationPort, long verificationTag, List<Chunk> chunks) {
        this.sourcePort = sourcePort;
        this.destinationPort = destinationPort;
        this.verificationTag = verificationTag;
        this.chunks = chunks;
    }

    /**
     * Reads a packet's header and splits its chunks; the chunks' values are slices of {@code in},
     * valid while it is. The reader index is not moved.
     */
    public static SctpPacket parse(ByteBuf in) throws SctpException {
        int start = in.readerIndex();
        int end = in.writerIndex();
        if (end - start < HEADER_LENGTH) {
            throw new SctpException("packet of " + (end - start) + " bytes is shorter than the common header");
        }
        long sent = Integer.reverseBytes(in.getInt(start + CHECKSUM_OFFSET)) & 0xFFFFFFFFL;
        long computed = checksum(in, start, end - start);
        if (sent != computed) {
            throw new SctpException(String.format("bad CRC32c checksum %08x (computed %08x)", sent, computed));
        }
        List<Chunk> chunks = new ArrayList<>(2);
        int at = start + HEADER_LENGTH;
        while (at < end) {
            if (end - at < Chunk.HEADER_LENGTH) {
                throw new SctpException("truncated chunk header at offset " + (at - start));
            }
            int type = in.getUnsignedByte(at);
            int length = in.getUnsignedShort(at + 2);
            if (length < Chunk.HEADER_LENGTH || length > end - at) {
                throw new SctpException(Chunk.name(type) + " length " + length + " does not fit the packet at offset "
                        + (at - start));
            }
            if (chunks.size() == MAX_CHUNKS) {
                throw new SctpException("more than " + MAX_CHUNKS + " chunks in one packet");
            }
            chunks.add(new Chunk(type, in.getUnsignedByte(at + 1),
                    in.slice(at + Chunk.HEADER_LENGTH, length - Chunk.HEADER_LENGTH)));
            at += (length + 3) & ~3; // the last chunk's padding may be left out
        }
        if (chunks.isEmpty()) {
            throw new SctpException("packet without a chunk");
        }
        return new SctpPacket(in.getUnsignedShort(start), in.getUnsignedShort(start + 2),
                in.getUnsignedInt(start + 4), chunks);
    }

    public int sourcePort() {
        return sourcePort;
    }

    public int destinationPort() {
        return destinationPort;
    }

    public long verificationTag() {
        return verificationTag;
    }

    public List<Chunk> chunks() {
        return chunks;
    }

    /** A new packet buffer with the common header written (checksum zero); chunks follow, then {@link #finish}. */
    static ByteBuf begin(ByteBufAllocator alloc, int capacity, int sourcePort, int destinationPort, long tag) {
        ByteBuf out = alloc.buffer(capacity);
        out.writeShort(sourcePort);
        out.writeShort(destinationPort);
        out.writeInt((int) tag);
        out.writeInt(0);
        return out;
    }

    /** Stores the checksum of the finished packet. */
    static ByteBuf finish(ByteBuf packet) {
        int start = packet.readerIndex();
        long crc = checksum(packet, start, packet.readableBytes());
        packet.setIntLE(start + CHECKSUM_OFFSET, (int) crc);
        return packet;
    }

    /** CRC32c of {@code length} bytes at {@code start}, the checksum field counted as zero. */
    static long checksum(ByteBuf buf, int start, int length) {
        CRC32C crc = new CRC32C();
        update(crc, buf, start, CHECKSUM_OFFSET);
        crc.update(ZEROS);
        update(crc, buf, start + HEADER_LENGTH, length - HEADER_LENGTH);
        return crc.getValue();
    }

    private static void update(CRC32C crc, ByteBuf buf, int index, int length) {
        if (buf.nioBufferCount() == 1) {
            ByteBuffer nio = buf.nioBuffer(index, length);
            crc.update(nio);
        } else {
            for (ByteBuffer nio : buf.nioBuffers(index, length)) {
                crc.update(nio);
            }
        }
    }
}

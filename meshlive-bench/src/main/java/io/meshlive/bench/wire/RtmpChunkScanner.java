package io.meshlive.bench.wire;

import io.meshlive.rtmp.RtmpMessage;
import io.meshlive.rtmp.RtmpProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * Walks the chunk stream a server sends without reassembling media: all four chunk header
 * formats, extended timestamps, 1- to 3-byte chunk stream ids, interleaved chunk streams, Set Chunk
 * Size and Abort. Media and data payloads are skipped where they lie (only their first two bytes
 * are looked at); control and command messages, small and rare, are gathered and handed over
 * whole. A read may end anywhere, even inside a header.
 *
 * <p>The server's {@code RtmpChunkDecoder} copies every multi-chunk message into a buffer of its
 * own; a player that only counts frames must not pay that thousands of times over.
 */
public final class RtmpChunkScanner {
    private static final int MAX_CHUNK_SIZE = 16 * 1024 * 1024;
    /** Control and command messages are gathered; one this long means the stream is not what we think. */
    private static final int MAX_CONTROL_MESSAGE = 1024 * 1024;
    private static final int MAX_CHUNK_STREAMS = 64;
    private static final int[] MESSAGE_HEADER = {11, 7, 3, 0};
    private static final int EXTENDED = 0xFFFFFF;

    /** What the scanner found; called on the scanning thread. */
    public interface Listener {
        /** A message that was skipped (media, data, aggregate...); {@code first} and {@code second} are its first bytes, or -1. */
        void onMessage(int typeId, long timestamp, int length, int first, int second);

        /** A protocol control, user control or command message; {@code body} is valid during the call only. */
        void onControl(int typeId, int streamId, ByteBuf body);
    }

    /** What the last headers said about one chunk stream, and the message in progress on it. */
    private static final class ChunkStream {
        final int csid;
        long timestamp;
        long delta;
        int length;
        int typeId;
        int streamId;
        boolean extended;
        /** Bytes of the current message still to come; 0 between messages. */
        int left;
        /** The control or command message being gathered, or null. */
        ByteBuf body;
        final BodyHead head = new BodyHead();

        ChunkStream(int csid) {
            this.csid = csid;
        }
    }

    private final Listener listener;
    private final ByteBufAllocator alloc;
    private final SplitHeader header = new SplitHeader(3 + 11 + 4);
    private final ChunkStream[] streams = new ChunkStream[MAX_CHUNK_STREAMS];
    private int streamCount;
    private int chunkSize = 128;
    /** The chunk whose payload is being read, or null between chunks. */
    private ChunkStream current;
    private int chunkLeft;

    public RtmpChunkScanner(Listener listener, ByteBufAllocator alloc) {
        this.listener = listener;
        this.alloc = alloc;
    }

    /** Consumes every readable byte of {@code in}. */
    public void scan(ByteBuf in) {
        while (in.isReadable()) {
            if (current == null) {
                if (!readHeader(in)) {
                    return;
                }
            } else {
                readPayload(in);
            }
        }
    }

    /** Frees a control message left half gathered; call when the connection ends. */
    public void release() {
        for (int i = 0; i < streamCount; i++) {
            ChunkStream cs = streams[i];
            if (cs.body != null) {
                cs.body.release();
                cs.body = null;
            }
        }
    }

    private boolean readHeader(ByteBuf in) {
        if (!header.fill(in, 1)) {
            return false;
        }
        int fmt = header.u8(0) >>> 6;
        int id = header.u8(0) & 0x3F;
        int basic = id == 0 ? 2 : id == 1 ? 3 : 1;
        int size = basic + MESSAGE_HEADER[fmt];
        if (!header.fill(in, size)) {
            return false;
        }
        int csid = id == 0 ? 64 + header.u8(1) : id == 1 ? 64 + header.u8(1) + (header.u8(2) << 8) : id;
        ChunkStream cs = chunkStream(csid, fmt);
        boolean extended = fmt == 3 ? cs.extended : header.u24(basic) == EXTENDED;
        if (extended && !header.fill(in, size + 4)) {
            return false;
        }
        if (cs.left > 0) {
            if (fmt != 3) {
                throw new RtmpProtocolException("chunk stream " + csid + " started a new message (fmt " + fmt
                        + ") with " + cs.left + " bytes of the last one still to come");
            }
        } else {
            long field = extended ? header.u32(size) : fmt == 3 ? cs.delta : header.u24(basic);
            startMessage(cs, fmt, basic, field, extended);
        }
        header.clear();
        if (cs.left == 0) {
            emit(cs);
            return true;
        }
        current = cs;
        chunkLeft = Math.min(chunkSize, cs.left);
        return true;
    }

    private void startMessage(ChunkStream cs, int fmt, int basic, long field, boolean extended) {
        if (fmt == 0) {
            cs.timestamp = field;
        } else {
            // fmt 1-2 carry a delta; fmt 3 repeats the last one (after fmt 0 that is its timestamp, as librtmp and SRS read it).
            cs.timestamp = (cs.timestamp + field) & 0xFFFFFFFFL;
        }
        if (fmt <= 2) {
            cs.delta = field;
            cs.extended = extended;
        }
        if (fmt <= 1) {
            cs.length = header.u24(basic + 3);
            cs.typeId = header.u8(basic + 6);
        }
        if (fmt == 0) {
            cs.streamId = header.s32LittleEndian(basic + 7);
        }
        cs.left = cs.length;
        cs.head.reset();
        if (isGathered(cs.typeId)) {
            if (cs.length > MAX_CONTROL_MESSAGE) {
                throw new RtmpProtocolException("control message type " + cs.typeId + " of " + cs.length + " bytes");
            }
            cs.body = alloc.heapBuffer(cs.length, cs.length);
        }
    }

    private void readPayload(ByteBuf in) {
        ChunkStream cs = current;
        int n = Math.min(chunkLeft, in.readableBytes());
        if (cs.body != null) {
            cs.body.writeBytes(in, n);
        } else {
            cs.head.take(in, cs.length - cs.left, n);
            in.skipBytes(n);
        }
        cs.left -= n;
        chunkLeft -= n;
        if (chunkLeft == 0) {
            current = null;
            if (cs.left == 0) {
                emit(cs);
            }
        }
    }

    private static boolean isGathered(int typeId) {
        return typeId >= RtmpMessage.SET_CHUNK_SIZE && typeId <= RtmpMessage.SET_PEER_BANDWIDTH
                || typeId == RtmpMessage.COMMAND_AMF0 || typeId == RtmpMessage.COMMAND_AMF3;
    }

    private void emit(ChunkStream cs) {
        ByteBuf body = cs.body;
        if (body == null) {
            listener.onMessage(cs.typeId, cs.timestamp, cs.length, cs.head.first(), cs.head.second());
            return;
        }
        cs.body = null;
        try {
            switch (cs.typeId) {
                case RtmpMessage.SET_CHUNK_SIZE -> chunkSize = chunkSizeIn(body);
                case RtmpMessage.ABORT -> abort(body);
                default -> listener.onControl(cs.typeId, cs.streamId, body);
            }
        } finally {
            body.release();
        }
    }

    private static int chunkSizeIn(ByteBuf body) {
        int size = body.readableBytes() >= 4 ? body.getInt(body.readerIndex()) & 0x7FFFFFFF : -1;
        if (size < 1 || size > MAX_CHUNK_SIZE) {
            throw new RtmpProtocolException("Set Chunk Size to " + size + " is outside 1.." + MAX_CHUNK_SIZE);
        }
        return size;
    }

    private void abort(ByteBuf body) {
        int csid = body.readableBytes() >= 4 ? body.getInt(body.readerIndex()) : -1;
        for (int i = 0; i < streamCount; i++) {
            ChunkStream cs = streams[i];
            if (cs.csid == csid) {
                if (cs.body != null) {
                    cs.body.release();
                    cs.body = null;
                }
                cs.left = 0;
            }
        }
    }

    private ChunkStream chunkStream(int csid, int fmt) {
        for (int i = 0; i < streamCount; i++) {
            if (streams[i].csid == csid) {
                return streams[i];
            }
        }
        if (fmt != 0) {
            throw new RtmpProtocolException("chunk stream " + csid + " begins with a fmt " + fmt + " header");
        }
        if (streamCount == MAX_CHUNK_STREAMS) {
            throw new RtmpProtocolException("more than " + MAX_CHUNK_STREAMS + " chunk streams in use");
        }
        ChunkStream cs = new ChunkStream(csid);
        streams[streamCount++] = cs;
        return cs;
    }
}

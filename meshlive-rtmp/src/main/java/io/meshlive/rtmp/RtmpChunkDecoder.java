package io.meshlive.rtmp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;

import java.util.List;

/**
 * Reassembles RTMP messages from the chunk stream: all four chunk header formats, extended
 * timestamps, interleaved chunk streams, Set Chunk Size and Abort (handled here because the next
 * chunk cannot be parsed without them). Everything else goes up as {@link RtmpMessage}.
 *
 * <p>A chunk is parsed only once all of it has arrived, so no state changes on a partial read.
 * Limits (message length, chunk size, number of chunk streams) turn a lying peer into an
 * {@link RtmpProtocolException} instead of an allocation.
 */
public final class RtmpChunkDecoder extends ByteToMessageDecoder {
    /** The largest chunk size we accept from a peer: a chunk is buffered whole before parsing. */
    public static final int MAX_CHUNK_SIZE = 16 * 1024 * 1024;
    private static final int MAX_CHUNK_STREAMS = 64;

    private final int maxMessageSize;
    private int chunkSize = 128;
    private long bytesReceived;
    private final ChunkStream[] low = new ChunkStream[64];
    private final java.util.HashMap<Integer, ChunkStream> high = new java.util.HashMap<>();
    private int chunkStreams;

    public RtmpChunkDecoder(int maxMessageSize) {
        this.maxMessageSize = maxMessageSize;
    }

    /** Total bytes read from the peer, for acknowledgements. */
    public long bytesReceived() {
        return bytesReceived;
    }

    public int chunkSize() {
        return chunkSize;
    }

    /** What we know of one chunk stream from its last header. */
    private static final class ChunkStream {
        final int csid;
        long timestamp;
        long timestampField;
        boolean extended;
        int length;
        int typeId;
        int streamId;
        ByteBuf partial;
        boolean started;

        ChunkStream(int csid) {
            this.csid = csid;
        }
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (in.isReadable()) {
            int before = in.readerIndex();
            if (!decodeChunk(ctx, in, out)) {
                in.readerIndex(before);
                return;
            }
            bytesReceived += in.readerIndex() - before;
        }
    }

    /** Parses one whole chunk, or returns false (consuming nothing that matters) if it is incomplete. */
    private boolean decodeChunk(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        int first = in.readUnsignedByte();
        int fmt = first >>> 6;
        int csid = first & 0x3F;
        if (csid == 0) {
            if (!in.isReadable()) {
                return false;
            }
            csid = 64 + in.readUnsignedByte();
        } else if (csid == 1) {
            if (in.readableBytes() < 2) {
                return false;
            }
            csid = 64 + in.readUnsignedShortLE();
        }
        int headerSize = fmt == 0 ? 11 : fmt == 1 ? 7 : fmt == 2 ? 3 : 0;
        if (in.readableBytes() < headerSize) {
            return false;
        }
        ChunkStream cs = chunkStream(csid, fmt);
        long tsField = cs.timestampField;
        int length = cs.length;
        int typeId = cs.typeId;
        int streamId = cs.streamId;
        if (fmt <= 2) {
            tsField = in.readUnsignedMedium();
        }
        if (fmt <= 1) {
            length = in.readUnsignedMedium();
            typeId = in.readUnsignedByte();
        }
        if (fmt == 0) {
            streamId = in.readIntLE();
        }
        boolean extended = fmt <= 2 ? tsField == 0xFFFFFF : cs.extended;
        boolean continuing = cs.partial != null;
        if (extended) {
            if (in.readableBytes() < 4) {
                return false;
            }
            long ext = in.getUnsignedInt(in.readerIndex());
            if (fmt == 3 && continuing && ext != cs.timestampField) {
                // Some encoders omit the extended timestamp on continuation chunks; the four bytes
                // are payload then. Accept both, as other servers do.
                extended = true;
            } else {
                in.skipBytes(4);
                tsField = ext;
            }
        }
        if (length > maxMessageSize) {
            throw new RtmpProtocolException("message length " + length + " on chunk stream " + csid
                    + " is over the limit of " + maxMessageSize + " bytes");
        }
        int have = continuing ? cs.partial.readableBytes() : 0;
        if (continuing && fmt != 3) {
            throw new RtmpProtocolException("chunk stream " + csid + " started a new message (fmt " + fmt
                    + ") before finishing one of " + cs.length + " bytes");
        }
        int n = Math.min(chunkSize, length - have);
        if (in.readableBytes() < n) {
            return false;
        }
        // Whole chunk present: commit the header to the chunk stream's state.
        if (!continuing) {
            if (fmt == 0) {
                cs.timestamp = tsField;
            } else {
                cs.timestamp += tsField;
            }
            cs.timestampField = tsField;
            cs.extended = extended;
            cs.length = length;
            cs.typeId = typeId;
            cs.streamId = streamId;
            cs.started = true;
        }
        if (n == length && !continuing) {
            emit(ctx, cs, in.readRetainedSlice(n), out);
            return true;
        }
        if (!continuing) {
            cs.partial = ctx.alloc().buffer(length, length);
        }
        cs.partial.writeBytes(in, n);
        if (cs.partial.readableBytes() == length) {
            ByteBuf payload = cs.partial;
            cs.partial = null;
            emit(ctx, cs, payload, out);
        }
        return true;
    }

    private ChunkStream chunkStream(int csid, int fmt) {
        ChunkStream cs = csid < 64 ? low[csid] : high.get(csid);
        if (cs == null) {
            if (fmt != 0) {
                throw new RtmpProtocolException("chunk stream " + csid + " begins with a fmt " + fmt
                        + " header; the first chunk of a stream must carry a full header");
            }
            if (++chunkStreams > MAX_CHUNK_STREAMS) {
                throw new RtmpProtocolException("more than " + MAX_CHUNK_STREAMS + " chunk streams in use");
            }
            cs = new ChunkStream(csid);
            if (csid < 64) {
                low[csid] = cs;
            } else {
                high.put(csid, cs);
            }
        }
        return cs;
    }

    private void emit(ChannelHandlerContext ctx, ChunkStream cs, ByteBuf payload, List<Object> out) {
        switch (cs.typeId) {
            case RtmpMessage.SET_CHUNK_SIZE -> {
                int size = payload.readableBytes() >= 4 ? payload.getInt(payload.readerIndex()) & 0x7FFFFFFF : -1;
                payload.release();
                if (size < 1 || size > MAX_CHUNK_SIZE) {
                    throw new RtmpProtocolException("Set Chunk Size to " + size + " is outside 1.." + MAX_CHUNK_SIZE);
                }
                chunkSize = size;
            }
            case RtmpMessage.ABORT -> {
                int abort = payload.readableBytes() >= 4 ? payload.getInt(payload.readerIndex()) : -1;
                payload.release();
                ChunkStream target = abort >= 0 && abort < 64 ? low[abort] : high.get(abort);
                if (target != null && target.partial != null) {
                    target.partial.release();
                    target.partial = null;
                }
            }
            default -> out.add(new RtmpMessage(cs.csid, cs.typeId, cs.streamId, cs.timestamp, payload));
        }
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        releasePartials();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        try {
            super.channelInactive(ctx);
        } finally {
            releasePartials();
        }
    }

    private void releasePartials() {
        for (ChunkStream cs : low) {
            if (cs != null && cs.partial != null) {
                cs.partial.release();
                cs.partial = null;
            }
        }
        for (ChunkStream cs : high.values()) {
            if (cs.partial != null) {
                cs.partial.release();
                cs.partial = null;
            }
        }
    }
}

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
 * {@link RtmpProtocolException} instead of an allocation. Only media and data messages may be as
 * long as {@code maxMessageSize}, and only once the peer asked to publish
 * ({@link #allowMediaMessages}): commands, control messages and anything before a publish get
 * {@link #MAX_COMMAND_SIZE}. A
 * message's buffer grows with the chunks that arrive (a length field alone allocates nothing
 * large), and the bytes held by incomplete messages are taken from the node's
 * {@link PartialMessageBudget}.
 */
public final class RtmpChunkDecoder extends ByteToMessageDecoder {
    /** The largest chunk size we accept from a peer: a chunk is buffered whole before parsing. */
    public static final int MAX_CHUNK_SIZE = 16 * 1024 * 1024;
    private static final int MAX_CHUNK_STREAMS = 64;
    /** The longest command (connect, publish, play...), shared object or control message: real ones are under 1 KB. */
    public static final int MAX_COMMAND_SIZE = 64 * 1024;
    /** What a partial message's buffer starts at; it grows as chunks arrive. */
    private static final int FIRST_CAPACITY = 4096;

    private final int maxMessageSize;
    private final PartialMessageBudget budget;
    private boolean mediaAllowed;
    /** A protocol error was thrown: the rest of the stream is dropped unread. */
    private boolean failed;
    private int chunkSize = 128;
    private long bytesReceived;
    private final ChunkStream[] low = new ChunkStream[64];
    private final java.util.HashMap<Integer, ChunkStream> high = new java.util.HashMap<>();
    private int chunkStreams;

    public RtmpChunkDecoder(int maxMessageSize, PartialMessageBudget budget) {
        this.maxMessageSize = maxMessageSize;
        this.budget = budget;
    }

    /** The peer asked to publish: media and data messages may be as long as {@code maxMessageSize} from now on. */
    public void allowMediaMessages() {
        mediaAllowed = true;
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
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        try {
            decodeChunks(ctx, in, out);
        } catch (RtmpProtocolException e) {
            // Nothing after a protocol error can be framed: drop it, now and at the close (decodeLast), so the
            // error is reported once.
            failed = true;
            in.skipBytes(in.readableBytes());
            throw e;
        }
    }

    private void decodeChunks(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (in.isReadable()) {
            int before = in.readerIndex();
            if (!decodeChunk(ctx, in, out)) {
                in.readerIndex(before);
                return;
            }
            bytesReceived += in.readerIndex() - before;
            if (!out.isEmpty() && isCommand(out.get(out.size() - 1))) {
                // The connection acts on a command (publish allows media) before the next chunk is parsed.
                return;
            }
        }
    }

    private static boolean isCommand(Object message) {
        int type = ((RtmpMessage) message).typeId();
        return type == RtmpMessage.COMMAND_AMF0 || type == RtmpMessage.COMMAND_AMF3;
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
        int limit = mediaAllowed && RtmpMessage.isMedia(typeId) ? maxMessageSize : MAX_COMMAND_SIZE;
        if (length > limit) {
            throw new RtmpProtocolException("message length " + length + " (type " + typeId + ") on chunk stream " + csid
                    + " is over the limit of " + limit + " bytes" + (limit == maxMessageSize ? ""
                    : mediaAllowed ? " for a command" : " before a publish"));
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
        if (!budget.tryTake(n)) {
            throw new RtmpProtocolException(budget.exceeded());
        }
        if (!continuing) {
            cs.partial = ctx.alloc().buffer(Math.min(length, FIRST_CAPACITY), length);
        }
        cs.partial.writeBytes(in, n);
        if (cs.partial.readableBytes() == length) {
            ByteBuf payload = cs.partial;
            cs.partial = null;
            budget.giveBack(length);
            emit(ctx, cs, payload, out);
        }
        return true;
    }

    /** Frees an incomplete message and gives its bytes back to the budget. */
    private void drop(ChunkStream cs) {
        budget.giveBack(cs.partial.readableBytes());
        cs.partial.release();
        cs.partial = null;
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
                    drop(target);
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
                drop(cs);
            }
        }
        for (ChunkStream cs : high.values()) {
            if (cs.partial != null) {
                drop(cs);
            }
        }
    }
}

package io.meshlive.server.record;

import io.meshlive.media.Frame;
import io.meshlive.media.TrackType;
import io.meshlive.media.flv.FlvTag;
import io.meshlive.media.flv.FlvTagBody;
import io.meshlive.media.flv.FlvWriter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * FLV recordings: the file header, onMetaData and the sequence headers at time 0, then one tag per
 * frame (cues included, as script tags), written into the pending fragment as frames come.
 */
final class FlvRecordMuxer implements RecordMuxer {
    private static final int FRAGMENT_CAPACITY = 64 * 1024;
    private ByteBuf pending;

    @Override
    public ByteBuf header(Frame metadata, Frame videoConfig, Frame audioConfig, ByteBufAllocator alloc) {
        return RecordMuxer.written(alloc, 1024, out -> {
            FlvWriter.writeFileHeader(out, audioConfig != null, videoConfig != null);
            for (Frame f : new Frame[] {metadata, videoConfig, audioConfig}) {
                if (f != null) {
                    tag(f, 0, out);
                }
            }
        });
    }

    @Override
    public void add(Frame frame, long baseDts) {
        if (pending == null) {
            pending = ByteBufAllocator.DEFAULT.directBuffer(FRAGMENT_CAPACITY);
        }
        int mark = pending.writerIndex();
        try {
            tag(frame, (frame.dts() - baseDts) / 1000, pending);
        } catch (IllegalArgumentException e) { // a composition time that does not fit: the tag is left out
            pending.writerIndex(mark);
            throw e;
        }
    }

    private static void tag(Frame frame, long timestampMillis, ByteBuf out) {
        ByteBuf body = FlvTagBody.retainedBody(frame, ByteBufAllocator.DEFAULT);
        try {
            int dataSize = FlvTagBody.headerLength(frame) + body.readableBytes();
            FlvWriter.writeTagHeader(out, tagType(frame.track()), dataSize, timestampMillis);
            FlvTagBody.writeHeader(frame, out);
            out.writeBytes(body, body.readerIndex(), body.readableBytes());
            FlvWriter.writeTagTrailer(out, dataSize);
        } finally {
            body.release();
        }
    }

    private static int tagType(TrackType track) {
        return switch (track) {
            case AUDIO -> FlvTag.AUDIO;
            case VIDEO -> FlvTag.VIDEO;
            case DATA -> FlvTag.SCRIPT;
        };
    }

    @Override
    public boolean hasPending() {
        return pending != null && pending.isReadable();
    }

    @Override
    public ByteBuf cut(ByteBufAllocator alloc) {
        ByteBuf out = pending;
        pending = null;
        return out;
    }

    @Override
    public void discard() {
        if (pending != null) {
            pending.release();
            pending = null;
        }
    }
}

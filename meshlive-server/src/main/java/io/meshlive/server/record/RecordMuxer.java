package io.meshlive.server.record;

import io.meshlive.media.Frame;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.util.function.Consumer;

/**
 * Turns one file's frames into bytes, a fragment at a time; the recorder decides where fragments
 * and files end. Times in the file count from the file's first frame, so every file starts at 0.
 * Frames handed in stay the caller's.
 */
interface RecordMuxer {
    /**
     * What a player needs before the first fragment. {@code metadata} and one of the configs may be
     * null; throws IllegalArgumentException when the format cannot carry a codec.
     */
    ByteBuf header(Frame metadata, Frame videoConfig, Frame audioConfig, ByteBufAllocator alloc);

    /** Adds a media or data frame (dts at or after {@code baseDts}) to the pending fragment. */
    void add(Frame frame, long baseDts);

    boolean hasPending();

    /** The pending fragment as bytes, for the caller to own; the next fragment starts empty. */
    ByteBuf cut(ByteBufAllocator alloc);

    /** Forgets the pending fragment and releases what it holds. */
    void discard();

    /** A direct buffer of {@code capacity} from {@code alloc} that {@code write} fills; released if writing throws. */
    static ByteBuf written(ByteBufAllocator alloc, int capacity, Consumer<ByteBuf> write) {
        ByteBuf out = alloc.directBuffer(capacity);
        try {
            write.accept(out);
            return out;
        } catch (RuntimeException e) {
            out.release();
            throw e;
        }
    }

    static RecordMuxer of(RecordFormat format) {
        return format == RecordFormat.FLV ? new FlvRecordMuxer() : new Mp4RecordMuxer();
    }
}

package io.meshlive.transcode;

import io.netty.buffer.ByteBuf;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;

import static org.bytedeco.ffmpeg.global.avcodec.AV_INPUT_BUFFER_PADDING_SIZE;
import static org.bytedeco.ffmpeg.global.avutil.av_malloc;

/** Hands a decoder its configuration record (AudioSpecificConfig, OpusHead, avcC...). */
public final class CodecExtradata {
    private CodecExtradata() {
    }

    /** Copies {@code record}'s readable bytes into the context's extradata, before avcodec_open2. */
    public static void set(AVCodecContext context, ByteBuf record) {
        // avcodec frees extradata with the context, so it must come from av_malloc, padded.
        int length = record.readableBytes();
        BytePointer copy = new BytePointer(av_malloc(length + AV_INPUT_BUFFER_PADDING_SIZE))
                .capacity(length + AV_INPUT_BUFFER_PADDING_SIZE);
        Pointer.memset(copy, 0, length + AV_INPUT_BUFFER_PADDING_SIZE);
        record.getBytes(record.readerIndex(), copy.asByteBuffer().limit(length));
        context.extradata(copy).extradata_size(length);
    }
}

package io.meshlive.transcode;

import io.netty.buffer.ByteBuf;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;

import static org.bytedeco.ffmpeg.global.avcodec.AV_INPUT_BUFFER_PADDING_SIZE;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_ENOMEM;
import static org.bytedeco.ffmpeg.global.avutil.av_malloc;

/** Hands a decoder its configuration record (AudioSpecificConfig, OpusHead, avcC...). */
public final class CodecExtradata {
    private CodecExtradata() {
    }

    /** Copies {@code record}'s readable bytes into the context's extradata, before avcodec_open2. */
    public static void set(AVCodecContext context, ByteBuf record) throws TranscodeException {
        // avcodec frees extradata with the context, so it must come from av_malloc, zero-padded.
        int length = record.readableBytes();
        Pointer memory = av_malloc(length + AV_INPUT_BUFFER_PADDING_SIZE);
        if (memory == null || memory.isNull()) {
            throw new TranscodeException("av_malloc", AVERROR_ENOMEM());
        }
        BytePointer copy = new BytePointer(memory).capacity(length + AV_INPUT_BUFFER_PADDING_SIZE);
        Pointer.memset(copy, 0, length + AV_INPUT_BUFFER_PADDING_SIZE);
        record.getBytes(record.readerIndex(), copy.asByteBuffer().limit(length));
        context.extradata(copy).extradata_size(length);
    }
}

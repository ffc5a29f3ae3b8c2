package io.meshlive.transcode;

import io.netty.buffer.ByteBuf;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;

import java.nio.ByteBuffer;

import static org.bytedeco.ffmpeg.global.avcodec.AV_INPUT_BUFFER_PADDING_SIZE;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_frame;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_packet;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EAGAIN;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_ENOMEM;
import static org.bytedeco.ffmpeg.global.avutil.av_channel_layout_default;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_free;
import static org.bytedeco.ffmpeg.global.avutil.av_malloc;

/**
 * An avcodec audio decoder fed from hub payloads. The packet, the decoded frame and the native
 * copy of the payload are allocated once and reused, the copy growing to the largest payload seen.
 */
final class AudioDecoder implements AutoCloseable {
    /** Covers any AAC access unit or Opus packet, so the input buffer rarely has to grow. */
    private static final int INITIAL_CAPACITY = 2048;

    /** Takes one decoded frame, valid only during the call. */
    interface FrameSink {
        void accept(AVFrame frame) throws TranscodeException;
    }

    private final AVCodecContext context;
    private final AVPacket packet;
    private final AVFrame frame;
    private BytePointer data;
    private ByteBuffer dataView;

    private AudioDecoder(AVCodecContext context) {
        this.context = context;
        this.packet = av_packet_alloc();
        this.frame = av_frame_alloc();
        allocateData(INITIAL_CAPACITY);
    }

    /**
     * Opens the decoder for {@code codecId}. {@code extradata} (an AudioSpecificConfig, an
     * OpusHead) may be null; then the decoder starts as {@code defaultChannels} at {@code defaultRate}.
     */
    static AudioDecoder open(int codecId, ByteBuf extradata, int defaultRate, int defaultChannels) throws TranscodeException {
        AVCodec codec = avcodec_find_decoder(codecId);
        if (codec == null) {
            throw new TranscodeException("no decoder for codec id " + codecId + " in this FFmpeg build");
        }
        AVCodecContext context = avcodec_alloc_context3(codec);
        if (context == null) {
            throw new TranscodeException("avcodec_alloc_context3", AVERROR_ENOMEM());
        }
        AudioDecoder decoder = new AudioDecoder(context);
        try {
            context.sample_rate(defaultRate);
            av_channel_layout_default(context.ch_layout(), defaultChannels);
            if (extradata != null) {
                // avcodec frees extradata with the context, so it must come from av_malloc, padded.
                int length = extradata.readableBytes();
                BytePointer copy = new BytePointer(av_malloc(length + AV_INPUT_BUFFER_PADDING_SIZE))
                        .capacity(length + AV_INPUT_BUFFER_PADDING_SIZE);
                Pointer.memset(copy, 0, length + AV_INPUT_BUFFER_PADDING_SIZE);
                extradata.getBytes(extradata.readerIndex(), copy.asByteBuffer().limit(length));
                context.extradata(copy).extradata_size(length);
            }
            TranscodeException.check(avcodec_open2(context, codec, (AVDictionary) null),
                    "open " + codec.name().getString() + " decoder");
            return decoder;
        } catch (TranscodeException | RuntimeException e) {
            decoder.close();
            throw e;
        }
    }

    /**
     * Decodes one packet, handing each decoded frame to {@code sink}. Returns false when the
     * decoder rejected the packet as corrupt; throws only when the decoder itself fails.
     */
    boolean decode(ByteBuf payload, FrameSink sink) throws TranscodeException {
        int length = payload.readableBytes();
        if (length + AV_INPUT_BUFFER_PADDING_SIZE > data.capacity()) {
            av_free(data);
            allocateData(Integer.highestOneBit(length + AV_INPUT_BUFFER_PADDING_SIZE) << 1);
        }
        payload.getBytes(payload.readerIndex(), dataView.clear().limit(length));
        // Decoders may read past the end in whole words: the padding must be zeros.
        dataView.limit(length + AV_INPUT_BUFFER_PADDING_SIZE);
        while (dataView.hasRemaining()) {
            dataView.put((byte) 0);
        }
        // Not reference-counted: avcodec copies it, so our buffer is free again on return.
        packet.data(data).size(length);
        int ret = avcodec_send_packet(context, packet);
        if (ret < 0) {
            return rejected(ret, "avcodec_send_packet");
        }
        while ((ret = avcodec_receive_frame(context, frame)) >= 0) {
            sink.accept(frame);
        }
        return ret == AVERROR_EAGAIN() || rejected(ret, "avcodec_receive_frame");
    }

    /** False for a corrupt packet; an exception when the decoder is out of memory. */
    private static boolean rejected(int ret, String what) throws TranscodeException {
        if (ret == AVERROR_ENOMEM()) {
            throw new TranscodeException(what, ret);
        }
        return false;
    }

    private void allocateData(int capacity) {
        Pointer memory = av_malloc(capacity);
        if (memory == null || memory.isNull()) {
            throw new OutOfMemoryError("av_malloc(" + capacity + ")");
        }
        data = new BytePointer(memory).capacity(capacity);
        dataView = data.asByteBuffer();
    }

    @Override
    public void close() {
        // The packet borrows our buffer; detach it so freeing the packet leaves the buffer to us.
        packet.data(null).size(0);
        av_packet_free(packet);
        av_frame_free(frame);
        avcodec_free_context(context);
        av_free(data);
    }
}

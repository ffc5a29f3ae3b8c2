package io.meshlive.transcode;

import io.netty.buffer.ByteBuf;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;


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

/**
 * An avcodec audio decoder fed from hub payloads. The packet, the decoded frame and the native
 * copy of the payload are allocated once and reused ({@link PacketInput}).
 */
final class AudioDecoder implements AutoCloseable {
    /** Covers any AAC access unit or Opus packet, so the input buffer rarely has to grow. */
    private static final int INITIAL_CAPACITY = 2048;

    /** Takes one decoded frame, valid only during the call. */
    interface FrameSink {
        void accept(AVFrame frame) throws TranscodeException;
    }

    private final AVCodecContext context;
    private final PacketInput input = new PacketInput(INITIAL_CAPACITY);
    private final AVFrame frame;

    private AudioDecoder(AVCodecContext context) {
        this.context = context;
        this.frame = av_frame_alloc();
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
                CodecExtradata.set(context, extradata);
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
        int ret = avcodec_send_packet(context, input.load(payload));
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

    @Override
    public void close() {
        input.close();
        av_frame_free(frame);
        avcodec_free_context(context);
    }
}

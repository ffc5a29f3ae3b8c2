package io.meshlive.transcode.video;

import io.meshlive.media.Codec;
import io.meshlive.transcode.CodecExtradata;
import io.meshlive.transcode.PacketInput;
import io.meshlive.transcode.TranscodeException;
import io.netty.buffer.ByteBuf;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_FLAG_LOW_DELAY;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_AV1;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_H264;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_HEVC;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_VP9;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_frame;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_packet;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EAGAIN;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_ENOMEM;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_unref;

/**
 * An avcodec video decoder for one source stream, set for the least delay: one thread (frame
 * threading holds back one frame per thread) and {@code AV_CODEC_FLAG_LOW_DELAY}, so each
 * access unit comes out as soon as it goes in. Packet pts go through to the decoded frames.
 */
final class VideoDecoder implements AutoCloseable {
    /** Takes one decoded picture, valid only during the call. */
    interface PictureSink {
        void accept(AVFrame picture);
    }

    private static final int INITIAL_CAPACITY = 256 * 1024;

    private final AVCodecContext context;
    private final PacketInput input = new PacketInput(INITIAL_CAPACITY);
    private final AVFrame picture = av_frame_alloc();

    private VideoDecoder(AVCodecContext context) {
        this.context = context;
    }

    /**
     * Opens a decoder for {@code codec} with its configuration record ({@code avcC}, {@code hvcC}...).
     *
     * @throws TranscodeException when this FFmpeg build cannot decode the codec
     */
    static VideoDecoder open(Codec codec, ByteBuf config) throws TranscodeException {
        AVCodec decoder = avcodec_find_decoder(codecId(codec));
        if (decoder == null) {
            throw new TranscodeException("this FFmpeg build has no " + codec.displayName() + " decoder");
        }
        AVCodecContext context = avcodec_alloc_context3(decoder);
        if (context == null) {
            throw new TranscodeException("avcodec_alloc_context3", AVERROR_ENOMEM());
        }
        VideoDecoder d = new VideoDecoder(context);
        try {
            context.flags(context.flags() | AV_CODEC_FLAG_LOW_DELAY).thread_count(1);
            if (config != null && config.isReadable()) {
                CodecExtradata.set(context, config);
            }
            TranscodeException.check(avcodec_open2(context, decoder, (AVDictionary) null),
                    "open " + decoder.name().getString() + " decoder");
            return d;
        } catch (TranscodeException | RuntimeException e) {
            d.close();
            throw e;
        }
    }

    private static int codecId(Codec codec) throws TranscodeException {
        return switch (codec) {
            case H264 -> AV_CODEC_ID_H264;
            case HEVC -> AV_CODEC_ID_HEVC;
            case AV1 -> AV_CODEC_ID_AV1;
            case VP9 -> AV_CODEC_ID_VP9;
            default -> throw new TranscodeException(codec.displayName() + " is not a video codec");
        };
    }

    /**
     * Decodes one access unit stamped {@code pts}, handing each picture it completes to {@code sink}.
     *
     * @return false when the decoder rejected the access unit as corrupt
     * @throws TranscodeException when the decoder is out of memory
     */
    boolean decode(ByteBuf payload, long pts, PictureSink sink) throws TranscodeException {
        AVPacket packet = input.load(payload);
        packet.pts(pts).dts(pts);
        int ret = avcodec_send_packet(context, packet);
        if (ret < 0) {
            return rejected(ret);
        }
        while ((ret = avcodec_receive_frame(context, picture)) >= 0) {
            try {
                sink.accept(picture);
            } finally {
                av_frame_unref(picture);
            }
        }
        return ret == AVERROR_EAGAIN() || rejected(ret);
    }

    private static boolean rejected(int ret) throws TranscodeException {
        if (ret == AVERROR_ENOMEM()) {
            throw new TranscodeException("decode", ret);
        }
        return false;
    }

    @Override
    public void close() {
        input.close();
        av_frame_free(picture);
        avcodec_free_context(context);
    }
}

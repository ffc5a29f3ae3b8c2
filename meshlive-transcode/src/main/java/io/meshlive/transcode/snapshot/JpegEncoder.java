package io.meshlive.transcode.snapshot;

import io.meshlive.transcode.TranscodeException;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_FLAG_QSCALE;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_MJPEG;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_encoder;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_packet;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_frame;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_RANGE_JPEG;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_ENOMEM;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.FF_QP2LAMBDA;

/** Encodes one full-range 4:2:0 picture ({@link PictureScaler}'s output) as a baseline JPEG with FFmpeg's mjpeg encoder. */
public final class JpegEncoder {
    /** mjpeg's quantiser scale at quality 100 and at quality 1 (ffmpeg's {@code -q:v} 2 and 31). */
    private static final int BEST_QSCALE = 2;
    private static final int WORST_QSCALE = 31;

    private final int qscale;

    /** {@code quality} 1 (smallest) to 100 (best), mapped linearly onto mjpeg's quantiser scale 31 to 2. */
    public JpegEncoder(int quality) {
        if (quality < 1 || quality > 100) {
            throw new IllegalArgumentException("JPEG quality must be 1-100, got " + quality);
        }
        this.qscale = Math.round(WORST_QSCALE - (quality - 1) * (WORST_QSCALE - BEST_QSCALE) / 99f);
    }

    public byte[] encode(AVFrame picture) throws TranscodeException {
        AVCodec mjpeg = avcodec_find_encoder(AV_CODEC_ID_MJPEG);
        if (mjpeg == null) {
            throw new TranscodeException("no mjpeg encoder in this FFmpeg build");
        }
        AVCodecContext context = avcodec_alloc_context3(mjpeg);
        if (context == null) {
            throw new TranscodeException("avcodec_alloc_context3", AVERROR_ENOMEM());
        }
        AVPacket packet = av_packet_alloc();
        try {
            context.width(picture.width()).height(picture.height()).pix_fmt(AV_PIX_FMT_YUV420P)
                    .color_range(AVCOL_RANGE_JPEG).time_base().num(1).den(1);
            // Fixed quantiser, as ffmpeg -q:v: the encoder takes it from each frame's quality.
            context.flags(context.flags() | AV_CODEC_FLAG_QSCALE).global_quality(qscale * FF_QP2LAMBDA);
            TranscodeException.check(avcodec_open2(context, mjpeg, (AVDictionary) null), "open mjpeg encoder");
            picture.quality(context.global_quality()).pts(0);
            TranscodeException.check(avcodec_send_frame(context, picture), "encode JPEG");
            TranscodeException.check(avcodec_send_frame(context, null), "flush mjpeg encoder");
            TranscodeException.check(avcodec_receive_packet(context, packet), "encode JPEG");
            byte[] jpeg = new byte[packet.size()];
            packet.data().get(jpeg);
            return jpeg;
        } finally {
            av_packet_free(packet);
            avcodec_free_context(context);
        }
    }
}

package io.meshlive.transcode.video;

import io.meshlive.media.MediaFormatException;
import io.meshlive.media.avc.AvcDecoderConfig;
import io.meshlive.transcode.EncodedPackets;
import io.meshlive.transcode.TranscodeException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.AVRational;

import java.nio.ByteBuffer;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_FLAG_GLOBAL_HEADER;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_FLAG_LOW_DELAY;
import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_FLAG_KEY;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_encoder_by_name;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_ENOMEM;
import static org.bytedeco.ffmpeg.global.avutil.AV_PICTURE_TYPE_I;
import static org.bytedeco.ffmpeg.global.avutil.AV_PICTURE_TYPE_NONE;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.av_opt_set;

/**
 * One rendition's H.264 encoder, tuned for live ABR: no B-frames and no look-ahead (a picture in,
 * its packet out), a VBV buffer of one frame at the target rate, one thread (the renditions run in
 * parallel instead), and keyframes only when asked for ({@link #encode} with {@code idr}), so that
 * every rendition of a source cuts its GOPs on the same pictures. Pts are microseconds.
 */
final class VideoEncoder implements AutoCloseable {
    /** Takes one encoded access unit (Annex B), valid only during the call. */
    interface PacketSink {
        void accept(ByteBuffer accessUnit, long pts, boolean keyframe) throws TranscodeException;
    }

    /** Encoders make no keyframe of their own before this many frames: the source's GOP rules. */
    private static final int NO_OWN_KEYFRAMES = 1 << 20;

    private final AVCodecContext context;
    private final AVPacket packet = av_packet_alloc();

    private VideoEncoder(AVCodecContext context) {
        this.context = context;
    }

    static VideoEncoder open(VideoEncoderKind kind, String preset, RenditionSize size, int bitsPerSecond, int fps)
            throws TranscodeException {
        AVCodec codec = avcodec_find_encoder_by_name(kind.ffmpegName());
        if (codec == null) {
            throw new TranscodeException("this FFmpeg build has no " + kind.ffmpegName()
                    + " encoder" + (kind == VideoEncoderKind.X264 ? " (libx264 needs the GPL build: mvn -Pgpl)" : ""));
        }
        AVCodecContext context = avcodec_alloc_context3(codec);
        if (context == null) {
            throw new TranscodeException("avcodec_alloc_context3", AVERROR_ENOMEM());
        }
        VideoEncoder e = new VideoEncoder(context);
        try {
            e.configure(codec, kind, preset, size, bitsPerSecond, fps);
            return e;
        } catch (TranscodeException | RuntimeException ex) {
            e.close();
            throw ex;
        }
    }

    private void configure(AVCodec codec, VideoEncoderKind kind, String preset, RenditionSize size, int bitsPerSecond, int fps)
            throws TranscodeException {
        try (AVRational micros = new AVRational().num(1).den(1_000_000);
             AVRational rate = new AVRational().num(fps).den(1)) {
            context.width(size.width()).height(size.height())
                    .pix_fmt(AV_PIX_FMT_YUV420P)
                    .time_base(micros)
                    .framerate(rate)
                    .bit_rate(bitsPerSecond)
                    .rc_max_rate(bitsPerSecond)
                    // VBV of one frame: each frame may only spend its share, so no frame waits in a buffer.
                    .rc_buffer_size(bitsPerSecond / fps)
                    .gop_size(NO_OWN_KEYFRAMES)
                    .max_b_frames(0)
                    .thread_count(1)
                    .flags(context.flags() | AV_CODEC_FLAG_GLOBAL_HEADER | AV_CODEC_FLAG_LOW_DELAY);
        }
        if (kind == VideoEncoderKind.X264) {
            option("preset", preset);
            option("tune", "zerolatency");
            option("forced-idr", "1");
            // zerolatency already means no look-ahead and no B-frames; scenecut would add keyframes
            // of x264's own choosing, on different pictures in each rendition.
            option("x264-params", "scenecut=0:rc-lookahead=0:sync-lookahead=0:bframes=0");
        } else {
            option("rc_mode", "bitrate");
            option("allow_skip_frames", "0");
        }
        TranscodeException.check(avcodec_open2(context, codec, (AVDictionary) null), "open " + kind.ffmpegName() + " encoder");
    }

    private void option(String name, String value) throws TranscodeException {
        TranscodeException.check(av_opt_set(context.priv_data(), name, value, 0),
                context.codec().name().getString() + " option " + name + "=" + value);
    }

    /** The avcC record for the encoder's SPS and PPS (from its global header). */
    ByteBuf config(ByteBufAllocator alloc) throws TranscodeException {
        ByteBuffer header = context.extradata().capacity(context.extradata_size()).asByteBuffer();
        byte[] sps = AnnexB.first(header, AnnexB.NAL_SPS);
        byte[] pps = AnnexB.first(header.rewind(), AnnexB.NAL_PPS);
        if (sps == null || pps == null) {
            throw new TranscodeException("the encoder's global header has no SPS or PPS");
        }
        ByteBuf out = alloc.buffer(sps.length + pps.length + 16);
        try {
            AvcDecoderConfig.write(sps, pps, out);
            return out;
        } catch (MediaFormatException e) {
            out.release();
            throw new TranscodeException(e.getMessage());
        }
    }

    /** Encodes one picture (pts in microseconds), an IDR when {@code idr}; hands out what comes out. */
    void encode(AVFrame picture, boolean idr, PacketSink sink) throws TranscodeException {
        picture.pict_type(idr ? AV_PICTURE_TYPE_I : AV_PICTURE_TYPE_NONE);
        EncodedPackets.encode(context, picture, packet, p -> sink.accept(
                p.data().capacity(p.size()).asByteBuffer(), p.pts(), (p.flags() & AV_PKT_FLAG_KEY) != 0));
    }

    @Override
    public void close() {
        av_packet_free(packet);
        avcodec_free_context(context);
    }
}

package io.meshlive.transcode.snapshot;

import io.meshlive.media.Codec;
import io.meshlive.transcode.CodecExtradata;
import io.meshlive.transcode.TranscodeException;
import io.netty.buffer.ByteBuf;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_H264;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_HEVC;
import static org.bytedeco.ffmpeg.global.avcodec.av_new_packet;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_frame;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_packet;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_ENOMEM;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;

/**
 * Decodes one H.264 or HEVC keyframe, given in the hub's layout (length-prefixed NAL units, with
 * the avcC/hvcC record as the configuration), into a picture. Opened per keyframe: a snapshot is
 * rare next to the frame rate, and a fresh decoder carries no state from a corrupt earlier one.
 */
public final class KeyframeDecoder implements AutoCloseable {
    private final AVCodecContext context;
    private final AVPacket packet = av_packet_alloc();
    private final AVFrame picture = av_frame_alloc();

    private KeyframeDecoder(AVCodecContext context) {
        this.context = context;
    }

    /** Whether {@link #open} takes this codec. */
    public static boolean supports(Codec codec) {
        return codec == Codec.H264 || codec == Codec.HEVC;
    }

    /** A decoder for {@code codec} configured by {@code config} (an avcC or hvcC record, left the caller's). */
    public static KeyframeDecoder open(Codec codec, ByteBuf config) throws TranscodeException {
        if (!supports(codec)) {
            throw new TranscodeException("no snapshots of " + codec.displayName() + " video (H.264 and HEVC only)");
        }
        AVCodec decoder = avcodec_find_decoder(codec == Codec.H264 ? AV_CODEC_ID_H264 : AV_CODEC_ID_HEVC);
        if (decoder == null) {
            throw new TranscodeException("no " + codec.displayName() + " decoder in this FFmpeg build");
        }
        AVCodecContext context = avcodec_alloc_context3(decoder);
        if (context == null) {
            throw new TranscodeException("avcodec_alloc_context3", AVERROR_ENOMEM());
        }
        KeyframeDecoder d = new KeyframeDecoder(context);
        try {
            // One thread: frame threading would only add latency to a single picture.
            context.thread_count(1);
            CodecExtradata.set(context, config);
            TranscodeException.check(avcodec_open2(context, decoder, (AVDictionary) null),
                    "open " + codec.displayName() + " decoder");
            return d;
        } catch (TranscodeException | RuntimeException e) {
            d.close();
            throw e;
        }
    }

    /**
     * Decodes {@code keyframe} (left the caller's) and returns its picture, which stays valid
     * until {@link #close()}.
     *
     * @throws TranscodeException when the keyframe does not decode to a picture
     */
    public AVFrame decode(ByteBuf keyframe) throws TranscodeException {
        int length = keyframe.readableBytes();
        // av_new_packet zeroes the padding that decoders may read past the end.
        TranscodeException.check(av_new_packet(packet, length), "av_new_packet");
        keyframe.getBytes(keyframe.readerIndex(), packet.data().capacity(length).asByteBuffer());
        TranscodeException.check(avcodec_send_packet(context, packet), "decode keyframe");
        // End of stream: a decoder that holds pictures back for reordering hands this one over now.
        TranscodeException.check(avcodec_send_packet(context, null), "flush decoder");
        TranscodeException.check(avcodec_receive_frame(context, picture), "decode keyframe");
        return picture;
    }

    @Override
    public void close() {
        av_packet_free(packet);
        av_frame_free(picture);
        avcodec_free_context(context);
    }
}

package io.meshlive.transcode;

import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVFrame;

import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_packet;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_frame;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EAGAIN;

/**
 * Feeds one frame to an avcodec encoder and hands out every packet it makes, the send/receive
 * dance each of our encoders (audio and video) does per frame.
 */
public final class EncodedPackets {
    /** Takes one encoded packet, valid only during the call. */
    public interface Sink {
        void accept(AVPacket packet) throws TranscodeException;
    }

    private EncodedPackets() {
    }

    /**
     * Sends {@code frame} to the encoder, then receives into {@code packet} until the encoder wants
     * more input, giving each packet to {@code sink} and unreferencing it after.
     */
    public static void encode(AVCodecContext encoder, AVFrame frame, AVPacket packet, Sink sink) throws TranscodeException {
        TranscodeException.check(avcodec_send_frame(encoder, frame), "avcodec_send_frame");
        int ret;
        while ((ret = avcodec_receive_packet(encoder, packet)) >= 0) {
            try {
                sink.accept(packet);
            } finally {
                av_packet_unref(packet);
            }
        }
        if (ret != AVERROR_EAGAIN()) {
            TranscodeException.check(ret, "avcodec_receive_packet");
        }
    }
}

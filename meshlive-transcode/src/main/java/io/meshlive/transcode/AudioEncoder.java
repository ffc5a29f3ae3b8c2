package io.meshlive.transcode;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.AVRational;

import java.util.Map;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_FLAG_GLOBAL_HEADER;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_encoder_by_name;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_ENOMEM;
import static org.bytedeco.ffmpeg.global.avutil.av_channel_layout_copy;
import static org.bytedeco.ffmpeg.global.avutil.av_channel_layout_default;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_get_buffer;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_make_writable;
import static org.bytedeco.ffmpeg.global.avutil.av_opt_set;

/**
 * An avcodec audio encoder that takes whole frames from a {@link SampleQueue}. Frame pts count
 * samples from zero (time base 1/rate), so a packet's pts plus {@link #initialPadding()} is the
 * position of the first sample it was made from. The frame and the packet are allocated once.
 */
final class AudioEncoder implements AutoCloseable {
    private final AVCodecContext context;
    private final AVFrame frame = av_frame_alloc();
    private final AVPacket packet = av_packet_alloc();
    private final int channels;
    private long nextPts;

    private AudioEncoder(AVCodecContext context, int channels) {
        this.context = context;
        this.channels = channels;
    }

    static AudioEncoder open(OutputFormat format, int channels) throws TranscodeException {
        AVCodec codec = avcodec_find_encoder_by_name(format.encoder());
        if (codec == null) {
            throw new TranscodeException("no " + format.encoder() + " encoder in this FFmpeg build");
        }
        AVCodecContext context = avcodec_alloc_context3(codec);
        if (context == null) {
            throw new TranscodeException("avcodec_alloc_context3", AVERROR_ENOMEM());
        }
        AudioEncoder encoder = new AudioEncoder(context, channels);
        try {
            encoder.configure(codec, format);
            return encoder;
        } catch (TranscodeException | RuntimeException e) {
            encoder.close();
            throw e;
        }
    }

    private void configure(AVCodec codec, OutputFormat format) throws TranscodeException {
        String name = format.encoder();
        av_channel_layout_default(context.ch_layout(), channels);
        try (AVRational perSample = new AVRational().num(1).den(OutputFormat.SAMPLE_RATE)) {
            context.sample_rate(OutputFormat.SAMPLE_RATE)
                    .sample_fmt(format.sampleFormat())
                    .bit_rate(format.bitRate())
                    .time_base(perSample)
                    // The config frame is the encoder's extradata, which AAC only fills in on request.
                    .flags(context.flags() | AV_CODEC_FLAG_GLOBAL_HEADER);
        }
        for (Map.Entry<String, String> option : format.options().entrySet()) {
            TranscodeException.check(av_opt_set(context.priv_data(), option.getKey(), option.getValue(), 0),
                    name + " option " + option.getKey() + "=" + option.getValue());
        }
        TranscodeException.check(avcodec_open2(context, codec, (AVDictionary) null), "open " + name + " encoder");
        frame.format(context.sample_fmt()).sample_rate(context.sample_rate()).nb_samples(context.frame_size());
        TranscodeException.check(av_channel_layout_copy(frame.ch_layout(), context.ch_layout()), "av_channel_layout_copy");
        TranscodeException.check(av_frame_get_buffer(frame, 0), "av_frame_get_buffer");
    }

    int channels() {
        return channels;
    }

    int sampleRate() {
        return context.sample_rate();
    }

    /** Samples per encoded frame: 960 for 20 ms Opus at 48 kHz, 1024 for AAC. */
    int frameSize() {
        return context.frame_size();
    }

    /** Samples of delay the encoder puts before the first input sample (Opus pre-skip, AAC priming). */
    int initialPadding() {
        return context.initial_padding();
    }

    /** A queue in this encoder's sample format, rate and layout. */
    SampleQueue newQueue() throws TranscodeException {
        return new SampleQueue(context.sample_fmt(), context.ch_layout(), context.sample_rate());
    }

    /** The decoder configuration the encoder made (OpusHead, AudioSpecificConfig), copied into a new buffer. */
    ByteBuf config(ByteBufAllocator alloc) {
        int length = context.extradata_size();
        ByteBuf config = alloc.buffer(length);
        config.writeBytes(context.extradata().capacity(length).asByteBuffer());
        return config;
    }

    /** Encodes every whole frame {@code queue} holds, handing each packet made to {@code sink}. */
    void encode(SampleQueue queue, EncodedPackets.Sink sink) throws TranscodeException {
        int frameSize = frameSize();
        while (queue.size() >= frameSize) {
            // A no-op unless the encoder still holds the last frame's buffer.
            TranscodeException.check(av_frame_make_writable(frame), "av_frame_make_writable");
            queue.read(frame);
            frame.pts(nextPts);
            nextPts += frameSize;
            EncodedPackets.encode(context, frame, packet, sink);
        }
    }

    @Override
    public void close() {
        av_frame_free(frame);
        av_packet_free(packet);
        avcodec_free_context(context);
    }
}

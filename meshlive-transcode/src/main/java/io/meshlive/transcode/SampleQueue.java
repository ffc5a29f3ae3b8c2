package io.meshlive.transcode;

import org.bytedeco.ffmpeg.avutil.AVAudioFifo;
import org.bytedeco.ffmpeg.avutil.AVChannelLayout;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.swresample.SwrContext;
import org.bytedeco.javacpp.PointerPointer;

import static org.bytedeco.ffmpeg.global.avutil.AVERROR_ENOMEM;
import static org.bytedeco.ffmpeg.global.avutil.av_audio_fifo_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_audio_fifo_free;
import static org.bytedeco.ffmpeg.global.avutil.av_audio_fifo_read;
import static org.bytedeco.ffmpeg.global.avutil.av_audio_fifo_size;
import static org.bytedeco.ffmpeg.global.avutil.av_audio_fifo_write;
import static org.bytedeco.ffmpeg.global.avutil.av_channel_layout_compare;
import static org.bytedeco.ffmpeg.global.avutil.av_channel_layout_copy;
import static org.bytedeco.ffmpeg.global.avutil.av_channel_layout_uninit;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_get_buffer;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_unref;
import static org.bytedeco.ffmpeg.global.swresample.swr_alloc_set_opts2;
import static org.bytedeco.ffmpeg.global.swresample.swr_convert;
import static org.bytedeco.ffmpeg.global.swresample.swr_free;
import static org.bytedeco.ffmpeg.global.swresample.swr_get_delay;
import static org.bytedeco.ffmpeg.global.swresample.swr_get_out_samples;
import static org.bytedeco.ffmpeg.global.swresample.swr_init;

/**
 * Decoded audio converted to the encoder's sample format, rate and channel layout (swresample),
 * queued (AVAudioFifo) until the encoder can take a whole frame. Positions count the samples
 * written since the queue was made, in the encoder's rate.
 *
 * <p>The resampler follows its input: when decoded frames change format, rate or layout (a new
 * decoder configuration), the old resampler is drained into the queue and a new one made.
 */
final class SampleQueue implements AutoCloseable {
    private final int format;
    private final AVChannelLayout layout = new AVChannelLayout();
    private final int sampleRate;
    private final AVAudioFifo fifo;
    /** Holds what one conversion produces; grown, never shrunk. */
    private final AVFrame converted = av_frame_alloc();
    private final AVChannelLayout inputLayout = new AVChannelLayout();
    private int inputFormat = -1;
    private int inputRate;
    private SwrContext resampler;
    private long written;

    SampleQueue(int format, AVChannelLayout layout, int sampleRate) throws TranscodeException {
        this.format = format;
        this.sampleRate = sampleRate;
        TranscodeException.check(av_channel_layout_copy(this.layout, layout), "av_channel_layout_copy");
        this.fifo = av_audio_fifo_alloc(format, layout.nb_channels(), sampleRate / 10);
        if (fifo == null) {
            close();
            throw new TranscodeException("av_audio_fifo_alloc", AVERROR_ENOMEM());
        }
    }

    /** Converts {@code frame} and queues the result. */
    void write(AVFrame frame) throws TranscodeException {
        if (resampler == null || frame.format() != inputFormat || frame.sample_rate() != inputRate
                || av_channel_layout_compare(frame.ch_layout(), inputLayout) != 0) {
            reopenResampler(frame);
        }
        convert(frame.extended_data(), frame.nb_samples());
    }

    /** Where the next input sample will land: samples written plus those the resampler holds back. */
    long nextPosition() {
        return resampler == null ? written : written + swr_get_delay(resampler, sampleRate);
    }

    /** Samples queued for the encoder. */
    int size() {
        return av_audio_fifo_size(fifo);
    }

    /** Moves {@code frame.nb_samples()} queued samples into {@code frame}'s (writable) buffers. */
    void read(AVFrame frame) throws TranscodeException {
        int wanted = frame.nb_samples();
        int got = TranscodeException.check(av_audio_fifo_read(fifo, frame.extended_data(), wanted), "av_audio_fifo_read");
        if (got != wanted) {
            throw new IllegalStateException("read " + got + " of " + wanted + " queued samples");
        }
    }

    private void reopenResampler(AVFrame frame) throws TranscodeException {
        if (resampler != null) {
            convert(null, 0); // drains what the old resampler still holds
            swr_free(resampler);
            resampler = null;
        }
        SwrContext made = new SwrContext();
        TranscodeException.check(swr_alloc_set_opts2(made, layout, format, sampleRate,
                frame.ch_layout(), frame.format(), frame.sample_rate(), 0, null), "swr_alloc_set_opts2");
        resampler = made;
        TranscodeException.check(swr_init(resampler), "swr_init");
        TranscodeException.check(av_channel_layout_copy(inputLayout, frame.ch_layout()), "av_channel_layout_copy");
        inputFormat = frame.format();
        inputRate = frame.sample_rate();
    }

    /** Resamples {@code count} input samples (none: drain) into the queue. */
    private void convert(PointerPointer<?> input, int count) throws TranscodeException {
        int room = TranscodeException.check(swr_get_out_samples(resampler, count), "swr_get_out_samples");
        if (room > converted.nb_samples()) {
            av_frame_unref(converted);
            converted.format(format).sample_rate(sampleRate).nb_samples(room);
            TranscodeException.check(av_channel_layout_copy(converted.ch_layout(), layout), "av_channel_layout_copy");
            TranscodeException.check(av_frame_get_buffer(converted, 0), "av_frame_get_buffer");
        }
        int made = TranscodeException.check(
                swr_convert(resampler, converted.extended_data(), converted.nb_samples(), input, count), "swr_convert");
        if (made > 0) {
            TranscodeException.check(av_audio_fifo_write(fifo, converted.extended_data(), made), "av_audio_fifo_write");
            written += made;
        }
    }

    @Override
    public void close() {
        if (resampler != null) {
            swr_free(resampler); // takes SwrContext**: a null Java reference would be dereferenced
        }
        av_audio_fifo_free(fifo);
        av_frame_free(converted);
        av_channel_layout_uninit(layout);
        av_channel_layout_uninit(inputLayout);
        layout.close();
        inputLayout.close();
    }
}

package io.meshlive.transcode;

import io.meshlive.testkit.Ffmpeg;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ShortBuffer;

/** Interleaved signed 16-bit samples, as ffmpeg decoded them, and what a test measures on them. */
record Pcm(byte[] bytes, int sampleRate, int channels) {
    /** {@code file}'s audio decoded by ffmpeg at its own rate and channel count. */
    static Pcm decode(java.nio.file.Path file) {
        int channels = Integer.parseInt(Ffmpeg.probeAudio(file, "channels"));
        int rate = Integer.parseInt(Ffmpeg.probeAudio(file, "sample_rate"));
        return new Pcm(Ffmpeg.decodeToS16(file), rate, channels);
    }

    private ShortBuffer samples() {
        return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer();
    }

    int frames() {
        return bytes.length / 2 / channels;
    }

    double seconds() {
        return (double) frames() / sampleRate;
    }

    /**
     * The tone's frequency in {@code channel}: upward zero crossings per second, counted from
     * {@code skipSeconds} in to {@code skipSeconds} before the end, clear of codec start-up and tail.
     */
    double frequency(int channel, double skipSeconds) {
        ShortBuffer s = samples();
        int from = (int) (skipSeconds * sampleRate);
        int to = frames() - from;
        int crossings = 0;
        int first = -1;
        int last = -1;
        for (int i = from + 1; i < to; i++) {
            if (s.get((i - 1) * channels + channel) < 0 && s.get(i * channels + channel) >= 0) {
                crossings++;
                last = i;
                if (first < 0) {
                    first = i;
                }
            }
        }
        return crossings < 2 ? 0 : (crossings - 1) * (double) sampleRate / (last - first);
    }

    /** Root mean square of {@code channel} over the same span, in 16-bit units. */
    double rms(int channel, double skipSeconds) {
        ShortBuffer s = samples();
        int from = (int) (skipSeconds * sampleRate);
        int to = frames() - from;
        double sum = 0;
        for (int i = from; i < to; i++) {
            double v = s.get(i * channels + channel);
            sum += v * v;
        }
        return to > from ? Math.sqrt(sum / (to - from)) : 0;
    }
}

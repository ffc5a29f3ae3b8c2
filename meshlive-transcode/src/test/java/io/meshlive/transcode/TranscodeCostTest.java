package io.meshlive.transcode;

import io.meshlive.testkit.Ffmpeg;
import io.meshlive.media.Codec;
import io.meshlive.media.Frame;
import io.netty.buffer.ByteBufAllocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a transcoder costs: CPU time of the calling thread per second of audio (after a warm-up
 * run), and how long a sample waits inside it: from the end of the input frame that completed an
 * output packet back to the end of that packet's samples on the input timeline, which counts the
 * queue's wait for a whole encoder frame and the encoder's look-ahead.
 */
class TranscodeCostTest {
    private static final double SECONDS = 10;
    /** A tenth of a core: far above what either direction needs, far below a runaway. */
    private static final long MAX_CPU_NANOS_PER_AUDIO_SECOND = 100_000_000;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    @TempDir
    Path dir;

    @Test
    void aacToOpus() throws Exception {
        AdtsFile aac = AdtsFile.parse(Files.readAllBytes(Ffmpeg.aacSine(dir.resolve("in.aac"), 44_100, 2, SECONDS)));
        measure("AAC 44.1 kHz stereo -> Opus", () -> AudioTranscoder.toOpus(Codec.AAC, ByteBufAllocator.DEFAULT),
                start -> AudioTranscoderTest.aacFrames(aac, start), aac.frameMicros(), 20_000);
    }

    @Test
    void opusToAac() throws Exception {
        OggOpus opus = OggOpus.parse(Files.readAllBytes(Ffmpeg.opusSine(dir.resolve("in.opus"), 2, SECONDS)));
        measure("Opus 48 kHz stereo -> AAC", () -> AudioTranscoder.toAac(Codec.OPUS, ByteBufAllocator.DEFAULT),
                start -> AudioTranscoderTest.opusFrames(opus, true), 20_000, 1024 * 1_000_000L / 48_000);
    }

    private static void measure(String what, Supplier<AudioTranscoder> make, Function<Long, List<Frame>> input,
                                long inputFrameMicros, long outputFrameMicros) throws TranscodeException {
        run(make, input.apply(0L), inputFrameMicros, outputFrameMicros); // warm-up: JIT, native libraries
        Result result = run(make, input.apply(0L), inputFrameMicros, outputFrameMicros);
        long nanosPerSecond = (long) (result.cpuNanos / SECONDS);
        System.out.printf("%s: %.2f ms CPU per second of audio; a sample waits %.1f ms on average, %.1f ms at most;"
                        + " first output after %.1f ms of input%n", what, nanosPerSecond / 1e6,
                result.totalWaitMicros / 1e3 / result.packets, result.maxWaitMicros / 1e3, result.firstOutputAfterMicros / 1e3);
        assertThat(nanosPerSecond).isLessThan(MAX_CPU_NANOS_PER_AUDIO_SECOND);
        assertThat(result.maxWaitMicros).as("never more than a frame each way plus look-ahead")
                .isLessThan(inputFrameMicros + 2 * outputFrameMicros);
    }

    private static final class Result {
        long cpuNanos;
        long packets;
        long totalWaitMicros;
        long maxWaitMicros;
        long firstOutputAfterMicros = -1;
        long inputEnd;
    }

    private static Result run(Supplier<AudioTranscoder> make, List<Frame> in, long inputFrameMicros,
                              long outputFrameMicros) throws TranscodeException {
        Result result = new Result();
        long firstDts = in.get(0).dts();
        try (AudioTranscoder transcoder = make.get()) {
            long cpuBefore = THREADS.getCurrentThreadCpuTime();
            for (Frame frame : in) {
                result.inputEnd = frame.dts() + inputFrameMicros;
                transcoder.push(frame, out -> {
                    if (!out.isConfig()) {
                        if (result.firstOutputAfterMicros < 0) {
                            result.firstOutputAfterMicros = result.inputEnd - firstDts;
                        }
                        long wait = result.inputEnd - (out.dts() + outputFrameMicros);
                        result.packets++;
                        result.totalWaitMicros += wait;
                        result.maxWaitMicros = Math.max(result.maxWaitMicros, wait);
                    }
                    out.release();
                });
            }
            result.cpuNanos = THREADS.getCurrentThreadCpuTime() - cpuBefore;
        } finally {
            AudioTranscoderTest.release(in);
        }
        return result;
    }
}

package io.meshlive.transcode;

import io.meshlive.testkit.Ffmpeg;
import io.meshlive.media.Codec;
import io.meshlive.media.Frame;
import io.netty.buffer.Unpooled;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The pipe that keeps FFmpeg off the I/O loops: real AAC through FFmpeg on a transcoding thread,
 * the Opus handed back on the owner's loop.
 */
class AudioPipeTest {
    private static final long START_DTS = 5_000_000;
    private static final long OPUS_FRAME_MICROS = 20_000;

    @TempDir
    Path dir;

    private final EventLoop loop = new DefaultEventLoop();
    private final ExecutorService worker = Executors.newSingleThreadExecutor();
    /** What the pipe handed out, on the loop only. */
    private final List<Frame> out = new ArrayList<>();
    private volatile int handedOut;
    private volatile boolean offTheLoop;

    @AfterEach
    void stop() throws Exception {
        worker.shutdown();
        assertThat(worker.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        loop.submit(() -> AudioTranscoderTest.release(out)).get(10, TimeUnit.SECONDS);
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private AudioPipe pipe() {
        return new AudioPipe("live/test.opus", Codec.OPUS, worker, loop, f -> {
            offTheLoop |= !loop.inEventLoop();
            out.add(f);
            handedOut = out.size();
        });
    }

    private List<Frame> aac(double seconds) throws Exception {
        return AudioTranscoderTest.aacFrames(AdtsFile.parse(Files.readAllBytes(
                Ffmpeg.aacSine(dir.resolve("in.aac"), 44_100, 2, seconds))), START_DTS);
    }

    /** Pushes on the loop, as a subscriber does, and releases our references. */
    private void pushOnLoop(AudioPipe pipe, List<Frame> frames) throws Exception {
        loop.submit(() -> frames.forEach(pipe::push)).get(10, TimeUnit.SECONDS);
        AudioTranscoderTest.release(frames);
    }

    @Test
    void aacComesBackAsOpusOnTheOwnersLoopInTimelineOrder() throws Exception {
        AudioPipe pipe = pipe();
        List<Frame> in = aac(1);
        int expected = 50 - 2; // a second of 20 ms packets, less the encoder's look-ahead still held
        // Fed in bursts under the queue's bound, as a live source would.
        for (int i = 0; i < in.size(); i += 10) {
            pushOnLoop(pipe, new ArrayList<>(in.subList(i, Math.min(i + 10, in.size()))));
            int before = i;
            await().atMost(Duration.ofSeconds(20)).until(() -> pipe.dropped() > 0 || handedOut >= before / 2);
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> handedOut >= expected);

        List<Frame> got = loop.submit(() -> List.copyOf(out)).get(10, TimeUnit.SECONDS);
        assertThat(offTheLoop).as("a frame handed out off the owner's loop").isFalse();
        assertThat(pipe.dropped()).isZero();
        assertThat(got.get(0).isConfig()).isTrue();
        assertThat(got.get(0).codec()).isEqualTo(Codec.OPUS);
        List<Frame> media = got.subList(1, got.size());
        for (int i = 0; i < media.size(); i++) {
            assertThat(media.get(i).dts()).as("packet %d", i).isEqualTo(START_DTS + i * OPUS_FRAME_MICROS);
        }
        loop.submit(pipe::close).get(10, TimeUnit.SECONDS);
    }

    @Test
    void framesPastTheQueuesBoundAreDroppedAndCounted() throws Exception {
        CountDownLatch stuck = new CountDownLatch(1);
        worker.execute(() -> {
            try {
                stuck.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        AudioPipe pipe = pipe();
        List<Frame> in = aac(7); // about 301 frames: more than the queue takes
        pushOnLoop(pipe, in);
        assertThat(pipe.dropped()).isEqualTo(in.size() - AudioPipe.MAX_QUEUED);
        stuck.countDown();
        await().atMost(Duration.ofSeconds(20)).until(() -> handedOut > 0);
        loop.submit(pipe::close).get(10, TimeUnit.SECONDS);
    }

    @Test
    void nothingIsHandedOutOnceClosedAndEveryFrameIsReleased() throws Exception {
        AudioPipe pipe = pipe();
        List<Frame> in = aac(0.5);
        loop.submit(() -> {
            in.forEach(pipe::push);
            pipe.close();
        }).get(10, TimeUnit.SECONDS);
        AudioTranscoderTest.release(in);
        worker.submit(() -> { }).get(20, TimeUnit.SECONDS); // the transcoding thread is through the queue
        loop.submit(() -> { }).get(10, TimeUnit.SECONDS); // and the loop through what it handed back
        assertThat(handedOut).isZero();
        pipe.push(Frame.media(Codec.AAC, 0, 0, true, Unpooled.wrappedBuffer(new byte[] {1}), 0)); // ignored, not kept
    }

    @Test
    void aCodecItCannotDecodeIsSkippedUntilTheSourceChangesToOneItCan() throws Exception {
        AudioPipe pipe = pipe();
        List<Frame> unknown = List.of(Frame.media(Codec.H264, START_DTS, START_DTS, true,
                Unpooled.wrappedBuffer(new byte[] {0, 0, 0, 1, 0x65}), System.nanoTime()));
        pushOnLoop(pipe, new ArrayList<>(unknown));
        worker.submit(() -> { }).get(20, TimeUnit.SECONDS);
        loop.submit(() -> { }).get(10, TimeUnit.SECONDS);
        assertThat(handedOut).isZero();

        pushOnLoop(pipe, aac(0.5)); // about 22 frames: within the bound
        await().atMost(Duration.ofSeconds(20)).until(() -> handedOut > 0);
        loop.submit(pipe::close).get(10, TimeUnit.SECONDS);
    }
}

package io.meshlive.webrtc;

import io.meshlive.core.PublishOutcome;
import io.meshlive.core.Session;
import io.meshlive.core.Stream;
import io.meshlive.core.StreamKey;
import io.meshlive.core.StreamRegistry;
import io.meshlive.media.Codec;
import io.meshlive.media.Frame;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The stream the node's warm-up viewers play ({@link WarmUpViewers}): H.264 at 30 fps with a
 * keyframe a second and Opus every 20 ms, about 600 kbit/s in all, published at a live stream's
 * pace into a hub of the warm-up's own. The slices are zeros behind real NAL headers: a viewer
 * packetizes and encrypts what it is given and never decodes it, so only the sizes and the pace
 * matter.
 */
final class WarmUpStream extends Session {
    static final StreamKey KEY = new StreamKey("warm-up", "self");
    /** A 640x360 High-profile encoder's SPS and PPS, as an AVCDecoderConfigurationRecord. */
    private static final byte[] AVC_CONFIG = ByteBufUtil.decodeHexDump(
            "0164000cffe1001a6764000cacd941419f9f011000000300100000030320f142996001000668eae0c4b22cfdf8f800");
    private static final long VIDEO_FRAME_MICROS = 1_000_000 / 30;
    private static final int FRAMES_PER_KEYFRAME = 30;
    private static final int KEYFRAME_BYTES = 12_000;
    private static final int FRAME_BYTES = 2_000;
    private static final long AUDIO_FRAME_MICROS = 20_000;
    private static final int OPUS_BYTES = 120;
    /** Opus TOC byte: CELT fullband, 20 ms, stereo, one frame (RFC 6716 §3.1). */
    private static final int OPUS_TOC = 0xfc;
    private static final int NAL_IDR = 5;
    private static final int NAL_SLICE = 1;
    private static final long TICK_MILLIS = 10;

    private final EventLoop loop;
    private final ByteBufAllocator alloc = ByteBufAllocator.DEFAULT;

    // Loop-confined.
    private Stream live;
    private ScheduledFuture<?> ticker;
    private long startedNanos;
    private long videoFrames;
    private long audioFrames;

    WarmUpStream(EventLoop loop) {
        super("warm-up", Role.PUBLISHER, "127.0.0.1");
        this.loop = loop;
        this.stream = KEY;
    }

    /** Becomes the publisher of {@link #KEY} in {@code streams} and starts publishing; completes once the config is out. */
    CompletableFuture<Void> start(StreamRegistry streams) {
        CompletableFuture<Void> started = new CompletableFuture<>();
        loop.execute(() -> {
            StreamRegistry.Attached attached = streams.attachPublisher(KEY, this);
            if (attached.outcome() == PublishOutcome.BUSY) {
                started.completeExceptionally(new IllegalStateException("the warm-up stream already has a publisher"));
                return;
            }
            live = attached.stream();
            startedNanos = System.nanoTime();
            live.publish(Frame.config(Codec.H264, 0, alloc.directBuffer(AVC_CONFIG.length).writeBytes(AVC_CONFIG), startedNanos));
            ticker = loop.scheduleAtFixedRate(this::tick, 0, TICK_MILLIS, TimeUnit.MILLISECONDS);
            started.complete(null);
        });
        return started;
    }

    /** Publishes every frame due by now, as a publisher's read would, then ends the batch. */
    private void tick() {
        long now = System.nanoTime();
        long elapsedMicros = (now - startedNanos) / 1_000;
        while (videoFrames * VIDEO_FRAME_MICROS <= elapsedMicros) {
            boolean keyframe = videoFrames % FRAMES_PER_KEYFRAME == 0;
            long dts = videoFrames * VIDEO_FRAME_MICROS;
            live.publish(Frame.media(Codec.H264, dts, dts, keyframe, slice(keyframe ? NAL_IDR : NAL_SLICE,
                    keyframe ? KEYFRAME_BYTES : FRAME_BYTES), now));
            videoFrames++;
        }
        while (audioFrames * AUDIO_FRAME_MICROS <= elapsedMicros) {
            long dts = audioFrames * AUDIO_FRAME_MICROS;
            live.publish(Frame.media(Codec.OPUS, dts, dts, true, alloc.directBuffer(OPUS_BYTES).writeByte(OPUS_TOC).writeZero(OPUS_BYTES - 1), now));
            audioFrames++;
        }
        live.endOfBatch();
    }

    /** One NAL unit in AVCC form (a 4-byte length first), {@code size} bytes with its header. */
    private ByteBuf slice(int nalType, int size) {
        return alloc.directBuffer(4 + size).writeInt(size).writeByte(0x60 | nalType).writeZero(size - 1);
    }

    /** Stops publishing; the stream closes once its viewers have gone. Any thread. */
    void stop() {
        loop.execute(() -> close("warm-up done"));
    }

    @Override
    public void close(String reason) {
        if (ticker != null) {
            ticker.cancel(false);
            ticker = null;
        }
        if (live != null) {
            live.detachPublisher(this);
            live = null;
        }
    }
}

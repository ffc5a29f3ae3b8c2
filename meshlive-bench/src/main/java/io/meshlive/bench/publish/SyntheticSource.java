package io.meshlive.bench.publish;

import io.meshlive.rtmp.amf.Amf0Writer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A stream that looks real to a server and costs nothing to make: onMetaData, a genuine AVC
 * configuration for the size and an AAC-LC one, then H.264 frames of noise sized to the bit rate
 * (one length-prefixed NAL unit each, a keyframe every GOP) and 200-byte AAC frames every 1024
 * samples at 44.1 kHz. Nothing downstream decodes, so the noise never shows.
 */
final class SyntheticSource implements MediaSource {
    private static final int AUDIO_RATE = 44100;
    private static final int SAMPLES_PER_AUDIO_FRAME = 1024;
    private static final int AUDIO_FRAME_BYTES = 200;
    /** A keyframe weighs as much as this many inter frames, roughly what x264 gives a still-ish scene. */
    private static final int KEYFRAME_WEIGHT = 8;
    /** FLV video header (5) + NAL length (4) + NAL header (1). */
    private static final int VIDEO_OVERHEAD = 10;
    /** AAC-LC, 44.1 kHz, stereo. */
    private static final byte[] AUDIO_SPECIFIC_CONFIG = {0x12, 0x10};
    private static final byte[] NOISE = noise(1 << 20);

    private final ByteBufAllocator alloc;
    private final SyntheticStream spec;
    private final int interFrameBytes;
    private final int keyframeBytes;
    private int preamble;
    private long videoFrames;
    private long audioFrames;
    private int noiseAt;

    SyntheticSource(ByteBufAllocator alloc, SyntheticStream spec) {
        this.alloc = alloc;
        this.spec = spec;
        long gopBytes = spec.videoBitrate() / 8 * spec.gop() / spec.fps();
        this.interFrameBytes = (int) Math.max(VIDEO_OVERHEAD, gopBytes / (spec.gop() - 1 + KEYFRAME_WEIGHT));
        this.keyframeBytes = spec.gop() == 1 ? (int) Math.max(VIDEO_OVERHEAD, gopBytes) : interFrameBytes * KEYFRAME_WEIGHT;
    }

    private static byte[] noise(int size) {
        byte[] b = new byte[size];
        new SplittableRandom(20240611).nextBytes(b);
        return b;
    }

    @Override
    public MediaTag next() {
        switch (preamble++) {
            case 0 -> {
                return new MediaTag(MediaTag.DATA, 0, metadata());
            }
            case 1 -> {
                byte[] record = AvcConfig.record(spec.size(), spec.fps());
                ByteBuf body = alloc.buffer(5 + record.length).writeByte(0x17).writeByte(0).writeMedium(0).writeBytes(record);
                return new MediaTag(MediaTag.VIDEO, 0, body);
            }
            case 2 -> {
                return new MediaTag(MediaTag.AUDIO, 0, alloc.buffer(4).writeByte(0xAF).writeByte(0).writeBytes(AUDIO_SPECIFIC_CONFIG));
            }
            default -> {
                long videoTime = videoFrames * 1000 / spec.fps();
                long audioTime = audioFrames * SAMPLES_PER_AUDIO_FRAME * 1000 / AUDIO_RATE;
                return videoTime <= audioTime ? video(videoTime) : audio(audioTime);
            }
        }
    }

    private MediaTag video(long timestamp) {
        boolean keyframe = videoFrames++ % spec.gop() == 0;
        int size = keyframe ? keyframeBytes : interFrameBytes;
        ByteBuf body = alloc.buffer(size)
                .writeByte(keyframe ? 0x17 : 0x27).writeByte(1).writeMedium(0) // AVC NALU, composition time 0
                .writeInt(size - 9)
                .writeByte(keyframe ? 0x65 : 0x41); // IDR slice, or a referenced non-IDR slice
        return new MediaTag(MediaTag.VIDEO, timestamp, writeNoise(body, size - VIDEO_OVERHEAD));
    }

    private MediaTag audio(long timestamp) {
        audioFrames++;
        ByteBuf body = alloc.buffer(2 + AUDIO_FRAME_BYTES).writeByte(0xAF).writeByte(1); // AAC raw
        return new MediaTag(MediaTag.AUDIO, timestamp, writeNoise(body, AUDIO_FRAME_BYTES));
    }

    private ByteBuf writeNoise(ByteBuf body, int n) {
        while (n > 0) {
            int take = Math.min(n, NOISE.length - noiseAt);
            body.writeBytes(NOISE, noiseAt, take);
            noiseAt = (noiseAt + take) % NOISE.length;
            n -= take;
        }
        return body;
    }

    private ByteBuf metadata() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("duration", 0.0);
        m.put("width", (double) spec.size().width());
        m.put("height", (double) spec.size().height());
        m.put("videodatarate", spec.videoBitrate() / 1000.0);
        m.put("framerate", (double) spec.fps());
        m.put("videocodecid", 7.0);
        m.put("audiodatarate", AUDIO_FRAME_BYTES * 8.0 * AUDIO_RATE / SAMPLES_PER_AUDIO_FRAME / 1000);
        m.put("audiosamplerate", (double) AUDIO_RATE);
        m.put("audiosamplesize", 16.0);
        m.put("stereo", true);
        m.put("audiocodecid", 10.0);
        m.put("encoder", "meshlive-bench synthetic");
        ByteBuf body = alloc.heapBuffer(512);
        Amf0Writer.writeString(body, "onMetaData");
        Amf0Writer.writeEcmaArray(body, m);
        return body;
    }

    @Override
    public int loops() {
        return 0;
    }
}

package io.meshlive.testkit;

import java.util.ArrayList;
import java.util.List;

/**
 * A synthetic source made by ffmpeg itself, so no media file is committed: lavfi's testsrc2 as
 * H.264 (libx264) and a 440 Hz sine as AAC, at {@link #WIDTH}x{@link #HEIGHT}, {@link #FPS} fps.
 *
 * @param gopFrames    keyframe interval, in frames
 * @param videoBitrate libx264 target bit rate (e.g. "1500k"), or null for its default quality mode
 * @param noisy        add per-frame noise, which x264 cannot compress: a big stream for a given size
 * @param bFrames      encode as files usually are (B-frames, so composition offsets) instead of
 *                     the zero-latency live tuning
 * @param width        picture width ({@link #WIDTH} unless {@link #withSize} says otherwise)
 * @param height       picture height
 * @param audioCodec   ffmpeg's audio encoder: aac, or libmp3lame for a source browsers cannot play
 */
public record TestPattern(int gopFrames, String videoBitrate, boolean noisy, boolean bFrames, int width, int height, String audioCodec) {
    public static final int WIDTH = 640;
    public static final int HEIGHT = 360;
    public static final int FPS = 30;
    public static final int SAMPLE_RATE = 44100;

    /** One keyframe a second, live tuning. */
    public static TestPattern live() {
        return new TestPattern(FPS, null, false, false, WIDTH, HEIGHT, "aac");
    }

    public TestPattern withGop(int frames) {
        return new TestPattern(frames, videoBitrate, noisy, bFrames, width, height, audioCodec);
    }

    /** Noise at a fixed bit rate: a stream that fills socket buffers quickly. */
    public TestPattern heavy(String bitrate) {
        return new TestPattern(gopFrames, bitrate, true, bFrames, width, height, audioCodec);
    }

    /** Like a typical mp4: B-frames and no zero-latency tuning. */
    public TestPattern fileLike() {
        return new TestPattern(gopFrames, videoBitrate, noisy, true, width, height, audioCodec);
    }

    /** The same pattern at another picture size (a 1280x720 source for a transcoding ladder). */
    public TestPattern withSize(int w, int h) {
        return new TestPattern(gopFrames, videoBitrate, noisy, bFrames, w, h, audioCodec);
    }

    /** The same pattern with another audio encoder (e.g. libmp3lame). */
    public TestPattern withAudio(String encoder) {
        return new TestPattern(gopFrames, videoBitrate, noisy, bFrames, width, height, encoder);
    }

    /** The two lavfi inputs; {@code realTime} paces them at their native rate (-re), as a live encoder is. */
    public List<String> inputs(boolean realTime) {
        List<String> args = new ArrayList<>();
        String video = "testsrc2=size=" + width + "x" + height + ":rate=" + FPS;
        for (String source : List.of(video, "sine=frequency=440:sample_rate=" + SAMPLE_RATE)) {
            if (realTime) {
                args.add("-re");
            }
            args.addAll(List.of("-f", "lavfi", "-i", source));
        }
        return args;
    }

    /** Output codec options for both tracks. */
    public List<String> encoding() {
        List<String> args = new ArrayList<>();
        if (noisy) {
            args.addAll(List.of("-vf", "noise=alls=60:allf=t"));
        }
        args.addAll(List.of("-c:v", "libx264", "-pix_fmt", "yuv420p", "-g", String.valueOf(gopFrames)));
        args.addAll(bFrames ? List.of("-preset", "veryfast") : List.of("-preset", "ultrafast", "-tune", "zerolatency"));
        if (videoBitrate != null) {
            args.addAll(List.of("-b:v", videoBitrate, "-maxrate", videoBitrate, "-bufsize", videoBitrate));
        }
        args.addAll(List.of("-c:a", audioCodec, "-b:a", "64k"));
        return args;
    }
}

package io.meshlive.transcode.snapshot;

import io.meshlive.media.Codec;
import io.meshlive.transcode.TranscodeException;
import io.netty.buffer.ByteBuf;
import org.bytedeco.ffmpeg.avutil.AVFrame;

/**
 * A keyframe in, a JPEG out: decode, scale, encode. Blocks for a few milliseconds of CPU, so it
 * runs on a thread of its own, never on an event loop. Thread-safe: every call has its own
 * decoder and encoder.
 */
public final class SnapshotMaker {
    /** The smallest width asked for that is honoured; below it a picture shows nothing useful. */
    public static final int MIN_WIDTH = 16;

    private final JpegEncoder encoder;

    /** {@code quality} 1-100, as {@link JpegEncoder}. */
    public SnapshotMaker(int quality) {
        this.encoder = new JpegEncoder(quality);
    }

    /**
     * Decodes {@code keyframe} of {@code codec} with its {@code config} record (both left the
     * caller's) and encodes it as JPEG, {@code width} pixels wide with the source's aspect ratio,
     * or at the source's size when {@code width} is 0 or wider than the source (never upscaled).
     *
     * @throws TranscodeException when the keyframe cannot be decoded (corrupt, unsupported codec)
     */
    public Snapshot make(Codec codec, ByteBuf config, ByteBuf keyframe, int width) throws TranscodeException {
        try (KeyframeDecoder decoder = KeyframeDecoder.open(codec, config);
             PictureScaler scaler = new PictureScaler()) {
            AVFrame picture = decoder.decode(keyframe);
            int outWidth = width <= 0 || width >= picture.width() ? picture.width() : Math.max(MIN_WIDTH, width & ~1);
            int outHeight = Math.max(2, (int) Math.round((double) picture.height() * outWidth / picture.width() / 2) * 2);
            return new Snapshot(encoder.encode(scaler.scale(picture, outWidth, outHeight)), outWidth, outHeight);
        }
    }
}

package io.meshlive.transcode.video;

/**
 * The H.264 encoders a ladder can use: libopenh264 in the LGPL FFmpeg build the server ships
 * with, libx264 only in a build made with {@code -Pgpl}.
 */
public enum VideoEncoderKind {
    OPENH264("libopenh264"),
    X264("libx264");

    private final String ffmpegName;

    VideoEncoderKind(String ffmpegName) {
        this.ffmpegName = ffmpegName;
    }

    /** The avcodec encoder name. */
    public String ffmpegName() {
        return ffmpegName;
    }
}

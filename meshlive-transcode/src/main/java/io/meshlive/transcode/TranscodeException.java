package io.meshlive.transcode;

import org.bytedeco.javacpp.BytePointer;

import static org.bytedeco.ffmpeg.global.avutil.av_strerror;

/** A transcoder could not be set up or could not go on: what failed, with FFmpeg's own error string. */
public final class TranscodeException extends Exception {
    private static final int ERROR_STRING_SIZE = 128;

    public TranscodeException(String message) {
        super(message);
    }

    /** {@code what} failed with FFmpeg error {@code errnum} (a negative AVERROR). */
    public TranscodeException(String what, int errnum) {
        super(what + ": " + describe(errnum) + " (" + errnum + ")");
    }

    /** {@code ret} when it is not an error, else the exception naming {@code what} failed. */
    public static int check(int ret, String what) throws TranscodeException {
        if (ret < 0) {
            throw new TranscodeException(what, ret);
        }
        return ret;
    }

    static String describe(int errnum) {
        try (BytePointer text = new BytePointer(ERROR_STRING_SIZE)) {
            return av_strerror(errnum, text, ERROR_STRING_SIZE) < 0 ? "unknown error" : text.getString();
        }
    }
}

package io.meshlive.transcode;

import java.nio.charset.StandardCharsets;

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
        // A byte array, not a BytePointer: BytePointer.getString() reads up to its limit, past the NUL.
        byte[] text = new byte[ERROR_STRING_SIZE];
        if (av_strerror(errnum, text, ERROR_STRING_SIZE) < 0) {
            return "unknown error";
        }
        int end = 0;
        while (end < text.length && text[end] != 0) {
            end++;
        }
        return new String(text, 0, end, StandardCharsets.UTF_8);
    }
}

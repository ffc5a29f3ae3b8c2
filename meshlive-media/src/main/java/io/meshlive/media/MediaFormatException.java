package io.meshlive.media;

/**
 * Input that does not follow the format it claims to: a truncated header, a count larger than the
 * bytes behind it, a reserved value. The message names the structure and what was wrong with it,
 * because it usually ends up as the reason a publishing session was closed.
 */
public class MediaFormatException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public MediaFormatException(String message) {
        super(message);
    }

    /**
     * No stack trace: a publisher can send a bad tag per frame, and the message alone says what was
     * wrong; filling a trace for each was most of the cost of refusing one.
     */
    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}

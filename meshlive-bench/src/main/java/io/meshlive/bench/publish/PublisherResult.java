package io.meshlive.bench.publish;

import io.meshlive.bench.StreamUrl;

/** What one publisher had sent at one moment; {@code reason} says why it ended, if it did. */
public record PublisherResult(StreamUrl url, State state, String reason, long videoFrames, long audioFrames,
                              long bytes, int loops, long sampledAtNanos) {
    public enum State { CONNECTING, PUBLISHING, ENDED }

    public boolean publishing() {
        return state == State.PUBLISHING;
    }

    /** Never got to publish, or was cut off (not by the bench, nor by the end of its file). */
    public boolean failed() {
        return state == State.CONNECTING
                || state == State.ENDED && !Publisher.FILE_ENDED.equals(reason) && !Publisher.STOPPED.equals(reason);
    }
}

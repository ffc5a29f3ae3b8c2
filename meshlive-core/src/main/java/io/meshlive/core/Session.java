package io.meshlive.core;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A publisher or viewer connection, as the operator sees it: what, who, how much. Counters are
 * written only by the session's own event loop and read by stats without locks.
 */
public abstract class Session {
    public enum Role { PUBLISHER, VIEWER }

    private static final AtomicLong NEXT_ID = new AtomicLong(1);

    private final long id = NEXT_ID.getAndIncrement();
    private final String protocol;
    private final Role role;
    private final String remoteAddress;
    private final long startedMillis = System.currentTimeMillis();
    protected volatile StreamKey stream;
    protected long bytesIn;
    protected long bytesOut;

    protected Session(String protocol, Role role, String remoteAddress) {
        this.protocol = protocol;
        this.role = role;
        this.remoteAddress = remoteAddress;
    }

    public final long id() {
        return id;
    }

    public final String protocol() {
        return protocol;
    }

    public final Role role() {
        return role;
    }

    public final String remoteAddress() {
        return remoteAddress;
    }

    public final long startedMillis() {
        return startedMillis;
    }

    public final StreamKey stream() {
        return stream;
    }

    public long bytesIn() {
        return bytesIn;
    }

    public long bytesOut() {
        return bytesOut;
    }

    /** Frames this session did not send because it was behind its latency budget. */
    public long skippedFrames() {
        return 0;
    }

    /**
     * Protocol-specific figures for the operator (a WebRTC viewer's reported loss and jitter, its
     * NACKs...), shown with the session in the API. Read racily from another thread, like the
     * counters; empty by default.
     */
    public java.util.Map<String, Object> details() {
        return java.util.Map.of();
    }

    /**
     * A viewer lost its picture and asks the source for a new keyframe (WebRTC PLI/FIR). Only a
     * publisher that can make one (a WHIP browser, a transcoder) does anything; an RTMP encoder
     * cannot be asked, so by default this is ignored. Any thread; implementations rate-limit.
     *
     * @return whether the request was passed on
     */
    public boolean requestKeyframe() {
        return false;
    }

    /** Ends the session from any thread, logging the reason once. */
    public abstract void close(String reason);

    @Override
    public String toString() {
        return protocol + " " + role.name().toLowerCase() + " #" + id + " " + remoteAddress
                + (stream == null ? "" : " " + stream);
    }
}

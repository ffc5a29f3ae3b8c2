package io.meshlive.webrtc.datachannel;

/** SCTP payload protocol identifiers of WebRTC data channels (RFC 8831 §8, RFC 8832 §8.1). */
public final class Ppid {
    public static final long DCEP = 50;
    public static final long STRING = 51;
    public static final long BINARY = 53;
    /** An empty message cannot be an SCTP DATA chunk: it goes as one byte (ignored) under these. */
    public static final long STRING_EMPTY = 56;
    public static final long BINARY_EMPTY = 57;

    private Ppid() {
    }

    static boolean isUserMessage(long ppid) {
        return ppid == STRING || ppid == BINARY || ppid == STRING_EMPTY || ppid == BINARY_EMPTY;
    }
}

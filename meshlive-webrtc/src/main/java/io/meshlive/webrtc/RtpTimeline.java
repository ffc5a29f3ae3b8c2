package io.meshlive.webrtc;

/**
 * Turns one incoming track's 32-bit RTP timestamps into the hub's microseconds. The first packet
 * is placed at its arrival time on the peer's clock, so a publisher's audio and video start
 * aligned (to within their network jitter); after that only the RTP clock counts, unwrapped.
 */
final class RtpTimeline {
    private final int clockRate;
    private final long originNanos;
    private boolean started;
    private long lastRtp;
    private long unwrapped;
    private long baseMicros;

    RtpTimeline(int clockRate, long originNanos) {
        this.clockRate = clockRate;
        this.originNanos = originNanos;
    }

    long micros(long rtpTimestamp, long arrivalNanos) {
        if (!started) {
            started = true;
            lastRtp = rtpTimestamp;
            unwrapped = 0;
            baseMicros = (arrivalNanos - originNanos) / 1000;
        } else {
            // The signed 32-bit difference handles both wrap-around and a slightly older timestamp.
            unwrapped += (int) (rtpTimestamp - lastRtp);
            lastRtp = rtpTimestamp;
        }
        return baseMicros + unwrapped * 1_000_000L / clockRate;
    }
}

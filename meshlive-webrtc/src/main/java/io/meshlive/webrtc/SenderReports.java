package io.meshlive.webrtc;

import io.meshlive.media.NtpTime;
import io.meshlive.webrtc.rtcp.RtcpWriter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.util.Map;

/**
 * The RTCP a WHEP viewer sends and reads about its own sending: once a second a sender report
 * for each track that has sent (so the browser can line audio up with video and measure the
 * round trip) with an SDES CNAME, and what the browser's receiver reports say of the video
 * (loss, jitter), for the API. Loop-confined.
 */
final class SenderReports {
    private final OutboundTrack video;
    private final OutboundTrack audio;
    private final String cname;
    private int fractionLost;
    private long jitter;

    /** Either track may be null (not negotiated), not both. */
    SenderReports(OutboundTrack video, OutboundTrack audio, String cname) {
        this.video = video;
        this.audio = audio;
        this.cname = cname;
    }

    /** The compound packet to send now, or null when no track has sent yet. */
    ByteBuf build(ByteBufAllocator alloc, long nowNanos, long nowMillis) {
        ByteBuf rtcp = alloc.directBuffer(128);
        long ntp = NtpTime.fromEpochMillis(nowMillis);
        for (OutboundTrack t : new OutboundTrack[] {video, audio}) {
            if (t != null && t.packets > 0) {
                RtcpWriter.senderReport(rtcp, t.ssrc, ntp, t.timestampNow(nowNanos), t.packets, t.octets);
            }
        }
        if (rtcp.readableBytes() == 0) {
            rtcp.release();
            return null;
        }
        RtcpWriter.sdesCname(rtcp, video != null ? video.ssrc : audio.ssrc, cname);
        return rtcp;
    }

    /** A report block of the browser's about one of our sources. */
    void onReportBlock(long sourceSsrc, int fractionLost, long jitter) {
        if (video != null && sourceSsrc == video.ssrc) {
            this.fractionLost = fractionLost;
            this.jitter = jitter;
        }
    }

    void details(Map<String, Object> m) {
        m.put("fractionLost", fractionLost / 256.0);
        m.put("jitterRtpUnits", jitter);
    }

    @Override
    public String toString() {
        return "last loss " + fractionLost + "/256, jitter " + jitter;
    }
}

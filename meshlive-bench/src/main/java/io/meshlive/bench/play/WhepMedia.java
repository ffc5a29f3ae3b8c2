package io.meshlive.bench.play;

import io.meshlive.media.avc.AvcSps;
import io.meshlive.webrtc.rtp.RtpException;
import io.meshlive.webrtc.rtp.RtpHeader;
import io.meshlive.webrtc.srtp.SrtpContext;
import io.meshlive.webrtc.srtp.SrtpException;
import io.netty.buffer.ByteBuf;

import java.util.BitSet;

/**
 * A WHEP player's media, once DTLS has given the keys: every SRTP and SRTCP packet is decrypted
 * (the work a real player cannot skip) and counted. Video frames are counted from the first
 * keyframe on, one per marker bit; each Opus packet is an audio frame; the video RTP timestamps
 * are the player's media time; each SPS gives the picture size. Confined to the player's event loop.
 */
final class WhepMedia {
    private static final long VIDEO_CLOCK_PER_MILLI = 90;

    private final Player player;
    private final SrtpContext srtp;
    private final BitSet videoPayloadTypes;
    private final RtpLoss videoLoss = new RtpLoss();
    private final RtpLoss audioLoss = new RtpLoss();
    private boolean decodable;
    private long firstVideoTimestamp = -1;
    private long lastVideoTimestamp;
    private long videoMediaTicks;
    private long rtpPackets;
    private long rtcpPackets;
    private long undecryptable;
    private long videoSsrc;
    private int videoWidth;
    private int videoHeight;

    WhepMedia(Player player, SrtpContext srtp, BitSet videoPayloadTypes) {
        this.player = player;
        this.srtp = srtp;
        this.videoPayloadTypes = videoPayloadTypes;
    }

    /** One SRTP or SRTCP datagram, decrypted in place; the caller keeps ownership. */
    void onPacket(ByteBuf packet) {
        try {
            if (RtpHeader.isRtcp(packet)) {
                srtp.unprotectRtcp(packet);
                rtcpPackets++;
            } else if (RtpHeader.looksLikeRtp(packet)) {
                srtp.unprotectRtp(packet);
                rtpPackets++;
                onRtp(packet);
            }
        } catch (SrtpException | RtpException e) {
            undecryptable++;
        }
    }

    private void onRtp(ByteBuf packet) throws RtpException {
        long ssrc = RtpHeader.ssrc(packet);
        int sequence = RtpHeader.sequence(packet);
        if (!videoPayloadTypes.get(RtpHeader.payloadType(packet))) {
            audioLoss.onPacket(ssrc, sequence);
            player.onAudioFrame();
            return;
        }
        videoLoss.onPacket(ssrc, sequence);
        videoSsrc = ssrc;
        // The payload is read in place: no slice per packet, per player.
        int from = packet.readerIndex() + RtpHeader.headerLength(packet);
        int to = packet.writerIndex() - RtpHeader.paddingLength(packet);
        AvcSps sps = H264Payload.sps(packet, from, to);
        if (sps != null) {
            videoWidth = sps.width();
            videoHeight = sps.height();
        }
        if (!decodable) {
            decodable = H264Payload.startsKeyframe(packet, from, to);
            if (!decodable) {
                return;
            }
            player.pictureStarts();
        }
        if (RtpHeader.marker(packet)) {
            player.onVideoFrame();
        }
        advanceMediaTime(RtpHeader.timestamp(packet));
    }

    /** 32-bit RTP timestamps, unwrapped, to milliseconds since the first keyframe. */
    private void advanceMediaTime(long timestamp) {
        if (firstVideoTimestamp < 0) {
            firstVideoTimestamp = timestamp;
            lastVideoTimestamp = timestamp;
        }
        int delta = (int) (timestamp - lastVideoTimestamp);
        if (delta > 0) {
            videoMediaTicks += delta;
            lastVideoTimestamp = timestamp;
        }
        player.mediaTime(videoMediaTicks / VIDEO_CLOCK_PER_MILLI);
    }

    /** The SSRC of the video received, or 0 before any. */
    long videoSsrc() {
        return videoSsrc;
    }

    WhepCounts counts() {
        return new WhepCounts(rtpPackets, videoLoss.lost() + audioLoss.lost(), rtcpPackets, undecryptable,
                videoWidth, videoHeight);
    }
}

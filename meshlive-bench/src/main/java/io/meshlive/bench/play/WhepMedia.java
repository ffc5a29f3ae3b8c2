package io.meshlive.bench.play;

import io.meshlive.media.avc.AvcSps;
import io.meshlive.webrtc.rtp.RtpException;
import io.meshlive.webrtc.rtp.RtpHeader;
import io.meshlive.webrtc.srtp.SrtpContext;
import io.meshlive.webrtc.srtp.SrtpException;
import io.netty.buffer.ByteBuf;

import java.util.BitSet;

/**
 * A WHEP player's media, once DTLS has given the keys. Every packet is counted from its RTP
 * header, which SRTP leaves in the clear: sequence numbers for loss, one video frame per marker
 * bit from the first keyframe on, each Opus packet an audio frame, the video RTP timestamps as
 * the player's media time. Decrypted and authenticated are every SRTCP packet, every video packet
 * until the first keyframe has begun (to find it), then the first packet of each video frame
 * (where a keyframe's SPS, which gives the picture size, comes) and one audio packet in
 * {@value #AUDIO_OPEN_EVERY}. A browser decrypts everything, natively, at a microsecond or so a
 * packet; the bench plays a thousand viewers on one core through the JDK's AES-GCM, several times
 * dearer a packet, and decrypting everything made the bench, not the server, the limit of a
 * thousand-viewer join surge. Confined to the player's event loop.
 */
final class WhepMedia {
    private static final long VIDEO_CLOCK_PER_MILLI = 90;
    static final int AUDIO_OPEN_EVERY = 16;

    private final Player player;
    private final SrtpContext srtp;
    private final BitSet videoPayloadTypes;
    private final RtpLoss videoLoss = new RtpLoss();
    private final RtpLoss audioLoss = new RtpLoss();
    private boolean decodable;
    private long firstVideoTimestamp = -1;
    private long lastVideoTimestamp;
    /** The RTP timestamp of the last video packet, whose frame a packet with another one starts; -1 before any. */
    private long lastPacketTimestamp = -1;
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

    /** One SRTP or SRTCP datagram, decrypted in place when it is one to open (see the class comment); the caller keeps ownership. */
    void onPacket(ByteBuf packet) {
        try {
            if (RtpHeader.isRtcp(packet)) {
                srtp.unprotectRtcp(packet);
                rtcpPackets++;
            } else if (RtpHeader.looksLikeRtp(packet)) {
                boolean open = toOpen(packet);
                if (open) {
                    srtp.unprotectRtp(packet);
                }
                rtpPackets++;
                onRtp(packet, open);
            }
        } catch (SrtpException | RtpException e) {
            undecryptable++;
        }
    }

    private boolean toOpen(ByteBuf packet) {
        if (!videoPayloadTypes.get(RtpHeader.payloadType(packet))) {
            return RtpHeader.sequence(packet) % AUDIO_OPEN_EVERY == 0;
        }
        return !decodable || RtpHeader.timestamp(packet) != lastPacketTimestamp;
    }

    private void onRtp(ByteBuf packet, boolean opened) throws RtpException {
        long ssrc = RtpHeader.ssrc(packet);
        int sequence = RtpHeader.sequence(packet);
        if (!videoPayloadTypes.get(RtpHeader.payloadType(packet))) {
            audioLoss.onPacket(ssrc, sequence);
            player.onAudioFrame();
            return;
        }
        videoLoss.onPacket(ssrc, sequence);
        videoSsrc = ssrc;
        lastPacketTimestamp = RtpHeader.timestamp(packet);
        if (opened) {
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

package io.meshlive.webrtc;

import io.meshlive.core.AudioTranscoding;
import io.meshlive.core.PublishOutcome;
import io.meshlive.core.Stream;
import io.meshlive.core.StreamKey;
import io.meshlive.core.StreamRegistry;
import io.meshlive.media.Codec;
import io.meshlive.media.Frame;
import io.meshlive.media.avc.AvcDecoderConfig;
import io.meshlive.media.opus.OpusHead;
import io.meshlive.webrtc.rtcp.RtcpWriter;
import io.meshlive.webrtc.rtp.AccessUnitSink;
import io.meshlive.webrtc.rtp.H264Depacketizer;
import io.meshlive.webrtc.rtp.OpusDepacketizer;
import io.meshlive.webrtc.rtp.OrderedSink;
import io.meshlive.webrtc.rtp.ReorderBuffer;
import io.meshlive.webrtc.rtp.RtpException;
import io.meshlive.webrtc.rtp.RtpHeader;
import io.meshlive.webrtc.sdp.Answer;
import io.meshlive.webrtc.sdp.NegotiatedTrack;
import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A WHIP publisher: a browser or OBS sending H.264 and Opus. Video packets are put back in order
 * (lost ones NACKed), reassembled into access units and published to the hub stream; Opus goes
 * as it is to the stream's Opus companion, for WebRTC viewers, and transcoded once to AAC into
 * the stream itself, for RTMP, FLV and HLS viewers: on a transcoding thread, whose AAC comes back
 * to this loop to be published.
 */
final class WhipPeer extends WebRtcPeer implements OrderedSink, AccessUnitSink {
    private static final Logger log = LoggerFactory.getLogger(WhipPeer.class);
    private static final long REORDER_WAIT_NANOS = 100_000_000L;
    private static final long NACK_INTERVAL_NANOS = 20_000_000L;
    private static final long PLI_INTERVAL_NANOS = 300_000_000L;
    private static final long REMB_BITRATE = 10_000_000L;

    private final NegotiatedTrack videoTrack;
    private final NegotiatedTrack audioTrack;
    private final long localSsrc = ThreadLocalRandom.current().nextLong(1, 0xFFFFFFFFL);
    private final long originNanos = System.nanoTime();
    private final StreamKey companionKey;

    // Loop-confined.
    private Stream main;
    private Stream companion;
    private ReorderBuffer reorder;
    private H264Depacketizer depacketizer;
    private RtpTimeline videoTime;
    private RtpTimeline audioTime;
    private AudioTranscoding.Converter toAac;
    private byte[] publishedSps;
    private byte[] publishedPps;
    private long videoSsrc;
    private long lastNackNanos;
    private long lastPliNanos;
    private final int[] missing = new int[64];
    private long nacksSent;
    private long plisSent;

    WhipPeer(PeerContext context, EventLoop loop, StreamKey key, String remoteAddress, Answer answer,
             String localUfrag, String localPassword, String remoteUfrag, byte[] remoteFingerprint) {
        super("whip", Role.PUBLISHER, context, loop, key, remoteAddress, answer, localUfrag, localPassword, remoteUfrag, remoteFingerprint);
        this.videoTrack = answer.track("video");
        this.audioTrack = answer.track("audio");
        this.companionKey = AudioTranscoding.opusCompanionOf(key);
    }

    /** Claims the stream (and its Opus companion) for this publisher; before it starts. */
    PublishOutcome claim() {
        StreamRegistry.Attached attached = context.hub().streams().attachPublisher(stream(), this);
        if (attached.outcome() == PublishOutcome.BUSY) {
            return PublishOutcome.BUSY;
        }
        main = attached.stream();
        if (audioTrack != null && companionKey != null) {
            StreamRegistry.Attached c = context.hub().streams().attachPublisher(companionKey, this);
            companion = c.stream();
        }
        return attached.outcome();
    }

    @Override
    protected void onConnected() {
        if (videoTrack != null) {
            reorder = new ReorderBuffer(1024, REORDER_WAIT_NANOS);
            depacketizer = new H264Depacketizer(alloc, this);
            videoTime = new RtpTimeline(videoTrack.codec().clockRate(), originNanos);
            videoSsrc = videoTrack.remoteSsrcs().isEmpty() ? 0 : videoTrack.remoteSsrcs().get(0);
            sendPli(System.nanoTime()); // start on a fresh keyframe rather than wait for the encoder's next
        }
        if (audioTrack != null) {
            audioTime = new RtpTimeline(audioTrack.codec().clockRate(), originNanos);
            toAac = context.audio().toAac(stream().toString(), loop, this::publishAac);
            if (companion != null) {
                ByteBuf head = alloc.buffer(19);
                OpusHead.write(2, OpusHead.DEFAULT_PRE_SKIP, 48_000, head);
                companion.publish(Frame.config(Codec.OPUS, 0, head, System.nanoTime()));
            }
        }
    }

    @Override
    protected void onRtp(ByteBuf packet) {
        long now = System.nanoTime();
        try {
            int pt = RtpHeader.payloadType(packet);
            if (videoTrack != null && pt == videoTrack.codec().payloadType()) {
                if (videoSsrc == 0) {
                    videoSsrc = RtpHeader.ssrc(packet);
                }
                reorder.add(packet.retain(), now, this);
                nackIfMissing(now);
            } else if (videoTrack != null && pt == videoTrack.rtxPayloadType()) {
                ByteBuf original = unwrapRtx(packet);
                if (original != null) {
                    reorder.add(original, now, this);
                }
            } else if (audioTrack != null && pt == audioTrack.codec().payloadType()) {
                audio(packet, now);
            }
            if (reorder != null) {
                reorder.flushExpired(now, this);
            }
        } catch (RtpException e) {
            log.debug("{}: bad RTP packet dropped: {}", this, e.getMessage());
        } finally {
            packet.release();
            main.endOfBatch();
            if (companion != null) {
                companion.endOfBatch();
            }
        }
    }

    /** RFC 4588: the original sequence number, then the original payload. */
    private ByteBuf unwrapRtx(ByteBuf rtx) throws RtpException {
        int header = RtpHeader.headerLength(rtx);
        int payload = rtx.readableBytes() - header - RtpHeader.paddingLength(rtx);
        if (payload < 2) {
            return null; // RTX padding probe
        }
        int start = rtx.readerIndex();
        ByteBuf p = alloc.directBuffer(RtpHeader.FIXED_LENGTH + payload - 2);
        RtpHeader.write(p, RtpHeader.marker(rtx), videoTrack.codec().payloadType(), rtx.getUnsignedShort(start + header),
                RtpHeader.timestamp(rtx), videoSsrc);
        p.writeBytes(rtx, start + header + 2, payload - 2);
        return p;
    }

    @Override
    public void inOrder(ByteBuf packet, boolean gapBefore) {
        try {
            depacketizer.packet(packet, gapBefore);
        } catch (RtpException e) {
            log.debug("{}: undecodable H.264 RTP payload: {}", this, e.getMessage());
            sendPli(System.nanoTime());
        } finally {
            packet.release();
        }
        if (gapBefore) {
            sendPli(System.nanoTime());
        }
    }

    @Override
    public void accessUnit(ByteBuf nals, long rtpTimestamp, boolean keyframe, byte[] sps, byte[] pps) {
        long now = System.nanoTime();
        if (sps == null || pps == null) {
            nals.release();
            sendPli(now);
            return;
        }
        long dts = videoTime.micros(rtpTimestamp, now);
        if (!Arrays.equals(sps, publishedSps) || !Arrays.equals(pps, publishedPps)) {
            ByteBuf record = alloc.buffer(16 + sps.length + pps.length);
            AvcDecoderConfig.write(sps, pps, record);
            main.publish(Frame.config(Codec.H264, dts, record, now));
            publishedSps = sps;
            publishedPps = pps;
        }
        main.publish(Frame.media(Codec.H264, dts, dts, keyframe, nals, now));
    }

    private void audio(ByteBuf packet, long now) throws RtpException {
        ByteBuf opus = OpusDepacketizer.opusPacket(packet); // a slice of the decrypted datagram: no copy
        if (!opus.isReadable()) {
            opus.release();
            return;
        }
        long dts = audioTime.micros(RtpHeader.timestamp(packet), now);
        Frame frame = Frame.media(Codec.OPUS, dts, dts, true, opus, now);
        toAac.push(frame);
        if (companion != null) {
            companion.publish(frame);
        } else {
            frame.release();
        }
    }

    /** AAC transcoded from our Opus, back on the loop; takes ownership. */
    private void publishAac(Frame aac) {
        main.publish(aac);
        main.endOfBatch();
    }

    private void nackIfMissing(long now) {
        if (now - lastNackNanos < NACK_INTERVAL_NANOS || !videoTrack.feedback().contains("nack")) {
            return;
        }
        int n = reorder.missing(missing);
        if (n > 0) {
            lastNackNanos = now;
            nacksSent += n;
            ByteBuf rtcp = alloc.directBuffer(64);
            RtcpWriter.nack(rtcp, localSsrc, videoSsrc, missing, n);
            sendRtcp(rtcp);
        }
    }

    private void sendPli(long now) {
        // No video (an audio-only publisher), or no SSRC to name yet: nothing to ask for.
        if (videoTrack == null || videoSsrc == 0 && videoTrack.remoteSsrcs().isEmpty()
                || now - lastPliNanos < PLI_INTERVAL_NANOS || !connected()) {
            return;
        }
        lastPliNanos = now;
        plisSent++;
        ByteBuf rtcp = alloc.directBuffer(32);
        RtcpWriter.pli(rtcp, localSsrc, videoSsrc != 0 ? videoSsrc : videoTrack.remoteSsrcs().get(0));
        sendRtcp(rtcp);
    }

    @Override
    public boolean requestKeyframe() {
        loop.execute(() -> sendPli(System.nanoTime()));
        return true;
    }

    @Override
    protected void onTick(long nowNanos) {
        if (reorder != null) {
            reorder.flushExpired(nowNanos, this);
        }
        if (videoTrack != null && videoSsrc != 0 && videoTrack.feedback().contains("goog-remb")) {
            ByteBuf rtcp = alloc.directBuffer(64);
            RtcpWriter.receiverReport(rtcp, localSsrc, 0, 0, 0, 0, 0, 0, 0);
            RtcpWriter.remb(rtcp, localSsrc, REMB_BITRATE, videoSsrc);
            sendRtcp(rtcp);
        }
    }

    @Override
    protected void onClosed(String reason) {
        if (reorder != null) {
            reorder.close();
        }
        if (depacketizer != null) {
            depacketizer.close();
        }
        if (toAac != null) {
            toAac.close();
        }
        if (main != null) {
            main.detachPublisher(this);
        }
        if (companion != null) {
            companion.detachPublisher(this);
        }
        context.hub().sessions().remove(this);
        log.debug("{}: {} NACKed, {} PLI sent, {} access units dropped", this, nacksSent, plisSent,
                depacketizer == null ? 0 : depacketizer.droppedAccessUnits());
    }
}

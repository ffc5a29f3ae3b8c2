package io.meshlive.webrtc;

import io.meshlive.core.Session;
import io.meshlive.core.Stream;
import io.meshlive.core.StreamKey;
import io.meshlive.core.Subscriber;
import io.meshlive.media.Codec;
import io.meshlive.media.Frame;
import io.meshlive.media.FrameFormat;
import io.meshlive.media.TrackType;
import io.meshlive.webrtc.rtcp.NtpTime;
import io.meshlive.webrtc.rtcp.RtcpWriter;
import io.meshlive.webrtc.rtp.PacketVisitor;
import io.meshlive.webrtc.rtp.RtpPacketList;
import io.meshlive.webrtc.sdp.Answer;
import io.meshlive.webrtc.sdp.NegotiatedTrack;
import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A WHEP viewer: plays a hub stream to a browser. Video comes from the stream itself, starting at
 * its cached keyframe; audio is Opus, from the stream when the publisher sent Opus, otherwise from
 * the stream's Opus companion ({@link OpusCompanions}), transcoded once for all viewers.
 *
 * <p>Per frame the viewer takes the stream's shared RTP form and, per packet, only copies it,
 * stamps its own sequence number, timestamp and SSRC, and encrypts it.
 */
final class WhepPeer extends WebRtcPeer implements Subscriber, PacketVisitor {
    private static final Logger log = LoggerFactory.getLogger(WhepPeer.class);
    private static final long KEYFRAME_REQUEST_INTERVAL_NANOS = 500_000_000L;

    private final NegotiatedTrack videoTrack;
    private final NegotiatedTrack audioTrack;
    private final OutboundTrack video;
    private final OutboundTrack audio;
    private final String cname;

    // Loop-confined.
    private Stream stream;
    private int loopIndex;
    private long subscribedNanos;
    private Frame videoConfig;
    private FrameFormat videoFormat;
    private boolean videoStarted;
    private boolean warnedCodec;
    private CompanionFeed companion;
    private OutboundTrack sending;
    private Frame sendingFrame;
    private long sendingTimestamp;
    private long lastKeyframeRequestNanos;
    private long keyframeRequests;
    private long nacks;
    private int fractionLost;
    private long jitter;

    WhepPeer(WebRtcServer server, EventLoop loop, StreamKey key, String remoteAddress, Answer answer,
             String localUfrag, String localPassword, String remoteUfrag, byte[] remoteFingerprint) {
        super("whep", Role.VIEWER, server, loop, key, remoteAddress, answer, localUfrag, localPassword, remoteUfrag, remoteFingerprint);
        this.videoTrack = answer.track("video");
        this.audioTrack = answer.track("audio");
        this.video = videoTrack == null ? null : new OutboundTrack(videoTrack, videoTrack.feedback().contains("nack"));
        this.audio = audioTrack == null ? null : new OutboundTrack(audioTrack, false);
        this.cname = "meshlive-" + id();
    }

    @Override
    protected void onConnected() {
        server.hub().streams().subscribe(stream(), this);
    }

    @Override
    public EventLoop eventLoop() {
        return loop;
    }

    @Override
    public void onSubscribed(Stream s) {
        this.stream = s;
        this.loopIndex = server.hub().workers().indexOf(loop);
        this.subscribedNanos = System.nanoTime();
    }

    @Override
    public void onFrame(Frame frame, long nowNanos) {
        if (isClosed()) {
            return;
        }
        if (frame.track() == TrackType.VIDEO) {
            onVideo(frame);
        } else if (frame.track() == TrackType.AUDIO && audio != null) {
            if (frame.codec() == Codec.OPUS) {
                if (!frame.isConfig()) {
                    sendFrame(audio, frame, RtpFormats.OPUS);
                }
            } else if (companion == null) {
                // AAC (or another codec browsers lack): play the Opus companion, made once for every viewer.
                companion = new CompanionFeed();
                companion.start();
            }
        }
    }

    private void onVideo(Frame frame) {
        if (video == null) {
            return;
        }
        if (frame.isConfig()) {
            FrameFormat format = RtpFormats.video(frame.codec());
            if (format == null || !frame.codec().displayName().equalsIgnoreCase(codecOf(videoTrack))) {
                if (!warnedCodec) {
                    warnedCodec = true;
                    log.warn("{}: stream video is {}, the browser agreed to {}; sending no video", this,
                            frame.codec().displayName(), codecOf(videoTrack));
                }
                videoFormat = null;
                return;
            }
            videoFormat = format;
            if (videoConfig != null) {
                videoConfig.release();
            }
            videoConfig = frame.retain();
            return;
        }
        if (videoFormat == null) {
            return;
        }
        if (!videoStarted) {
            if (!frame.isKeyframe()) {
                return;
            }
            videoStarted = true;
        }
        if (frame.isKeyframe() && videoConfig != null) {
            // Parameter sets ride just before each keyframe, with the keyframe's timestamp.
            sendPackets(video, videoConfig, videoConfig.encoded(videoFormat, alloc), video.timestampOf(frame));
        }
        sendFrame(video, frame, videoFormat);
    }

    private static String codecOf(NegotiatedTrack t) {
        String name = t.codec().name();
        return name.equalsIgnoreCase("H265") ? "hevc" : name.toLowerCase();
    }

    private void sendFrame(OutboundTrack track, Frame frame, FrameFormat format) {
        long before = bytesOut;
        sendPackets(track, frame, frame.encoded(format, alloc), track.timestampOf(frame));
        if (stream != null) {
            stream.stats().bytesOut(bytesOut - before);
            if (frame.arrivalNanos() >= subscribedNanos) {
                // UDP leaves at once: the packets are on the wire when the batch is flushed, microseconds from now.
                stream.stats().recordLatency(loopIndex, System.nanoTime() - frame.arrivalNanos());
            }
        }
    }

    private void sendPackets(OutboundTrack track, Frame frame, ByteBuf list, long timestamp) {
        sending = track;
        sendingFrame = frame;
        sendingTimestamp = timestamp;
        RtpPacketList.forEach(list, this);
        sendingFrame = null;
    }

    @Override
    public void packet(ByteBuf list, int offset, int length) {
        sendRtp(sending.packet(alloc, sendingFrame, list, offset, length, sendingTimestamp));
    }

    @Override
    public void flush() {
        flushPath();
    }

    @Override
    public void onPublisherGone() {
        videoStarted = false;
        if (video != null) {
            video.resync();
        }
        if (audio != null) {
            audio.resync();
        }
    }

    @Override
    public void onStreamClosed(String reason) {
        close(reason);
    }

    @Override
    protected void onTick(long nowNanos) {
        ByteBuf rtcp = alloc.directBuffer(128);
        long ntp = NtpTime.fromEpochMillis(System.currentTimeMillis());
        for (OutboundTrack t : new OutboundTrack[] {video, audio}) {
            if (t != null && t.packets > 0) {
                RtcpWriter.senderReport(rtcp, t.ssrc, ntp, t.timestampNow(nowNanos), t.packets, t.octets);
            }
        }
        if (rtcp.readableBytes() == 0) {
            rtcp.release();
            return;
        }
        RtcpWriter.sdesCname(rtcp, video != null ? video.ssrc : audio.ssrc, cname);
        sendRtcp(rtcp);
    }

    @Override
    public void onNack(long senderSsrc, long mediaSsrc, int lostSequence) {
        if (video == null || mediaSsrc != video.ssrc || !connected()) {
            return;
        }
        nacks++;
        ByteBuf p = video.retransmission(alloc, lostSequence);
        if (p != null) {
            sendRtp(p);
            flushPath();
        }
    }

    @Override
    public void onPli(long senderSsrc, long mediaSsrc) {
        keyframeRequested();
    }

    @Override
    public void onFir(long senderSsrc, long mediaSsrc, int commandSequence) {
        keyframeRequested();
    }

    /**
     * The browser lost its picture. A source that can make a keyframe is asked for one (at most
     * twice a second per viewer); an RTMP encoder cannot be asked, and the next keyframe comes on
     * its own schedule.
     */
    private void keyframeRequested() {
        long now = System.nanoTime();
        if (stream == null || now - lastKeyframeRequestNanos < KEYFRAME_REQUEST_INTERVAL_NANOS) {
            return;
        }
        lastKeyframeRequestNanos = now;
        keyframeRequests++;
        Session source = stream.publisher();
        if (source != null) {
            source.requestKeyframe();
        }
    }

    @Override
    public void onReportBlock(long reporterSsrc, long sourceSsrc, int fractionLost, int cumulativeLost,
                              long extendedHighestSeq, long jitter, long lastSr, long delaySinceLastSr) {
        if (video != null && sourceSsrc == video.ssrc) {
            this.fractionLost = fractionLost;
            this.jitter = jitter;
        }
    }

    /** From the browser's receiver reports and our own counts, for the API. */
    @Override
    public Map<String, Object> details() {
        Map<String, Object> m = new LinkedHashMap<>();
        if (video != null) {
            m.put("videoPackets", video.packets);
            m.put("retransmitted", video.retransmitted);
        }
        if (audio != null) {
            m.put("audioPackets", audio.packets);
        }
        m.put("nacks", nacks);
        m.put("keyframeRequests", keyframeRequests);
        m.put("fractionLost", fractionLost / 256.0);
        m.put("jitterRtpUnits", jitter);
        return m;
    }

    @Override
    protected void onClosed(String reason) {
        if (stream != null) {
            stream.unsubscribe(this);
        }
        if (companion != null) {
            companion.stop();
        }
        if (videoConfig != null) {
            videoConfig.release();
            videoConfig = null;
        }
        if (video != null) {
            video.close();
            log.debug("{}: {} video packets, {} NACKed, {} resent, {} keyframe requests, last loss {}/256, jitter {}",
                    this, video.packets, nacks, video.retransmitted, keyframeRequests, fractionLost, jitter);
        }
        server.hub().sessions().remove(this);
    }

    /** The Opus companion stream, read on this viewer's loop alongside the main stream. */
    private final class CompanionFeed implements Subscriber {
        private Stream companionStream;
        private StreamKey key;

        void start() {
            key = server.opusCompanions().acquire(stream());
            if (key != null) {
                server.hub().streams().subscribe(key, this);
            }
        }

        void stop() {
            if (companionStream != null) {
                companionStream.unsubscribe(this);
                companionStream = null;
            }
            if (key != null) {
                server.opusCompanions().release(stream());
                key = null;
            }
        }

        @Override
        public EventLoop eventLoop() {
            return loop;
        }

        @Override
        public void onSubscribed(Stream s) {
            companionStream = s;
        }

        @Override
        public void onFrame(Frame frame, long nowNanos) {
            if (!isClosed() && frame.codec() == Codec.OPUS && !frame.isConfig()) {
                sendFrame(audio, frame, RtpFormats.OPUS);
            }
        }

        @Override
        public void flush() {
            flushPath();
        }

        @Override
        public void onPublisherGone() {
            audio.resync();
        }

        @Override
        public void onStreamClosed(String reason) {
            companionStream = null;
        }
    }
}

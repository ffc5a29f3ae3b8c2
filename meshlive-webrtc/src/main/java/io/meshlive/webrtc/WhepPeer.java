package io.meshlive.webrtc;

import io.meshlive.core.Stream;
import io.meshlive.core.StreamKey;
import io.meshlive.core.Subscriber;
import io.meshlive.media.Codec;
import io.meshlive.media.Frame;
import io.meshlive.media.FrameFormat;
import io.meshlive.media.TrackType;
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
import java.util.concurrent.TimeUnit;

/**
 * A WHEP viewer: plays a hub stream to a browser. Video comes from the stream itself, starting at
 * its cached keyframe; audio is Opus, from the stream when the publisher sent Opus, otherwise from
 * the stream's Opus companion ({@link CompanionAudio}), transcoded once for all viewers.
 *
 * <p>Per frame the viewer takes the stream's shared RTP form and, per packet, only copies it,
 * stamps its own sequence number, timestamp and SSRC (and abs-send-time, for the browser's
 * bandwidth estimate), and encrypts it.
 *
 * <p>The rest is done by small parts, each with one job, in the manner of Pion's interceptors:
 * {@link NackResponder} resends lost video, {@link SenderReports} writes the sender reports and
 * reads the browser's, {@link KeyframeRequests} passes picture-loss on to the source, and
 * {@link RenditionController} moves the video between the stream and its renditions (ABR).
 */
final class WhepPeer extends WebRtcPeer implements Subscriber, PacketVisitor, RenditionController.Viewer {
    private static final Logger log = LoggerFactory.getLogger(WhepPeer.class);

    private final NegotiatedTrack videoTrack;
    private final OutboundTrack video;
    private final OutboundTrack audio;

    /** Null when the answer has no data channel m-line. */
    private final CueChannel cueChannel;
    private final VideoFeed source;
    private final RenditionController renditions;
    /** Null without video. */
    private final NackResponder nackResponder;
    private final SenderReports reports;
    private final KeyframeRequests keyframeRequests = new KeyframeRequests();
    private final KeyframeSkip writeLimit;

    // Loop-confined.
    private Stream stream;
    private int loopIndex;
    private boolean warnedCodec;
    private CompanionAudio companion;
    private OutboundTrack sending;
    private Frame sendingFrame;
    private long sendingTimestamp;

    WhepPeer(PeerContext context, EventLoop loop, StreamKey key, String remoteAddress, Answer answer,
             String localUfrag, String localPassword, String remoteUfrag, byte[] remoteFingerprint) {
        super("whep", Role.VIEWER, context, loop, key, remoteAddress, answer, localUfrag, localPassword, remoteUfrag, remoteFingerprint);
        this.videoTrack = answer.track("video");
        NegotiatedTrack audioTrack = answer.track("audio");
        this.video = videoTrack == null ? null : new OutboundTrack(videoTrack, videoTrack.feedback().contains("nack"), true);
        this.audio = audioTrack == null ? null : new OutboundTrack(audioTrack, false, false);
        this.source = new VideoFeed(key);
        this.renditions = new RenditionController(context.hub(), context.ladder(), this, source);
        this.nackResponder = video == null ? null : new NackResponder(video, alloc, this::resend);
        this.reports = new SenderReports(video, audio, "meshlive-" + id());
        this.writeLimit = new KeyframeSkip(TimeUnit.MILLISECONDS.toNanos(context.hub().settings().stallTimeoutMillis()));
        this.cueChannel = answer.dataChannel() == null ? null : new CueChannel(this, loop, alloc,
                context.sctpCookieSecret(), this::sendApplicationData, this::rtpTimestampOf);
    }

    /** The RTP timestamp the video frame at {@code pts} gets on this viewer's timeline (the audio's, without video). */
    private long rtpTimestampOf(long pts) {
        return (video != null ? video : audio).timestampAt(pts);
    }

    @Override
    protected void onApplicationData(ByteBuf packet) {
        if (cueChannel == null || isClosed()) {
            packet.release();
            return;
        }
        cueChannel.receive(packet);
    }

    @Override
    protected void onConnected() {
        context.hub().streams().subscribe(stream(), this);
    }

    @Override
    public EventLoop eventLoop() {
        return loop;
    }

    @Override
    public boolean closed() {
        return isClosed();
    }

    @Override
    public void onSubscribed(Stream s) {
        this.stream = s;
        this.loopIndex = context.hub().workers().indexOf(loop);
        source.subscribed(s, System.nanoTime());
        renditions.subscribed(s);
    }

    @Override
    public void onFrame(Frame frame, long nowNanos) {
        if (isClosed()) {
            return;
        }
        if (frame.track() == TrackType.VIDEO) {
            onVideo(source, frame);
        } else if (frame.codec() == Codec.CUE) {
            if (cueChannel != null) {
                cueChannel.onCue(frame);
            }
        } else if (frame.track() == TrackType.AUDIO && audio != null) {
            if (frame.codec() == Codec.OPUS) {
                if (!frame.isConfig()) {
                    sendAudio(frame);
                }
            } else if (companion == null) {
                // AAC (or another codec browsers lack): play the Opus companion, made once for every viewer.
                companion = new CompanionAudio(context.audio(), context.hub().streams(), stream(), loop, this::sendAudio,
                        this::flushPath, audio::resync);
                companion.start();
            }
        }
    }

    /** A video frame of the stream or of a rendition. */
    @Override
    public void onVideo(VideoFeed from, Frame frame) {
        if (video == null) {
            return;
        }
        if (frame.isConfig()) {
            from.configure(frame, sendableFormat(frame));
            return;
        }
        if (from.format() == null || !renditions.admit(from, frame) || skipped(frame.isKeyframe())) {
            return;
        }
        if (frame.isKeyframe() && from.config() != null) {
            // Parameter sets ride just before each keyframe, with the keyframe's timestamp.
            sendPackets(video, from.config(), from.config().encoded(from.format(), alloc), video.timestampOf(frame));
        }
        sendFrame(video, frame, from.format(), from);
    }

    private void sendAudio(Frame opus) {
        if (!isClosed() && !skipped(video == null)) {
            sendFrame(audio, opus, RtpFormats.OPUS, source);
        }
    }

    /** Whether the path is over its write limit (ICE-TCP only), so this frame is skipped (and counted). */
    private boolean skipped(boolean resumePoint) {
        long now = System.nanoTime();
        if (!writeLimit.skip(pathWritable(), resumePoint, now)) {
            return false;
        }
        Stream s = source.stream();
        if (s != null) {
            s.stats().frameSkipped();
        }
        if (writeLimit.stalled(now)) {
            close("ICE-TCP connection stalled: over its write limit for " + context.hub().settings().stallTimeoutMillis() + " ms");
        }
        return true;
    }

    /** The RTP form for a video configuration, or null when it is not the codec the browser agreed to. */
    private FrameFormat sendableFormat(Frame config) {
        FrameFormat format = RtpFormats.video(config.codec());
        if (format == null || !config.codec().displayName().equalsIgnoreCase(codecOf(videoTrack))) {
            if (!warnedCodec) {
                warnedCodec = true;
                log.warn("{}: stream video is {}, the browser agreed to {}; sending no video", this,
                        config.codec().displayName(), codecOf(videoTrack));
            }
            return null;
        }
        return format;
    }

    private static String codecOf(NegotiatedTrack t) {
        String name = t.codec().name();
        return name.equalsIgnoreCase("H265") ? "hevc" : name.toLowerCase();
    }

    /** Sends a frame, counted in {@code countedIn}'s stream figures (audio, from wherever, in the stream's own). */
    private void sendFrame(OutboundTrack track, Frame frame, FrameFormat format, VideoFeed countedIn) {
        long before = bytesOut;
        sendPackets(track, frame, frame.encoded(format, alloc), track.timestampOf(frame));
        Stream s = countedIn.stream();
        if (s != null) {
            s.stats().bytesOut(bytesOut - before);
            if (countedIn.isLive(frame)) {
                // UDP leaves at once: the packets are on the wire when the batch is flushed, microseconds from now.
                s.stats().recordLatency(loopIndex, System.nanoTime() - frame.arrivalNanos());
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

    private void resend(ByteBuf packet) {
        sendRtp(packet);
        flushPath();
    }

    @Override
    public void flush() {
        flushPath();
    }

    @Override
    public void onPublisherGone() {
        renditions.publisherGone();
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
        if (video != null) {
            renditions.consider(nowNanos);
        }
        ByteBuf rtcp = reports.build(alloc, nowNanos, System.currentTimeMillis());
        if (rtcp != null) {
            sendRtcp(rtcp);
        }
    }

    @Override
    public void onNack(long senderSsrc, long mediaSsrc, int lostSequence) {
        if (nackResponder != null && connected()) {
            nackResponder.onNack(mediaSsrc, lostSequence);
        }
    }

    @Override
    public void onPli(long senderSsrc, long mediaSsrc) {
        if (stream != null) {
            keyframeRequests.requested(renditions.current().stream(), System.nanoTime());
        }
    }

    @Override
    public void onFir(long senderSsrc, long mediaSsrc, int commandSequence) {
        onPli(senderSsrc, mediaSsrc);
    }

    @Override
    public void onReportBlock(long reporterSsrc, long sourceSsrc, int fractionLost, int cumulativeLost,
                              long extendedHighestSeq, long jitter, long lastSr, long delaySinceLastSr) {
        reports.onReportBlock(sourceSsrc, fractionLost, jitter);
    }

    @Override
    public void onRemb(long senderSsrc, long bitrateBps, long[] ssrcs) {
        if (video != null) {
            renditions.onEstimate(bitrateBps, System.nanoTime());
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
        m.put("nacks", nackResponder == null ? 0L : nackResponder.nacks());
        m.put("keyframeRequests", keyframeRequests.count());
        reports.details(m);
        renditions.details(m);
        if (cueChannel != null) {
            cueChannel.details(m);
        }
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
        renditions.close();
        source.release();
        if (cueChannel != null) {
            cueChannel.close();
        }
        if (video != null) {
            video.close();
            log.debug("{}: {} video packets, {} NACKed, {} resent, {} keyframe requests, {}", this, video.packets,
                    nackResponder.nacks(), video.retransmitted, keyframeRequests.count(), reports);
        }
        context.hub().sessions().remove(this);
    }
}

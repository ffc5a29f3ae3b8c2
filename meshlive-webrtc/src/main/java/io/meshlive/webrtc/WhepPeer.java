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

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A WHEP viewer: plays a hub stream to a browser. Video comes from the stream itself, starting at
 * its cached keyframe; audio is Opus, from the stream when the publisher sent Opus, otherwise from
 * the stream's Opus companion ({@link io.meshlive.core.AudioTranscoding#acquireOpus}), transcoded once for all viewers.
 *
 * <p>Per frame the viewer takes the stream's shared RTP form and, per packet, only copies it,
 * stamps its own sequence number, timestamp and SSRC (and abs-send-time, for the browser's
 * bandwidth estimate), and encrypts it.
 *
 * <p>When the stream has a ladder live, the viewer moves its video between the stream and its
 * renditions on the browser's estimate (REMB; {@link RenditionPolicy} decides when), at a
 * keyframe of the target ({@link VideoSwitch}), on the same SSRC and timeline. Audio stays on the
 * stream.
 */
final class WhepPeer extends WebRtcPeer implements Subscriber, PacketVisitor {
    private static final Logger log = LoggerFactory.getLogger(WhepPeer.class);
    private static final long KEYFRAME_REQUEST_INTERVAL_NANOS = 500_000_000L;

    private final NegotiatedTrack videoTrack;
    private final NegotiatedTrack audioTrack;
    private final OutboundTrack video;
    private final OutboundTrack audio;
    private final String cname;

    /** Null when the answer has no data channel m-line. */
    private final CueChannel cueChannel;
    private final VideoFeed source;
    private final VideoSwitch<VideoFeed> videoSwitch;
    private final RenditionPolicy policy = new RenditionPolicy();

    // Loop-confined.
    private Stream stream;
    private int loopIndex;
    private boolean warnedCodec;
    /** The rendition whose video is sent, or null on the stream itself. */
    private RenditionFeed playing;
    /** The rendition being moved to, or null. */
    private RenditionFeed target;
    private long switches;
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
        this.video = videoTrack == null ? null : new OutboundTrack(videoTrack, videoTrack.feedback().contains("nack"), true);
        this.audio = audioTrack == null ? null : new OutboundTrack(audioTrack, false, false);
        this.cname = "meshlive-" + id();
        this.source = new VideoFeed(key);
        this.videoSwitch = new VideoSwitch<>(source);
        this.cueChannel = answer.dataChannel() == null ? null : new CueChannel(this, loop, alloc,
                server.sctpCookieSecret(), this::sendApplicationData, this::rtpTimestampOf);
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
        source.subscribed(s, System.nanoTime());
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
                    sendFrame(audio, frame, RtpFormats.OPUS, source);
                }
            } else if (companion == null) {
                // AAC (or another codec browsers lack): play the Opus companion, made once for every viewer.
                companion = new CompanionFeed();
                companion.start();
            }
        }
    }

    private void onVideo(VideoFeed from, Frame frame) {
        if (video == null) {
            return;
        }
        if (frame.isConfig()) {
            from.configure(frame, sendableFormat(frame));
            return;
        }
        if (from.format() == null) {
            return;
        }
        VideoFeed before = videoSwitch.current();
        VideoFeed movingTo = videoSwitch.target();
        switch (videoSwitch.onFrame(from, frame.isKeyframe(), frame.pts())) {
            case DROP -> {
                return;
            }
            case SWITCHED -> switched(before);
            case GAVE_UP -> {
                log.info("{}: no keyframe from {} within a GOP of {}; staying", this, movingTo, before);
                stop(target);
                target = null;
            }
            case SEND -> {
            }
        }
        if (frame.isKeyframe() && from.config() != null) {
            // Parameter sets ride just before each keyframe, with the keyframe's timestamp.
            sendPackets(video, from.config(), from.config().encoded(from.format(), alloc), video.timestampOf(frame));
        }
        sendFrame(video, frame, from.format(), from);
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

    @Override
    public void flush() {
        flushPath();
    }

    @Override
    public void onPublisherGone() {
        // The ladder goes with its source; the next publisher starts on the stream itself, on a new timeline.
        videoSwitch.restart(source, true);
        stop(playing);
        stop(target);
        playing = null;
        target = null;
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
        considerRendition(nowNanos);
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
        Stream playingStream = videoSwitch.current().stream();
        Session publisher = playingStream == null ? null : playingStream.publisher();
        if (publisher != null) {
            publisher.requestKeyframe();
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

    @Override
    public void onRemb(long senderSsrc, long bitrateBps, long[] ssrcs) {
        policy.estimate(bitrateBps);
        considerRendition(System.nanoTime());
    }

    /** Asks the policy whether to move to another rung, and starts the move; never while one is under way. */
    private void considerRendition(long nowNanos) {
        if (video == null || stream == null || !videoSwitch.playing() || videoSwitch.target() != null) {
            return;
        }
        List<RenditionLadder.Rendition> rungs = liveRungs();
        int current = -1;
        long[] bitrates = new long[rungs.size()];
        for (int i = 0; i < bitrates.length; i++) {
            bitrates[i] = rungs.get(i).bitsPerSecond();
            if (rungs.get(i).key().equals(videoSwitch.current().key)) {
                current = i;
            }
        }
        if (current < 0) {
            return;
        }
        int next = policy.choose(bitrates, current, nowNanos);
        if (next != current) {
            moveTo(rungs.get(next).key());
        }
    }

    /**
     * The stream and its renditions that are live now, by bit rate. The stream counts as the
     * best even when a still scene makes its measured rate dip below a rendition's configured one.
     */
    private List<RenditionLadder.Rendition> liveRungs() {
        List<RenditionLadder.Rendition> rungs = new ArrayList<>();
        long top = 0;
        for (RenditionLadder.Rendition r : server.ladder().renditionsOf(stream())) {
            Stream s = server.hub().streams().get(r.key());
            if (s != null && s.publisher() != null) {
                rungs.add(r);
                top = Math.max(top, r.bitsPerSecond());
            }
        }
        if (rungs.isEmpty()) {
            return rungs;
        }
        rungs.sort(Comparator.comparingLong(RenditionLadder.Rendition::bitsPerSecond));
        rungs.add(new RenditionLadder.Rendition(stream(), Math.max(top, stream.stats().bitrateIn())));
        return rungs;
    }

    private void moveTo(StreamKey key) {
        if (key.equals(source.key)) {
            videoSwitch.moveTo(source);
            return;
        }
        target = new RenditionFeed(key);
        videoSwitch.moveTo(target.feed);
        // Replays the rendition's cache at once; its keyframe is older than what was sent, so it waits for the next.
        server.hub().streams().subscribe(key, target);
    }

    /** The target's keyframe went out: the old rendition, if any, goes. */
    private void switched(VideoFeed before) {
        switches++;
        stop(playing);
        playing = videoSwitch.current() == source ? null : target;
        target = null;
        log.info("{}: video now from {} (was {}), browser estimate {} kbit/s", this, videoSwitch.current(), before,
                policy.estimateBps() / 1000);
    }

    /** A rendition's publisher or stream ended: a move to it is off, and playing it falls back to the stream. */
    private void renditionGone(RenditionFeed feed) {
        if (feed == target) {
            videoSwitch.dropTarget();
            target = null;
        } else if (feed == playing) {
            log.info("{}: rendition {} ended; back to {} at its next keyframe", this, feed.feed, source);
            videoSwitch.restart(source, false);
            playing = null;
        } else {
            return;
        }
        stop(feed);
    }

    private void stop(RenditionFeed feed) {
        if (feed != null) {
            feed.stop();
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
        m.put("estimateBps", policy.estimateBps());
        m.put("videoFrom", videoSwitch.current().key.name());
        m.put("renditionSwitches", switches);
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
        stop(playing);
        stop(target);
        source.release();
        if (cueChannel != null) {
            cueChannel.close();
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
            key = server.audio().acquireOpus(stream());
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
                server.audio().releaseOpus(stream());
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
                sendFrame(audio, frame, RtpFormats.OPUS, source);
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

    /** A rendition's video, read on this viewer's loop alongside the stream while it is played or moved to. */
    private final class RenditionFeed implements Subscriber {
        final VideoFeed feed;

        RenditionFeed(StreamKey key) {
            this.feed = new VideoFeed(key);
        }

        void stop() {
            if (feed.stream() != null) {
                feed.stream().unsubscribe(this);
            }
            feed.release();
        }

        @Override
        public EventLoop eventLoop() {
            return loop;
        }

        @Override
        public void onSubscribed(Stream s) {
            feed.subscribed(s, System.nanoTime());
        }

        @Override
        public void onFrame(Frame frame, long nowNanos) {
            if (!isClosed() && frame.track() == TrackType.VIDEO) {
                onVideo(feed, frame);
            }
        }

        @Override
        public void flush() {
            flushPath();
        }

        @Override
        public void onPublisherGone() {
            renditionGone(this);
        }

        @Override
        public void onStreamClosed(String reason) {
            renditionGone(this);
        }

        @Override
        public String toString() {
            return feed.toString();
        }
    }
}

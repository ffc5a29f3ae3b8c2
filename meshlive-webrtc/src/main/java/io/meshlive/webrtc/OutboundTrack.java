package io.meshlive.webrtc;

import io.meshlive.media.Frame;
import io.meshlive.webrtc.rtp.AbsSendTime;
import io.meshlive.webrtc.rtp.RtpClock;
import io.meshlive.webrtc.rtp.RtpHeader;
import io.meshlive.webrtc.sdp.NegotiatedTrack;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.util.concurrent.ThreadLocalRandom;

/**
 * What one viewer's sending side of one m-line needs: its payload type, SSRC, sequence numbers
 * and timestamp offset, the counts for Sender Reports, and (video) a short history of sent
 * packets for NACKs. The packet bytes themselves are the stream's shared RTP form of each frame;
 * the history only keeps a reference to the frame and where its packet starts. When the peer
 * agreed to abs-send-time, each copy also carries the time it was made, so a browser can estimate
 * its bandwidth and report it (REMB).
 */
final class OutboundTrack {
    private static final int HISTORY = 512;
    private static final int HISTORY_MASK = HISTORY - 1;

    final long ssrc;
    final int payloadType;
    final int clockRate;
    private final int rtxPayloadType;
    private final long rtxSsrc;
    /** The abs-send-time extension id, or 0 to write none. */
    private final int absSendTimeId;
    private int sequence = ThreadLocalRandom.current().nextInt(1 << 15);
    private int rtxSequence = ThreadLocalRandom.current().nextInt(1 << 15);
    private long timestampOffset;
    private boolean resync = true;
    private long lastTimestamp;
    private long lastArrivalNanos;
    long packets;
    long octets;
    long retransmitted;

    // NACK history (null when NACK was not negotiated).
    private final Frame[] historyFrames;
    private final ByteBuf[] historyLists; // each owned by the frame beside it
    private final int[] historyOffsets;
    private final int[] historyLengths;
    private final int[] historySequences;
    private final long[] historyTimestamps;

    /** @param stampSendTime write abs-send-time into every packet, if the peer agreed to it */
    OutboundTrack(NegotiatedTrack track, boolean keepHistory, boolean stampSendTime) {
        this.ssrc = track.localSsrc();
        this.payloadType = track.codec().payloadType();
        this.clockRate = track.codec().clockRate();
        this.rtxPayloadType = track.rtxPayloadType();
        this.rtxSsrc = track.localRtxSsrc();
        int id = track.extensionIds().getOrDefault(AbsSendTime.URI, 0);
        // We write only the one-byte header form; an id beyond it leaves the browser without an estimate.
        this.absSendTimeId = stampSendTime && id <= AbsSendTime.MAX_ONE_BYTE_ID ? id : 0;
        if (keepHistory) {
            historyFrames = new Frame[HISTORY];
            historyLists = new ByteBuf[HISTORY];
            historyOffsets = new int[HISTORY];
            historyLengths = new int[HISTORY];
            historySequences = new int[HISTORY];
            historyTimestamps = new long[HISTORY];
        } else {
            historyFrames = null;
            historyLists = null;
            historyOffsets = historyLengths = historySequences = null;
            historyTimestamps = null;
        }
    }

    /** The publisher changed: the next frame's timestamps continue from the last ones instead of jumping. */
    void resync() {
        resync = true;
    }

    /** The RTP timestamp of a frame sent now, on this viewer's continuous timeline. */
    long timestampOf(Frame frame) {
        long media = RtpClock.toRtp(frame.pts(), clockRate);
        if (resync) {
            timestampOffset = offsetAfterResync(media);
            resync = false;
        }
        long ts = (media + timestampOffset) & 0xFFFFFFFFL;
        lastTimestamp = ts;
        lastArrivalNanos = frame.arrivalNanos();
        return ts;
    }

    /**
     * The RTP timestamp the frame at {@code ptsMicros} gets when it is sent next, without sending
     * it: what a cue attached to that frame carries.
     */
    long timestampAt(long ptsMicros) {
        long media = RtpClock.toRtp(ptsMicros, clockRate);
        return (media + (resync ? offsetAfterResync(media) : timestampOffset)) & 0xFFFFFFFFL;
    }

    /** A gap of one 30 fps frame (or 20 ms of audio) at most after a resync; players smooth over it. */
    private long offsetAfterResync(long media) {
        long next = packets == 0 ? media : lastTimestamp + clockRate / 30;
        return (next - media) & 0xFFFFFFFFL;
    }

    /**
     * Copies one packet of the stream's shared form into a new buffer with this viewer's header
     * fields, remembers it for NACKs, and returns it ready for SRTP.
     */
    ByteBuf packet(ByteBufAllocator alloc, Frame frame, ByteBuf list, int offset, int length, long timestamp) {
        int seq = sequence;
        sequence = (sequence + 1) & 0xFFFF;
        if (historyFrames != null) {
            int i = seq & HISTORY_MASK;
            Frame old = historyFrames[i];
            historyFrames[i] = frame.retain();
            historyLists[i] = list;
            if (old != null) {
                old.release();
            }
            historyOffsets[i] = offset;
            historyLengths[i] = length;
            historySequences[i] = seq;
            historyTimestamps[i] = timestamp;
        }
        packets++;
        octets += length - RtpHeader.FIXED_LENGTH;
        return build(alloc, list, offset, length, -1, payloadType, seq, timestamp, ssrc);
    }

    /**
     * The copy: the shared packet's 12-byte header, then (when negotiated) the abs-send-time block,
     * then {@code prefix} (an RTX packet's original sequence number, else -1 for none) and the payload.
     */
    private ByteBuf build(ByteBufAllocator alloc, ByteBuf list, int offset, int length, int prefix, int pt, int seq,
                          long ts, long ssrc) {
        int extension = absSendTimeId == 0 ? 0 : AbsSendTime.BLOCK_LENGTH;
        int prefixLength = prefix < 0 ? 0 : 2;
        ByteBuf p = alloc.directBuffer(length + extension + prefixLength + WebRtcPeer.SRTP_TAG_ROOM);
        p.writeBytes(list, offset, RtpHeader.FIXED_LENGTH);
        if (extension != 0) {
            AbsSendTime.writeBlock(p, absSendTimeId, AbsSendTime.fromNanos(System.nanoTime()));
            RtpHeader.setExtension(p, true);
        }
        if (prefix >= 0) {
            p.writeShort(prefix);
        }
        p.writeBytes(list, offset + RtpHeader.FIXED_LENGTH, length - RtpHeader.FIXED_LENGTH);
        RtpHeader.setPayloadType(p, pt);
        RtpHeader.setSequence(p, seq);
        RtpHeader.setTimestamp(p, ts);
        RtpHeader.setSsrc(p, ssrc);
        return p;
    }

    /**
     * The packet the peer NACKed, rebuilt: as RTX (RFC 4588: original sequence number, then the
     * payload) when negotiated, else resent as it was. Null when it is no longer in the history.
     */
    ByteBuf retransmission(ByteBufAllocator alloc, int seq) {
        if (historyFrames == null) {
            return null;
        }
        int i = seq & HISTORY_MASK;
        Frame frame = historyFrames[i];
        if (frame == null || historySequences[i] != seq) {
            return null;
        }
        ByteBuf list = historyLists[i];
        int offset = historyOffsets[i];
        int length = historyLengths[i];
        retransmitted++;
        if (rtxPayloadType < 0) {
            return build(alloc, list, offset, length, -1, payloadType, seq, historyTimestamps[i], ssrc);
        }
        int rtxSeq = rtxSequence;
        rtxSequence = (rtxSequence + 1) & 0xFFFF;
        return build(alloc, list, offset, length, seq, rtxPayloadType, rtxSeq, historyTimestamps[i], rtxSsrc);
    }

    /** Releases the frames the history holds. */
    void close() {
        if (historyFrames != null) {
            for (int i = 0; i < HISTORY; i++) {
                if (historyFrames[i] != null) {
                    historyFrames[i].release();
                    historyFrames[i] = null;
                    historyLists[i] = null;
                }
            }
        }
    }

    /** For a Sender Report: the RTP time now, extrapolated from the last frame's arrival. */
    long timestampNow(long nowNanos) {
        return (lastTimestamp + (nowNanos - lastArrivalNanos) * clockRate / 1_000_000_000L) & 0xFFFFFFFFL;
    }
}

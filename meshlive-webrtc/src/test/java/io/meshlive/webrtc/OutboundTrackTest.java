package io.meshlive.webrtc;

import io.meshlive.media.Codec;
import io.meshlive.media.Frame;
import io.meshlive.webrtc.rtp.AbsSendTime;
import io.meshlive.webrtc.rtp.RtpHeader;
import io.meshlive.webrtc.sdp.NegotiatedTrack;
import io.meshlive.webrtc.sdp.RtpCodec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One viewer's sending state over the stream's shared packets: its own header fields, a
 * timeline that continues across a publisher restart, NACK answers as RTX (RFC 4588 §4:
 * original sequence number, then the original payload) or as the packet again, and the
 * abs-send-time extension when negotiated.
 */
class OutboundTrackTest {
    private static final UnpooledByteBufAllocator ALLOC = UnpooledByteBufAllocator.DEFAULT;

    private static NegotiatedTrack video(int rtxPayloadType) {
        return video(rtxPayloadType, Map.of());
    }

    private static NegotiatedTrack video(int rtxPayloadType, Map<String, Integer> extensions) {
        RtpCodec h264 = new RtpCodec(102, "H264", 90000, 0, Map.of("packetization-mode", "1"), List.of("nack"));
        return new NegotiatedTrack("0", "video", h264, rtxPayloadType, 0x1111L, rtxPayloadType < 0 ? 0 : 0x2222L,
                Set.of("nack"), extensions, List.of(), 0);
    }

    /** A shared packet list with one 12-byte-header packet: marker set, placeholders elsewhere, payload 1..5. */
    private static ByteBuf sharedList() {
        ByteBuf list = Unpooled.buffer();
        list.writeShort(17);
        RtpHeader.write(list, true, 0, 0, 0, 0);
        list.writeBytes(new byte[] {1, 2, 3, 4, 5});
        return list;
    }

    private static Frame frame(long ptsMicros) {
        return Frame.media(Codec.H264, ptsMicros, ptsMicros, true, Unpooled.buffer(1).writeByte(0), System.nanoTime());
    }

    @Test
    void stampsItsOwnHeaderAndAnswersNacksWithRtx() {
        OutboundTrack track = new OutboundTrack(video(103), true, true);
        ByteBuf list = sharedList();
        Frame f = frame(1_000_000);
        long ts = track.timestampOf(f);
        assertThat(ts).isEqualTo(90_000);
        ByteBuf p = track.packet(ALLOC, f, list, 2, 17, ts);
        int seq = RtpHeader.sequence(p);
        assertThat(RtpHeader.payloadType(p)).isEqualTo(102);
        assertThat(RtpHeader.marker(p)).isTrue();
        assertThat(RtpHeader.ssrc(p)).isEqualTo(0x1111L);
        assertThat(RtpHeader.timestamp(p)).isEqualTo(90_000);
        assertThat(p.writableBytes()).as("room for the SRTP tag").isGreaterThanOrEqualTo(WebRtcPeer.SRTP_TAG_ROOM);
        p.release();

        ByteBuf rtx = track.retransmission(ALLOC, seq);
        assertThat(RtpHeader.payloadType(rtx)).isEqualTo(103);
        assertThat(RtpHeader.ssrc(rtx)).isEqualTo(0x2222L);
        assertThat(RtpHeader.timestamp(rtx)).isEqualTo(90_000);
        assertThat(rtx.getUnsignedShort(12)).as("original sequence number first").isEqualTo(seq);
        assertThat(ByteBufUtil.getBytes(rtx, 14, 5)).containsExactly(1, 2, 3, 4, 5);
        rtx.release();
        assertThat(track.retransmission(ALLOC, (seq + 1) & 0xFFFF)).as("never sent").isNull();

        track.close();
        f.release();
        list.release();
    }

    @Test
    void withAbsSendTimeNegotiatedEveryCopyCarriesItsSendTimeBetweenHeaderAndPayload() throws Exception {
        OutboundTrack track = new OutboundTrack(video(103, Map.of(AbsSendTime.URI, 3)), true, true);
        ByteBuf list = sharedList();
        Frame f = frame(1_000_000);
        int before = AbsSendTime.fromNanos(System.nanoTime());
        ByteBuf p = track.packet(ALLOC, f, list, 2, 17, track.timestampOf(f));
        int after = AbsSendTime.fromNanos(System.nanoTime());
        assertThat(RtpHeader.headerLength(p)).isEqualTo(12 + AbsSendTime.BLOCK_LENGTH);
        assertThat(p.getUnsignedShort(12)).as("one-byte header profile").isEqualTo(0xBEDE);
        assertThat(p.getUnsignedShort(14)).as("block length in words").isEqualTo(1);
        assertThat((int) p.getUnsignedByte(16)).as("id 3, 3 bytes").isEqualTo(0x32);
        assertThat(p.getUnsignedMedium(17)).as("send time").isBetween(before, after);
        assertThat(ByteBufUtil.getBytes(p, 20, 5)).containsExactly(1, 2, 3, 4, 5);
        assertThat(p.readableBytes()).isEqualTo(17 + AbsSendTime.BLOCK_LENGTH);
        assertThat(p.writableBytes()).as("room for the SRTP tag").isGreaterThanOrEqualTo(WebRtcPeer.SRTP_TAG_ROOM);
        assertThat(RtpHeader.marker(p)).isTrue();
        int seq = RtpHeader.sequence(p);
        p.release();

        ByteBuf rtx = track.retransmission(ALLOC, seq);
        assertThat(RtpHeader.headerLength(rtx)).isEqualTo(12 + AbsSendTime.BLOCK_LENGTH);
        assertThat((int) rtx.getUnsignedByte(16)).isEqualTo(0x32);
        assertThat(rtx.getUnsignedShort(20)).as("RTX: original sequence number after the extension").isEqualTo(seq);
        assertThat(ByteBufUtil.getBytes(rtx, 22, 5)).containsExactly(1, 2, 3, 4, 5);
        assertThat(RtpHeader.ssrc(rtx)).isEqualTo(0x2222L);
        rtx.release();
        track.close();
        f.release();
        list.release();
    }

    @Test
    void unstampedTracksAndIdsBeyondTheOneByteFormGetNoExtension() throws Exception {
        for (OutboundTrack track : new OutboundTrack[] {
                new OutboundTrack(video(-1, Map.of(AbsSendTime.URI, 3)), false, false),
                new OutboundTrack(video(-1, Map.of(AbsSendTime.URI, 15)), false, true)}) {
            ByteBuf list = sharedList();
            Frame f = frame(0);
            ByteBuf p = track.packet(ALLOC, f, list, 2, 17, track.timestampOf(f));
            assertThat(RtpHeader.headerLength(p)).isEqualTo(12);
            assertThat(p.readableBytes()).isEqualTo(17);
            p.release();
            f.release();
            list.release();
        }
    }

    @Test
    void withoutRtxTheSamePacketGoesAgain() {
        OutboundTrack track = new OutboundTrack(video(-1), true, true);
        ByteBuf list = sharedList();
        Frame f = frame(0);
        ByteBuf p = track.packet(ALLOC, f, list, 2, 17, track.timestampOf(f));
        ByteBuf again = track.retransmission(ALLOC, RtpHeader.sequence(p));
        assertThat(ByteBufUtil.getBytes(again)).isEqualTo(ByteBufUtil.getBytes(p));
        p.release();
        again.release();
        track.close();
        f.release();
        list.release();
    }

    @Test
    void aPublisherRestartContinuesTheTimelineInsteadOfJumpingBack() {
        OutboundTrack track = new OutboundTrack(video(-1), false, true);
        ByteBuf list = sharedList();
        Frame late = frame(60_000_000); // a minute into the first publisher's timeline
        ByteBuf p = track.packet(ALLOC, late, list, 2, 17, track.timestampOf(late));
        p.release();
        track.resync();
        Frame restart = frame(0); // the next publisher starts at zero
        // A cue attached to the next frame carries the timestamp that frame will get, resync included.
        assertThat(track.timestampAt(0)).isEqualTo(60L * 90_000 + 90_000 / 30);
        assertThat(track.timestampOf(restart)).isEqualTo(60L * 90_000 + 90_000 / 30);
        Frame next = frame(33_333);
        assertThat(track.timestampAt(33_333)).isEqualTo(60L * 90_000 + 90_000 / 30 + 2999);
        assertThat(track.timestampOf(next)).isEqualTo(60L * 90_000 + 90_000 / 30 + 2999);
        track.close();
        late.release();
        restart.release();
        next.release();
        list.release();
    }
}

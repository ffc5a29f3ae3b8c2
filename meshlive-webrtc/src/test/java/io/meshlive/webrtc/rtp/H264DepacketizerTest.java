package io.meshlive.webrtc.rtp;

import io.meshlive.webrtc.rtp.Captures.Flv;
import io.meshlive.webrtc.rtp.Captures.VideoFrame;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** ffmpeg's RTP packets of a libx264 stream must come back as exactly the access units ffmpeg muxed. */
class H264DepacketizerTest {
    private static final Flv FLV = Captures.h264Flv();
    private static final List<byte[]> PACKETS = Captures.h264Packets();

    record AccessUnit(byte[] nals, long timestamp, boolean keyframe, byte[] sps, byte[] pps) {
    }

    private final List<AccessUnit> units = new ArrayList<>();
    private final H264Depacketizer depacketizer = new H264Depacketizer(ByteBufAllocator.DEFAULT,
            (nals, ts, key, sps, pps) -> {
                units.add(new AccessUnit(ByteBufUtil.getBytes(nals), ts, key, sps, pps));
                nals.release();
            });

    @AfterEach
    void close() {
        depacketizer.close();
    }

    private void feed(byte[] packet, boolean gap) throws RtpException {
        ByteBuf buf = Unpooled.wrappedBuffer(packet);
        try {
            depacketizer.packet(buf, gap);
        } finally {
            buf.release();
        }
    }

    @Test
    void captureHasEveryPacketKind() {
        assertThat(PACKETS).hasSize(40);
        assertThat(PACKETS).extracting(p -> p[12] & 0x1F).contains(1, 6, 24, 28);
        assertThat(FLV.frames()).hasSize(30);
    }

    @Test
    void reassemblesFfmpegsAccessUnits() throws RtpException {
        for (byte[] p : PACKETS) {
            feed(p, false);
        }
        assertThat(units).hasSize(FLV.frames().size());
        long ts0 = units.get(0).timestamp();
        long pts0 = FLV.frames().get(0).ptsMicros();
        for (int i = 0; i < units.size(); i++) {
            VideoFrame expected = FLV.frames().get(i);
            AccessUnit actual = units.get(i);
            assertThat(actual.nals()).as("access unit %d", i).isEqualTo(expected.nals());
            assertThat(actual.keyframe()).as("keyframe %d", i).isEqualTo(expected.keyframe());
            assertThat((actual.timestamp() - ts0) & 0xFFFF_FFFFL)
                    .isEqualTo(RtpClock.toRtp(expected.ptsMicros() - pts0, RtpClock.VIDEO_CLOCK_RATE));
            assertThat(actual.sps()).isEqualTo(FLV.config().sps().get(0));
            assertThat(actual.pps()).isEqualTo(FLV.config().pps().get(0));
        }
        // Repeated parameter sets keep the same arrays, so a consumer can tell a change by identity.
        assertThat(units.get(29).sps()).isSameAs(units.get(0).sps());
        assertThat(depacketizer.droppedAccessUnits()).isZero();
    }

    @Test
    void lossDropsUntilTheNextIdr() throws RtpException {
        int lostIndex = 15; // the middle FU-A of the second IDR (seq 2288)
        assertThat(PACKETS.get(lostIndex)[12] & 0x1F).isEqualTo(28);
        for (int i = 0; i < PACKETS.size(); i++) {
            if (i != lostIndex) {
                feed(PACKETS.get(i), i == lostIndex + 1);
            }
        }
        // Frames 0..9 (first GOP) and 20..29 (third GOP) survive; the second GOP's IDR is broken,
        // and its nine other frames reference it.
        assertThat(units).hasSize(20);
        assertThat(units.get(10).keyframe()).isTrue();
        assertThat(units.get(10).nals()).isEqualTo(FLV.frames().get(20).nals());
        assertThat(depacketizer.droppedAccessUnits()).isEqualTo(10);
    }

    @Test
    void streamStartsAtItsFirstIdr() throws RtpException {
        // Join mid-FU-A of the first IDR: the rest of the first GOP is useless.
        for (byte[] p : PACKETS.subList(3, PACKETS.size())) {
            feed(p, false);
        }
        assertThat(units).hasSize(20);
        assertThat(units.get(0).nals()).isEqualTo(FLV.frames().get(10).nals());
        assertThat(depacketizer.droppedAccessUnits()).isEqualTo(10);
    }

    @Test
    void missingMarkerEndsTheAccessUnitAtTheNextTimestamp() throws RtpException {
        for (byte[] p : PACKETS.subList(0, 6)) {
            byte[] copy = p.clone();
            copy[1] &= 0x7F; // drop the marker
            feed(copy, false);
        }
        assertThat(units).hasSize(1);
        assertThat(units.get(0).nals()).isEqualTo(FLV.frames().get(0).nals());
    }

    @Test
    void malformedPayloadDropsItsAccessUnitAndThrows() throws RtpException {
        byte[] stap = PACKETS.get(0).clone();
        stap[13] = (byte) 0xFF; // first aggregated NAL unit's size now runs past the packet
        assertThatThrownBy(() -> feed(stap, false)).isInstanceOf(RtpException.class).hasMessageContaining("STAP-A");
        for (byte[] p : PACKETS.subList(1, PACKETS.size())) {
            feed(p, false);
        }
        assertThat(units).hasSize(20);
        assertThat(depacketizer.droppedAccessUnits()).isEqualTo(10);
    }

    @Test
    void rejectsOtherPacketizationModes() {
        byte[] p = PACKETS.get(5).clone();
        p[12] = (byte) ((p[12] & 0xE0) | 26); // MTAP16
        assertThatThrownBy(() -> feed(p, false)).isInstanceOf(RtpException.class).hasMessageContaining("type 26");
    }

    @Test
    void reorderedCaptureThroughTheReorderBufferStillMatches() throws RtpException {
        ReorderBuffer reorder = new ReorderBuffer(64, 50_000_000L);
        List<byte[]> shuffled = new ArrayList<>(PACKETS);
        // Swap every other pair two apart; the first packet stays first, as the buffer starts from it.
        for (int i = 1; i + 2 < shuffled.size(); i += 4) {
            shuffled.set(i, PACKETS.get(i + 2));
            shuffled.set(i + 2, PACKETS.get(i));
        }
        List<RtpException> errors = new ArrayList<>();
        for (byte[] p : shuffled) {
            reorder.add(Unpooled.wrappedBuffer(p), 0, (packet, gap) -> {
                try {
                    depacketizer.packet(packet, gap);
                } catch (RtpException e) {
                    errors.add(e);
                } finally {
                    packet.release();
                }
            });
        }
        reorder.close();
        assertThat(errors).isEmpty();
        assertThat(reorder.late()).isZero();
        assertThat(units).hasSize(FLV.frames().size());
        for (int i = 0; i < units.size(); i++) {
            assertThat(units.get(i).nals()).as("access unit %d", i).isEqualTo(FLV.frames().get(i).nals());
        }
    }
}

package io.meshlive.webrtc.rtp;

import io.meshlive.webrtc.rtp.Captures.Flv;
import io.meshlive.webrtc.rtp.Captures.VideoFrame;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Packets of real libx264 access units, read back by our depacketiser and by ffmpeg's. */
class H264PacketizerTest {
    private static final Flv FLV = Captures.h264Flv();
    private static final byte[][] PARAMETER_SETS = H264Packetizer.parameterSets(FLV.config());
    private static final int PT = 102;

    private final H264Packetizer packetizer = new H264Packetizer(1200);

    /** Packets of {@code frames}, 90 kHz timestamps from their pts, numbered from 65500 so the numbers wrap. */
    private List<byte[]> packetize(List<VideoFrame> frames) throws RtpException {
        List<byte[]> packets = new ArrayList<>();
        for (VideoFrame frame : frames) {
            ByteBuf nals = Unpooled.wrappedBuffer(frame.nals());
            ByteBuf out = ByteBufAllocator.DEFAULT.buffer();
            try {
                packetizer.packetize(nals, PARAMETER_SETS, frame.keyframe(), PT,
                        RtpClock.toRtp(frame.ptsMicros(), RtpClock.VIDEO_CLOCK_RATE), out);
                assertThat(nals.readerIndex()).isZero();
                packets.addAll(PacketLists.copies(out, 65500 + packets.size(), 0x1234_5678L));
            } finally {
                nals.release();
                out.release();
            }
        }
        return packets;
    }

    /** The frames as a publisher with global headers sends them: parameter sets only in the config. */
    private static List<VideoFrame> withoutParameterSets() {
        return FLV.frames().stream().map(f -> new VideoFrame(Captures.lengthPrefixed(Captures.nalUnits(f.nals())
                .stream().filter(n -> (n[0] & 0x1F) != 7 && (n[0] & 0x1F) != 8).toList()), f.ptsMicros(), f.keyframe()))
                .toList();
    }

    private static List<byte[]> depacketize(List<byte[]> packets) throws RtpException {
        List<byte[]> units = new ArrayList<>();
        H264Depacketizer depacketizer = new H264Depacketizer(ByteBufAllocator.DEFAULT, (nals, ts, key, sps, pps) -> {
            units.add(ByteBufUtil.getBytes(nals));
            nals.release();
        });
        try {
            for (byte[] p : packets) {
                ByteBuf buf = Unpooled.wrappedBuffer(p);
                try {
                    depacketizer.packet(buf, false);
                } finally {
                    buf.release();
                }
            }
        } finally {
            depacketizer.close();
        }
        return units;
    }

    @Test
    void roundTripsThroughTheDepacketizer() throws RtpException {
        List<byte[]> packets = packetize(FLV.frames());
        List<byte[]> units = depacketize(packets);
        assertThat(units).hasSize(FLV.frames().size());
        for (int i = 0; i < units.size(); i++) {
            assertThat(units.get(i)).as("access unit %d", i).isEqualTo(FLV.frames().get(i).nals());
        }
        assertThat(packets).allSatisfy(p -> assertThat(p.length).isLessThanOrEqualTo(1200));
        // One marker per frame, on its last packet: the packet before each timestamp change.
        int markers = 0;
        for (int i = 0; i < packets.size(); i++) {
            ByteBuf p = Unpooled.wrappedBuffer(packets.get(i));
            boolean last = i + 1 == packets.size()
                    || RtpHeader.timestamp(p) != RtpHeader.timestamp(Unpooled.wrappedBuffer(packets.get(i + 1)));
            assertThat(RtpHeader.marker(p)).as("marker of packet %d", i).isEqualTo(last);
            assertThat(RtpHeader.payloadType(p)).isEqualTo(PT);
            markers += RtpHeader.marker(p) ? 1 : 0;
        }
        assertThat(markers).isEqualTo(30);
        assertThat(packets).extracting(p -> p[12] & 0x1F).contains(24, 28, 1);
    }

    @Test
    void keyframeWithoutInBandParameterSetsStartsWithThemInOneStapA() throws RtpException {
        List<byte[]> packets = packetize(withoutParameterSets().subList(0, 1));
        byte[] stap = packets.get(0);
        byte[] sps = FLV.config().sps().get(0);
        byte[] pps = FLV.config().pps().get(0);
        assertThat(stap).hasSize(12 + 1 + 2 + sps.length + 2 + pps.length);
        assertThat(stap[12]).isEqualTo((byte) (0x60 | 24)); // NRI the maximum of SPS's and PPS's (3)
        assertThat(Arrays.copyOfRange(stap, 15, 15 + sps.length)).isEqualTo(sps);
        assertThat(Arrays.copyOfRange(stap, 17 + sps.length, stap.length)).isEqualTo(pps);
        List<byte[]> expected = new ArrayList<>(List.of(sps, pps));
        expected.addAll(Captures.nalUnits(withoutParameterSets().get(0).nals()));
        assertThat(depacketize(packets).get(0)).isEqualTo(Captures.lengthPrefixed(expected));
    }

    @Test
    void keyframeWithInBandParameterSetsDoesNotRepeatThem() throws RtpException {
        List<byte[]> nals = Captures.nalUnits(depacketize(packetize(FLV.frames().subList(0, 1))).get(0));
        assertThat(nals).filteredOn(n -> (n[0] & 0x1F) == 7).hasSize(1);
    }

    @Test
    void dropsDelimitersAndFillerAndFragmentsEvenly() throws RtpException {
        byte[] slice = new byte[3000];
        for (int i = 0; i < slice.length; i++) {
            slice[i] = (byte) (i * 7);
        }
        slice[0] = 0x45; // IDR slice, NRI 2 (IDR so the depacketiser delivers it at once)
        byte[] aud = {0x09, (byte) 0xF0};
        byte[] filler = {0x0C, (byte) 0xFF, (byte) 0xFF, (byte) 0x80};
        List<byte[]> packets = packetize(List.of(new VideoFrame(Captures.lengthPrefixed(List.of(aud, slice, filler)), 0, false)));
        // 2999 bytes after the NAL header in fragments of at most 1186: three of 1000 or 999.
        assertThat(packets).extracting(p -> p.length).containsExactly(12 + 2 + 1000, 12 + 2 + 1000, 12 + 2 + 999);
        assertThat(packets).extracting(p -> p[12]).containsOnly((byte) (0x40 | 28));
        assertThat(packets).extracting(p -> p[13]).containsExactly((byte) 0x85, (byte) 0x05, (byte) 0x45);
        assertThat(depacketize(packets)).singleElement().isEqualTo(Captures.lengthPrefixed(List.of(slice)));
    }

    @Test
    void smallNalUnitsShareAStapA() throws RtpException {
        byte[] sei = {0x06, 0x05, 0x01, 0x00, (byte) 0x80};
        byte[] slice = {0x65, 0x11, 0x22};
        List<byte[]> packets = packetize(List.of(new VideoFrame(Captures.lengthPrefixed(List.of(sei, slice)), 0, true)));
        assertThat(packets).hasSize(2); // parameter sets, then SEI + IDR
        assertThat(packets.get(1)).containsExactly(0x80, 0x80 | PT, 0xFF, 0xDD, 0, 0, 0, 0, 0x12, 0x34, 0x56, 0x78,
                0x60 | 24, 0, 5, 0x06, 0x05, 0x01, 0x00, 0x80, 0, 3, 0x65, 0x11, 0x22);
    }

    @Test
    void nalLengthPastTheEndThrowsAndWritesNothing() {
        ByteBuf nals = Unpooled.wrappedBuffer(new byte[] {0, 0, 0, 3, 0x41, 1, 2, 0, 0, 0, 9, 0x41});
        ByteBuf out = ByteBufAllocator.DEFAULT.buffer();
        try {
            assertThatThrownBy(() -> packetizer.packetize(nals, null, false, PT, 0, out))
                    .isInstanceOf(RtpException.class).hasMessageContaining("runs past");
            assertThat(out.readableBytes()).isZero();
        } finally {
            nals.release();
            out.release();
        }
    }

    @Test
    void ffmpegDepacketizesWhatWeSend(@TempDir Path dir) throws Exception {
        List<VideoFrame> frames = withoutParameterSets();
        List<byte[]> expected = new ArrayList<>();
        for (VideoFrame frame : frames) {
            if (frame.keyframe()) {
                expected.addAll(Arrays.asList(PARAMETER_SETS));
            }
            expected.addAll(Captures.nalUnits(frame.nals()));
        }
        List<byte[]> received = FfmpegRtpReceiver.receive(dir, "H264/90000", "packetization-mode=1", "h264",
                packetize(frames));
        assertThat(received).hasSize(expected.size());
        for (int i = 0; i < expected.size(); i++) {
            assertThat(received.get(i)).as("NAL unit %d", i).isEqualTo(expected.get(i));
        }
    }
}

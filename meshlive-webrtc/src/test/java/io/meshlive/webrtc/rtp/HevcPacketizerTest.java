package io.meshlive.webrtc.rtp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Packets of real libx265 access units, read back by ffmpeg's RFC 7798 depacketiser. */
class HevcPacketizerTest {
    private static final int PT = 98;
    private static final int VPS = 32;
    private static final int SPS = 33;
    private static final int PPS = 34;

    private static int type(byte[] nal) {
        return (nal[0] >> 1) & 0x3F;
    }

    /** One second of libx265 as Annex B, a keyframe every 10 frames, parameter sets before each. */
    private static List<byte[]> x265NalUnits(Path dir) throws Exception {
        Path hevc = dir.resolve("in.hevc");
        Process p = new ProcessBuilder("ffmpeg", "-nostdin", "-v", "error", "-f", "lavfi",
                "-i", "testsrc=size=320x240:rate=30", "-t", "1", "-pix_fmt", "yuv420p", "-c:v", "libx265",
                "-x265-params", "keyint=10:bframes=0:log-level=error", "-f", "hevc", "-y", hevc.toString())
                .inheritIO().start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        return FfmpegRtpReceiver.annexBNalUnits(Files.readAllBytes(hevc));
    }

    /** Splits the NAL units into access units: one slice per picture here, so each VCL NAL unit ends one. */
    private static List<List<byte[]>> accessUnits(List<byte[]> nals) {
        List<List<byte[]>> units = new ArrayList<>();
        List<byte[]> current = new ArrayList<>();
        for (byte[] nal : nals) {
            current.add(nal);
            if (type(nal) < 32) {
                units.add(current);
                current = new ArrayList<>();
            }
        }
        return units;
    }

    @Test
    void ffmpegDepacketizesWhatWeSend(@TempDir Path dir) throws Exception {
        List<byte[]> nals = x265NalUnits(dir);
        byte[][] parameterSets = {
                nals.stream().filter(n -> type(n) == VPS).findFirst().orElseThrow(),
                nals.stream().filter(n -> type(n) == SPS).findFirst().orElseThrow(),
                nals.stream().filter(n -> type(n) == PPS).findFirst().orElseThrow(),
        };
        HevcPacketizer packetizer = new HevcPacketizer(600);
        List<byte[]> packets = new ArrayList<>();
        List<byte[]> expected = new ArrayList<>();
        List<List<byte[]>> units = accessUnits(nals);
        assertThat(units).hasSize(30);
        for (int i = 0; i < units.size(); i++) {
            // As the hub carries them: parameter sets in the config, not in the frames.
            List<byte[]> frame = units.get(i).stream().filter(n -> type(n) < VPS || type(n) > PPS).toList();
            int vclType = type(frame.get(frame.size() - 1));
            boolean keyframe = vclType >= 16 && vclType <= 23;
            if (keyframe) {
                expected.addAll(List.of(parameterSets));
            }
            expected.addAll(frame);
            ByteBuf in = Unpooled.wrappedBuffer(Captures.lengthPrefixed(frame));
            ByteBuf out = ByteBufAllocator.DEFAULT.buffer();
            try {
                packetizer.packetize(in, parameterSets, keyframe, PT, i * 3000L, out);
                packets.addAll(PacketLists.copies(out, packets.size(), 0xCAFEL));
            } finally {
                in.release();
                out.release();
            }
        }
        assertThat(packets).allSatisfy(p -> assertThat(p.length).isLessThanOrEqualTo(600));
        // The first packet aggregates VPS, SPS, PPS: type 48, LayerId 0, TID 1 (RFC 7798 4.4.2).
        assertThat(packets.get(0)[12]).isEqualTo((byte) (48 << 1));
        assertThat(packets.get(0)[13]).isEqualTo((byte) 1);
        assertThat(packets).extracting(p -> (p[12] >> 1) & 0x3F).contains(48, 49);

        List<byte[]> received = FfmpegRtpReceiver.receive(dir, "H265/90000", "", "hevc", packets);
        assertThat(received).hasSize(expected.size());
        for (int i = 0; i < expected.size(); i++) {
            assertThat(received.get(i)).as("NAL unit %d", i).isEqualTo(expected.get(i));
        }
    }
}

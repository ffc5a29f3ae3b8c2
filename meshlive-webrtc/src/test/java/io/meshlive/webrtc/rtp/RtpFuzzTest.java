package io.meshlive.webrtc.rtp;

import io.meshlive.testkit.FuzzLeakGate;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * Arbitrary packets into the header accessors and the H.264 depacketiser: the only acceptable
 * failure is an RtpException, and nothing may leak. The input is split into packets at each
 * "\n--\n" so one run can hold several, and FU-A state carries across them. Jazzer runs the seeds
 * (ffmpeg's packets, whole and cut) in the normal build; set JAZZER_FUZZ=1 to fuzz.
 */
class RtpFuzzTest {
    private static final String SEPARATOR = "\n--\n";

    static Stream<Arguments> seeds() {
        List<byte[]> packets = Captures.h264Packets();
        return Stream.of(
                Arguments.of((Object) join(packets.subList(0, 8))),
                Arguments.of((Object) join(packets.subList(2, 6))),
                Arguments.of((Object) cutEach(packets.subList(0, 8), 15)),
                Arguments.of((Object) packets.get(0)));
    }

    private static byte[] join(List<byte[]> packets) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : packets) {
            out.writeBytes(p);
            out.writeBytes(SEPARATOR.getBytes(StandardCharsets.ISO_8859_1));
        }
        return out.toByteArray();
    }

    private static byte[] cutEach(List<byte[]> packets, int length) {
        return join(packets.stream().map(p -> Arrays.copyOf(p, Math.min(p.length, length))).toList());
    }

    @MethodSource("seeds")
    @FuzzTest(maxDuration = "30s")
    void headerAndDepacketizer(byte[] data) {
        try (FuzzLeakGate gate = FuzzLeakGate.open()) {
            H264Depacketizer depacketizer = new H264Depacketizer(ByteBufAllocator.DEFAULT,
                    (nals, ts, key, sps, pps) -> nals.release());
            try {
                // Separators found by String.indexOf, not a loop of our own: Jazzer traces every
                // compare in test code, and a byte-by-byte scan was most of the time of a run.
                String text = new String(data, StandardCharsets.ISO_8859_1);
                int start = 0;
                while (true) {
                    int separator = text.indexOf(SEPARATOR, start);
                    int end = separator < 0 ? data.length : separator;
                    feed(depacketizer, data, start, end - start, (end & 1) == 1);
                    if (separator < 0) {
                        break;
                    }
                    start = separator + SEPARATOR.length();
                }
            } finally {
                depacketizer.close();
            }
        }
    }

    private static void feed(H264Depacketizer depacketizer, byte[] data, int offset, int length, boolean gap) {
        ByteBuf p = ByteBufAllocator.DEFAULT.buffer(length);
        p.writeBytes(data, offset, length);
        try {
            RtpHeader.looksLikeRtp(p);
            RtpHeader.isRtcp(p);
            if (p.readableBytes() >= RtpHeader.FIXED_LENGTH) {
                RtpHeader.sequence(p);
                RtpHeader.timestamp(p);
                RtpHeader.ssrc(p);
                RtpHeader.marker(p);
                RtpHeader.payloadType(p);
            }
            RtpHeader.payloadLength(p);
            depacketizer.packet(p, gap);
        } catch (RtpException expected) {
            // bad input, reported as such
        } finally {
            p.release();
        }
    }
}

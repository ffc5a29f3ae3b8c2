package io.meshlive.media.flv;

import io.meshlive.testkit.FuzzLeakGate;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.meshlive.media.Frame;
import io.meshlive.media.MediaFormatException;
import io.meshlive.media.TestMedia;
import io.meshlive.media.aac.AacConfig;
import io.meshlive.media.avc.AvcDecoderConfig;
import io.meshlive.media.avc.AvcSps;
import io.meshlive.media.hevc.HevcDecoderConfig;
import io.netty.buffer.ByteBuf;

import java.util.function.Function;

/**
 * Whatever the bytes, parsers either succeed or throw {@link MediaFormatException}, and every
 * buffer and frame is released. In a normal build Jazzer runs the seeds under
 * {@code FlvFuzzTestInputs/<method>/}; {@code JAZZER_FUZZ=1} fuzzes for real.
 */
class FlvFuzzTest {
    private static final long DTS = 123_000;

    @FuzzTest
    void flvReader(byte[] data) {
        try (FuzzLeakGate gate = FuzzLeakGate.open()) {
            ByteBuf flv = TestMedia.buffer(data);
            try {
                FlvReader reader = new FlvReader(flv);
                for (FlvTag tag = reader.next(); tag != null; tag = reader.next()) {
                    try {
                        release(tag.toFrame(0));
                    } catch (MediaFormatException expected) {
                        // a bad tag body; the reader goes on with the next tag
                    } finally {
                        tag.release();
                    }
                }
            } catch (MediaFormatException expected) {
                // a bad file
            } finally {
                flv.release();
            }
        }
    }

    /** The same bytes as an HTTP-FLV body arriving in pieces of a size the first byte picks. */
    @FuzzTest
    void flvStreamReader(byte[] data) {
        try (FuzzLeakGate gate = FuzzLeakGate.open()) {
            if (data.length == 0) {
                return;
            }
            int piece = 1 + (data[0] & 0xFF);
            FlvStreamReader reader = new FlvStreamReader();
            ByteBuf cumulation = io.netty.buffer.Unpooled.buffer();
            try {
                for (int at = 1; at < data.length; at += piece) {
                    cumulation.writeBytes(data, at, Math.min(piece, data.length - at));
                    for (FlvTag tag = reader.next(cumulation); tag != null; tag = reader.next(cumulation)) {
                        try {
                            release(tag.toFrame(0));
                        } catch (MediaFormatException expected) {
                            // a bad tag body; the reader goes on with the next tag
                        } finally {
                            tag.release();
                        }
                    }
                    cumulation.discardSomeReadBytes();
                }
            } catch (MediaFormatException expected) {
                // not FLV
            } finally {
                cumulation.release();
            }
        }
    }

    @FuzzTest
    void videoTagBody(byte[] data) {
        try (FuzzLeakGate gate = FuzzLeakGate.open()) {
            decodeAndRoundTrip(data, FlvBodies.videoDecoder(DTS));
        }
    }

    @FuzzTest
    void audioTagBody(byte[] data) {
        try (FuzzLeakGate gate = FuzzLeakGate.open()) {
            decodeAndRoundTrip(data, FlvBodies.audioDecoder(DTS));
        }
    }

    @FuzzTest
    void scriptTagBody(byte[] data) {
        try (FuzzLeakGate gate = FuzzLeakGate.open()) {
            decodeAndRoundTrip(data, body -> FlvTagBody.decodeScript(body, DTS, 0));
        }
    }

    @FuzzTest
    void avcDecoderConfig(byte[] data) {
        TestMedia.parseOrRefuse(data, record -> AvcDecoderConfig.parse(record).sps().forEach(AvcSps::parse)); // a bad record or SPS
    }

    @FuzzTest
    void avcSps(byte[] data) {
        try (FuzzLeakGate gate = FuzzLeakGate.open()) {
            try {
                AvcSps.parse(data);
            } catch (MediaFormatException expected) {
                // a bad SPS
            }
        }
    }

    @FuzzTest
    void hevcDecoderConfig(byte[] data) {
        TestMedia.parseOrRefuse(data, HevcDecoderConfig::parse); // a bad record or SPS
    }

    @FuzzTest
    void aacConfig(byte[] data) {
        TestMedia.parseOrRefuse(data, AacConfig::parse); // a bad config
    }

    /** A decoded frame must also survive re-encoding: that is what every egress does with it. */
    private static void decodeAndRoundTrip(byte[] data, Function<ByteBuf, Frame> decoder) {
        ByteBuf body = TestMedia.buffer(data);
        Frame frame = null;
        try {
            frame = decoder.apply(body);
        } catch (MediaFormatException expected) {
            // a bad body
        } finally {
            body.release();
        }
        try {
            if (frame != null) {
                FlvBodies.assertRoundTrip(frame, decoder);
            }
        } finally {
            release(frame);
        }
    }

    private static void release(Frame frame) {
        if (frame != null) {
            frame.release();
        }
    }
}

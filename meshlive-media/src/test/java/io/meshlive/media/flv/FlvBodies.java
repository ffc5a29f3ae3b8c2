package io.meshlive.media.flv;

import io.meshlive.media.Frame;
import io.meshlive.media.TestMedia;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.util.function.Function;

/** Re-encodes a decoded frame as a tag body and decodes it again, for round-trip checks. */
final class FlvBodies {
    private FlvBodies() {
    }

    /** The tag body {@link FlvTagBody#writeHeader} and the payload make; the caller releases it. */
    static ByteBuf encode(Frame frame) {
        ByteBuf body = ByteBufAllocator.DEFAULT.buffer(FlvTagBody.headerLength(frame) + frame.payload().readableBytes());
        FlvTagBody.writeHeader(frame, body);
        return body.writeBytes(frame.payload(), frame.payload().readerIndex(), frame.payload().readableBytes());
    }

    /** Asserts that decoding the frame's encoded body gives the frame back; the frame stays the caller's. */
    static void assertRoundTrip(Frame frame, Function<ByteBuf, Frame> decoder) {
        ByteBuf body = encode(frame);
        Frame again = null;
        try {
            int headerLength = FlvTagBody.headerLength(frame);
            if (body.readableBytes() != headerLength + frame.payload().readableBytes()) {
                throw new AssertionError("headerLength " + headerLength + " disagrees with writeHeader for " + frame);
            }
            again = decoder.apply(body);
            TestMedia.assertSameFrame(again, frame);
        } finally {
            body.release();
            if (again != null) {
                again.release();
            }
        }
    }

    static Function<ByteBuf, Frame> videoDecoder(long dts) {
        return body -> FlvTagBody.decodeVideo(body, dts, 0);
    }

    static Function<ByteBuf, Frame> audioDecoder(long dts) {
        return body -> FlvTagBody.decodeAudio(body, dts, 0);
    }
}

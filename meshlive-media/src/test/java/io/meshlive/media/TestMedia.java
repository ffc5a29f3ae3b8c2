package io.meshlive.media;

import io.meshlive.testkit.FuzzLeakGate;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static io.meshlive.testkit.Hex.hex;

/** Test inputs: hex and resource bytes in leak-tracked buffers, and frame comparison. */
public final class TestMedia {
    private TestMedia() {
    }

    /** A pooled, leak-tracked copy of {@code bytes}; the caller releases it. */
    public static ByteBuf buffer(byte[] bytes) {
        return ByteBufAllocator.DEFAULT.buffer(bytes.length).writeBytes(bytes);
    }

    public static ByteBuf buffer(String hex) {
        return buffer(hex(hex));
    }

    /**
     * A fuzz input through a parser of one buffer: the parser may refuse it with a
     * {@link MediaFormatException} and nothing else, and must leave no buffer unreleased
     * ({@link FuzzLeakGate}).
     */
    public static void parseOrRefuse(byte[] data, Consumer<ByteBuf> parser) {
        try (FuzzLeakGate gate = FuzzLeakGate.open()) {
            ByteBuf in = buffer(data);
            try {
                parser.accept(in);
            } catch (MediaFormatException expected) {
                // bad input, refused as it should be
            } finally {
                in.release();
            }
        }
    }

    /** A resource next to {@code owner}'s package, e.g. {@code resource(FlvReaderTest.class, "alaw.flv")}. */
    public static byte[] resource(Class<?> owner, String name) {
        try (InputStream in = owner.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + name + " next to " + owner.getName());
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Frames are equal when everything a packager reads from them is. */
    public static void assertSameFrame(Frame actual, Frame expected) {
        assertThat(actual).as("frame").isNotNull();
        assertThat(actual.codec()).isEqualTo(expected.codec());
        assertThat(actual.dts()).as("dts").isEqualTo(expected.dts());
        assertThat(actual.pts()).as("pts").isEqualTo(expected.pts());
        assertThat(actual.isKeyframe()).as("keyframe").isEqualTo(expected.isKeyframe());
        assertThat(actual.isConfig()).as("config").isEqualTo(expected.isConfig());
        assertThat(ByteBufUtil.equals(actual.payload(), expected.payload())).as("payload of " + actual).isTrue();
    }
}

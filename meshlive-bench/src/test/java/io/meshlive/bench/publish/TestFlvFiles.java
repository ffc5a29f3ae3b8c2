package io.meshlive.bench.publish;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** FLV files for tests, made from the synthetic source. */
final class TestFlvFiles {
    private TestFlvFiles() {
    }

    /** The synthetic stream's tags with timestamps up to {@code millis}, as an FLV file. */
    static Path write(Path file, SyntheticStream spec, long millis) throws IOException {
        SyntheticSource source = new SyntheticSource(UnpooledByteBufAllocator.DEFAULT, spec);
        ByteBuf out = Unpooled.buffer();
        try {
            out.writeByte('F').writeByte('L').writeByte('V').writeByte(1).writeByte(5).writeInt(9).writeInt(0);
            while (true) {
                MediaTag tag = source.next();
                try {
                    if (tag.timestamp() > millis) {
                        break;
                    }
                    int size = tag.body().readableBytes();
                    out.writeByte(tag.type()).writeMedium(size).writeMedium((int) tag.timestamp())
                            .writeByte((int) (tag.timestamp() >>> 24)).writeMedium(0).writeBytes(tag.body()).writeInt(11 + size);
                } finally {
                    tag.body().release();
                }
            }
            Files.write(file, ByteBufUtil.getBytes(out));
            return file;
        } finally {
            out.release();
        }
    }
}

package io.meshlive.bench.wire;

import io.meshlive.media.MediaFormatException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.CorruptedFrameException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link FlvTagScanner} and {@link HttpChunkedBody}: an FLV stream, raw and in HTTP chunks, split every way. */
class FlvStreamTest {
    private final List<String> seen = new ArrayList<>();

    private FlvTagScanner recordingScanner() {
        return new FlvTagScanner((type, timestamp, dataSize, first, second) ->
                seen.add(type + "@" + timestamp + " size=" + dataSize + " head=" + first + "," + second));
    }

    private static final List<String> EXPECTED = List.of(
            "18@0 size=3 head=2,0",
            "9@0 size=5 head=23,0",
            "8@23 size=1 head=175,-1",
            "9@33 size=300 head=39,1",
            "9@16777249 size=0 head=-1,-1");

    private static ByteBuf flvStream() {
        ByteBuf b = Unpooled.buffer();
        b.writeBytes("FLV".getBytes(StandardCharsets.US_ASCII)).writeByte(1).writeByte(5).writeInt(9).writeInt(0);
        tag(b, 18, 0, new byte[] {2, 0, 0});
        tag(b, 9, 0, new byte[] {0x17, 0, 0, 0, 0});
        tag(b, 8, 23, new byte[] {(byte) 0xAF});
        byte[] frame = new byte[300];
        frame[0] = 0x27;
        frame[1] = 1;
        tag(b, 9, 33, frame);
        tag(b, 9, 0x1000021L, new byte[0]); // the timestamp's extension byte in use
        return b;
    }

    private static void tag(ByteBuf b, int type, long timestamp, byte[] body) {
        b.writeByte(type).writeMedium(body.length).writeMedium((int) timestamp).writeByte((int) (timestamp >>> 24))
                .writeMedium(0).writeBytes(body).writeInt(11 + body.length);
    }

    /** HTTP/1.1 chunks of the given sizes (the last takes the rest), an extension on one, then the last chunk. */
    private static ByteBuf chunked(ByteBuf body, int... sizes) {
        ByteBuf out = Unpooled.buffer();
        for (int i = 0; body.isReadable(); i++) {
            int n = i < sizes.length ? Math.min(sizes[i], body.readableBytes()) : body.readableBytes();
            out.writeCharSequence(Integer.toHexString(n) + (i == 1 ? ";name=value" : "") + "\r\n", StandardCharsets.US_ASCII);
            out.writeBytes(body, n).writeCharSequence("\r\n", StandardCharsets.US_ASCII);
        }
        out.writeCharSequence("0\r\n\r\n", StandardCharsets.US_ASCII);
        body.release();
        return out;
    }

    @Test
    void walksTagsWhateverTheReadBoundaries() {
        Random random = new Random(3);
        for (int round = 0; round < 100; round++) {
            seen.clear();
            FlvTagScanner scanner = recordingScanner();
            ByteBuf stream = flvStream();
            while (stream.isReadable()) {
                ByteBuf part = stream.readRetainedSlice(Math.min(stream.readableBytes(), 1 + random.nextInt(round % 2 == 0 ? 3 : 60)));
                scanner.scan(part);
                part.release();
            }
            stream.release();
            assertThat(seen).containsExactlyElementsOf(EXPECTED);
        }
    }

    @Test
    void undoesChunkedCodingWithChunksThatCutTagsAnywhere() {
        Random random = new Random(5);
        for (int round = 0; round < 100; round++) {
            seen.clear();
            FlvTagScanner scanner = recordingScanner();
            HttpChunkedBody body = new HttpChunkedBody(scanner);
            ByteBuf wire = chunked(flvStream(), 1 + random.nextInt(30), 1 + random.nextInt(30), 1 + random.nextInt(200), 7, 1);
            boolean open = true;
            while (wire.isReadable()) {
                ByteBuf part = wire.readRetainedSlice(Math.min(wire.readableBytes(), 1 + random.nextInt(50)));
                open = body.scan(part);
                assertThat(part.isReadable()).isFalse();
                part.release();
            }
            wire.release();
            assertThat(seen).containsExactlyElementsOf(EXPECTED);
            assertThat(open).as("the last chunk ends the body").isFalse();
        }
    }

    @Test
    void refusesWhatIsNotFlv() {
        ByteBuf notFlv = Unpooled.copiedBuffer("HTTP/1.1 200 OK\r\n", StandardCharsets.US_ASCII);
        try {
            assertThatThrownBy(() -> recordingScanner().scan(notFlv)).isInstanceOf(MediaFormatException.class);
        } finally {
            notFlv.release();
        }
    }

    @Test
    void refusesChunkDataLongerThanItsSize() {
        ByteBuf wire = Unpooled.copiedBuffer("3\r\nFLVX\r\n", StandardCharsets.US_ASCII);
        try {
            assertThatThrownBy(() -> new HttpChunkedBody(recordingScanner()).scan(wire)).isInstanceOf(CorruptedFrameException.class);
        } finally {
            wire.release();
        }
    }
}

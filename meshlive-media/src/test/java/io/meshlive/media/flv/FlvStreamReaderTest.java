package io.meshlive.media.flv;

import io.meshlive.media.MediaFormatException;
import io.meshlive.media.TestMedia;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;

import static io.meshlive.media.TestMedia.buffer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** An FLV file fed in pieces of any size gives the tags {@link FlvReader} reads from it whole. */
class FlvStreamReaderTest {
    @ParameterizedTest
    @ValueSource(ints = {1, 7, 11, 100, 4096, 1 << 20})
    void readsTheSameTagsWhateverThePieces(int piece) {
        byte[] file = TestMedia.resource(FlvReaderTest.class, "h264_aac.flv");
        List<String> whole = wholeFileTags(file);
        List<String> streamed = new ArrayList<>();
        FlvStreamReader reader = new FlvStreamReader();
        ByteBuf cumulation = Unpooled.buffer();
        try {
            for (int at = 0; at < file.length; at += piece) {
                cumulation.writeBytes(file, at, Math.min(piece, file.length - at));
                for (FlvTag tag = reader.next(cumulation); tag != null; tag = reader.next(cumulation)) {
                    streamed.add(describe(tag));
                    tag.release();
                }
                cumulation.discardReadBytes();
            }
            assertThat(cumulation.readableBytes()).isZero();
        } finally {
            cumulation.release();
        }
        assertThat(reader.header()).isEqualTo(new FlvHeader(1, true, true, 9));
        assertThat(streamed).isNotEmpty().isEqualTo(whole);
    }

    @Test
    void waitsForAHeaderAndRefusesWhatIsNotFlv() {
        FlvStreamReader reader = new FlvStreamReader();
        ByteBuf in = buffer("464c56");
        try {
            assertThat(reader.next(in)).isNull();
            assertThat(in.readerIndex()).isZero();
        } finally {
            in.release();
        }
        ByteBuf html = Unpooled.copiedBuffer("<html><body>404</body></html>", java.nio.charset.StandardCharsets.US_ASCII);
        try {
            assertThatThrownBy(() -> new FlvStreamReader().next(html)).isInstanceOf(MediaFormatException.class)
                    .hasMessageContaining("no 'FLV' signature");
        } finally {
            html.release();
        }
    }

    private static List<String> wholeFileTags(byte[] file) {
        List<String> tags = new ArrayList<>();
        ByteBuf flv = buffer(file);
        try {
            FlvReader reader = new FlvReader(flv);
            for (FlvTag tag = reader.next(); tag != null; tag = reader.next()) {
                tags.add(describe(tag));
                tag.release();
            }
        } finally {
            flv.release();
        }
        return tags;
    }

    private static String describe(FlvTag tag) {
        return tag.type() + "@" + tag.timestampMillis() + ":" + io.netty.buffer.ByteBufUtil.hexDump(tag.content());
    }
}

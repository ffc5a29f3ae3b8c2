package io.meshlive.flv;

import io.meshlive.media.Codec;
import io.meshlive.media.Frame;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket08FrameDecoder;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static io.meshlive.testkit.Hex.hex;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bytes every HTTP-FLV and WebSocket-FLV viewer is sent, pinned against the FLV spec (tag
 * header, AAC and AVC body headers, PreviousTagSize) and the two framings (RFC 9112 chunks,
 * RFC 6455 frames), and read back by Netty's own HTTP client and WebSocket decoders.
 */
class FlvEgressFormatTest {
    private static final ByteBufAllocator ALLOC = PooledByteBufAllocator.DEFAULT;

    /** An AAC frame at 1 s: tag type 8, 4 bytes of data (AF 01 + 2 of payload), PreviousTagSize 15. */
    private static final byte[] AAC_TAG = hex("08 000004 0003e8 00 000000", "af01 2110", "0000000f");
    /** An H.264 keyframe at 2 s shown 40 ms later: type 9, 10 bytes (17 01, cts 40, one 1-byte NAL unit). */
    private static final byte[] AVC_TAG = hex("09 00000a 0007d0 00 000000", "17 01 000028 00000001 65", "00000015");
    /** "FLV", version 1, audio and video, header length 9, PreviousTagSize0. */
    private static final byte[] FILE_HEADER = hex("464c56 01 05 00000009 00000000");

    private static Frame aac() {
        return Frame.media(Codec.AAC, 1_000_000, 1_000_000, true, Unpooled.wrappedBuffer(hex("2110")), 0);
    }

    private static Frame avcKeyframe() {
        return Frame.media(Codec.H264, 2_000_000, 2_040_000, true, Unpooled.wrappedBuffer(hex("00000001 65")), 0);
    }

    private static byte[] encode(FlvEgressFormat format, Frame frame) {
        ByteBuf out = frame.encoded(format, ALLOC);
        try {
            return ByteBufUtil.getBytes(out);
        } finally {
            frame.release(); // and with it the encoding it cached
        }
    }

    private static byte[] concat(byte[]... parts) {
        ByteBuf b = Unpooled.wrappedBuffer(parts);
        return ByteBufUtil.getBytes(b);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void httpFlvSendsEachTagAsOneChunk() {
        assertThat(encode(FlvEgressFormat.HTTP_CHUNKED, aac()))
                .isEqualTo(concat(ascii("13\r\n"), AAC_TAG, ascii("\r\n")));
        assertThat(encode(FlvEgressFormat.HTTP_CHUNKED, avcKeyframe()))
                .isEqualTo(concat(ascii("19\r\n"), AVC_TAG, ascii("\r\n")));
    }

    @Test
    void webSocketFlvSendsEachTagAsOneUnmaskedBinaryMessage() {
        assertThat(encode(FlvEgressFormat.WEBSOCKET, aac())).isEqualTo(concat(hex("82 13"), AAC_TAG));
        assertThat(encode(FlvEgressFormat.WEBSOCKET, avcKeyframe())).isEqualTo(concat(hex("82 19"), AVC_TAG));
    }

    @Test
    void theFileHeaderIsFramedLikeTheTags() {
        ByteBuf http = FlvEgressFormat.HTTP_CHUNKED.fileHeader(ALLOC);
        ByteBuf ws = FlvEgressFormat.WEBSOCKET.fileHeader(ALLOC);
        try {
            assertThat(ByteBufUtil.getBytes(http)).isEqualTo(concat(ascii("d\r\n"), FILE_HEADER, ascii("\r\n")));
            assertThat(ByteBufUtil.getBytes(ws)).isEqualTo(concat(hex("82 0d"), FILE_HEADER));
        } finally {
            http.release();
            ws.release();
        }
    }

    @Test
    void webSocketLengthsTakeTheTwoAndEightByteFormsAtTheirBoundaries() {
        // 11 + 5 + 110 + 4 = 130 bytes: the 16-bit length; 11 + 5 + 70_000 + 4: the 64-bit length.
        assertThat(webSocketPrefix(110, 4)).isEqualTo(hex("82 7e 0082"));
        assertThat(webSocketPrefix(70_000, 10)).isEqualTo(hex("82 7f 00000000 00011184"));
        assertThat(webSocketPrefix(105, 2)).as("125 bytes: still the 7-bit length").isEqualTo(hex("82 7d"));
    }

    private static byte[] webSocketPrefix(int payloadBytes, int prefixBytes) {
        Frame f = Frame.media(Codec.H264, 0, 0, false, Unpooled.wrappedBuffer(new byte[payloadBytes]), 0);
        byte[] all = encode(FlvEgressFormat.WEBSOCKET, f);
        return java.util.Arrays.copyOf(all, prefixBytes);
    }

    @Test
    void nettysHttpClientReadsTheChunksBackAsAnFlvFile() {
        EmbeddedChannel client = new EmbeddedChannel(new HttpClientCodec());
        ByteBuf stream = Unpooled.buffer();
        stream.writeCharSequence("HTTP/1.1 200 OK\r\nContent-Type: video/x-flv\r\nTransfer-Encoding: chunked\r\n\r\n",
                StandardCharsets.US_ASCII);
        ByteBuf header = FlvEgressFormat.HTTP_CHUNKED.fileHeader(ALLOC);
        stream.writeBytes(header);
        header.release();
        stream.writeBytes(encode(FlvEgressFormat.HTTP_CHUNKED, aac()));
        stream.writeBytes(encode(FlvEgressFormat.HTTP_CHUNKED, avcKeyframe()));
        stream.writeCharSequence("0\r\n\r\n", StandardCharsets.US_ASCII);
        client.writeOneOutbound(new io.netty.handler.codec.http.DefaultFullHttpRequest(
                io.netty.handler.codec.http.HttpVersion.HTTP_1_1, io.netty.handler.codec.http.HttpMethod.GET, "/live/a.flv"));
        client.writeInbound(stream);

        Object head = client.readInbound();
        assertThat(head).isInstanceOf(HttpResponse.class);
        CompositeByteBuf body = Unpooled.compositeBuffer();
        Object part;
        boolean last = false;
        while ((part = client.readInbound()) != null) {
            HttpContent c = (HttpContent) part;
            body.addComponent(true, c.content().retain());
            last |= c instanceof LastHttpContent;
            c.release();
        }
        try {
            assertThat(last).as("the stream's end chunk").isTrue();
            assertThat(ByteBufUtil.getBytes(body)).isEqualTo(concat(FILE_HEADER, AAC_TAG, AVC_TAG));
        } finally {
            body.release();
            client.finishAndReleaseAll();
        }
    }

    @Test
    void nettysWebSocketDecoderReadsOneTagPerBinaryMessage() {
        EmbeddedChannel client = new EmbeddedChannel(new WebSocket08FrameDecoder(false, false, 1 << 20));
        client.writeInbound(Unpooled.wrappedBuffer(encode(FlvEgressFormat.WEBSOCKET, aac()),
                encode(FlvEgressFormat.WEBSOCKET, avcKeyframe())));

        for (byte[] expected : new byte[][] {AAC_TAG, AVC_TAG}) {
            BinaryWebSocketFrame frame = client.readInbound();
            try {
                assertThat(frame.isFinalFragment()).isTrue();
                assertThat(ByteBufUtil.getBytes(frame.content())).isEqualTo(expected);
            } finally {
                frame.release();
            }
        }
        assertThat((Object) client.readInbound()).isNull();
        client.finishAndReleaseAll();
    }
}

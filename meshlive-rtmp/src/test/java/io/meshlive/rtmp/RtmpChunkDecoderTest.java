package io.meshlive.rtmp;

import io.meshlive.testkit.Hex;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RtmpChunkDecoderTest {
    private final EmbeddedChannel ch = new EmbeddedChannel(new RtmpChunkDecoder(8 * 1024 * 1024, new PartialMessageBudget(64L * 1024 * 1024)));

    @AfterEach
    void close() {
        ch.finishAndReleaseAll();
    }

    private List<RtmpMessage> read() {
        List<RtmpMessage> out = new ArrayList<>();
        RtmpMessage m;
        while ((m = ch.readInbound()) != null) {
            out.add(m);
        }
        return out;
    }

    private static String payloadHex(RtmpMessage m) {
        return ByteBufUtil.hexDump(m.content());
    }

    /** RTMP spec 5.3.2.1: audio on one chunk stream, fmt 0, then fmt 2 (delta), then fmt 3 reusing the delta. */
    @Test
    void specExampleOneAudioWithDeltas() {
        String body = "00".repeat(32);
        ch.writeInbound(Hex.buffer("03 0003e8 000020 08 01000000" + body   // fmt0 csid3 ts=1000 len=32 type=8 msid=1
                + "c3" + body                                         // fmt3 starting a new message
        ));
        List<RtmpMessage> msgs = read();
        assertThat(msgs).hasSize(2);
        assertThat(msgs.get(0).timestamp()).isEqualTo(1000);
        assertThat(msgs.get(0).typeId()).isEqualTo(8);
        assertThat(msgs.get(0).streamId()).isEqualTo(1);
        // fmt 3 starting a new message adds the previous timestamp field (ffmpeg's reading and writing agree on it).
        assertThat(msgs.get(1).timestamp()).isEqualTo(2000);
        msgs.forEach(RtmpMessage::release);

        ch.writeInbound(Hex.buffer("43 000014 000020 08" + body   // fmt1 csid3 delta=20 len=32 type=8
                + "c3" + body));                          // fmt3: same delta again
        msgs = read();
        assertThat(msgs).extracting(RtmpMessage::timestamp).containsExactly(2020L, 2040L);
        msgs.forEach(RtmpMessage::release);
        ch.writeInbound(Hex.buffer("c3" + "00".repeat(32)));
        msgs = read();
        assertThat(msgs).extracting(RtmpMessage::timestamp).containsExactly(2060L);
        msgs.forEach(RtmpMessage::release);
    }

    /** RTMP spec 5.3.2.2: one 307-byte message in chunks of 128: fmt 0 then two fmt 3 continuations. */
    @Test
    void specExampleTwoMessageSpanningChunks() {
        byte[] payload = new byte[307];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) i;
        }
        String p = ByteBufUtil.hexDump(payload);
        ch.writeInbound(Hex.buffer("04 0003e8 000133 09 01000000" + p.substring(0, 256)
                + "c4" + p.substring(256, 512) + "c4" + p.substring(512)));
        List<RtmpMessage> msgs = read();
        assertThat(msgs).hasSize(1);
        assertThat(msgs.get(0).chunkStreamId()).isEqualTo(4);
        assertThat(msgs.get(0).typeId()).isEqualTo(9);
        assertThat(payloadHex(msgs.get(0))).isEqualTo(p);
        msgs.forEach(RtmpMessage::release);
    }

    @Test
    void byteAtATimeGivesTheSameMessages() {
        byte[] payload = new byte[300];
        ByteBuf wire = Unpooled.buffer();
        RtmpChunkWriter.write(wire, 6, 9, 1, 0x1234567, Unpooled.wrappedBuffer(payload), 128);
        while (wire.isReadable()) {
            ch.writeInbound(wire.readRetainedSlice(1));
        }
        wire.release();
        List<RtmpMessage> msgs = read();
        assertThat(msgs).hasSize(1);
        assertThat(msgs.get(0).timestamp()).isEqualTo(0x1234567);
        assertThat(msgs.get(0).content().readableBytes()).isEqualTo(300);
        msgs.forEach(RtmpMessage::release);
    }

    @Test
    void extendedTimestampOnEveryChunkAsTheWriterSendsIt() {
        ByteBuf wire = Unpooled.buffer();
        RtmpChunkWriter.write(wire, 6, 9, 1, 0xFFFFFFF0L, Unpooled.wrappedBuffer(new byte[200]), 128);
        // fmt0 header, 0xFFFFFF marker, 4-byte extended timestamp; the continuation repeats it.
        assertThat(ByteBufUtil.hexDump(wire, 0, 16)).isEqualTo("06ffffff0000c809" + "01000000" + "fffffff0");
        assertThat(ByteBufUtil.hexDump(wire, 16 + 128, 5)).isEqualTo("c6fffffff0");
        ch.writeInbound(wire);
        List<RtmpMessage> msgs = read();
        assertThat(msgs).hasSize(1);
        assertThat(msgs.get(0).timestamp()).isEqualTo(0xFFFFFFF0L);
        assertThat(msgs.get(0).content().readableBytes()).isEqualTo(200);
        msgs.forEach(RtmpMessage::release);
    }

    @Test
    void continuationWithoutExtendedTimestampIsAcceptedToo() {
        byte[] payload = new byte[200];
        payload[128] = 0x11; // continuation payload that does not look like the timestamp
        String p = ByteBufUtil.hexDump(payload);
        ch.writeInbound(Hex.buffer("06 ffffff 0000c8 09 01000000 01000000" + p.substring(0, 256) + "c6" + p.substring(256)));
        List<RtmpMessage> msgs = read();
        assertThat(msgs).hasSize(1);
        assertThat(msgs.get(0).timestamp()).isEqualTo(0x01000000L);
        assertThat(payloadHex(msgs.get(0))).isEqualTo(p);
        msgs.forEach(RtmpMessage::release);
    }

    @Test
    void setChunkSizeAppliesToTheNextChunk() {
        byte[] payload = new byte[300];
        ByteBuf wire = Unpooled.buffer();
        wire.writeBytes(ByteBufUtil.decodeHexDump("02000000000004010000000000001000")); // Set Chunk Size 4096
        RtmpChunkWriter.write(wire, 6, 9, 1, 40, Unpooled.wrappedBuffer(payload), 4096);
        ch.writeInbound(wire);
        List<RtmpMessage> msgs = read();
        assertThat(msgs).hasSize(1);
        assertThat(msgs.get(0).content().readableBytes()).isEqualTo(300);
        assertThat(((RtmpChunkDecoder) ch.pipeline().first()).chunkSize()).isEqualTo(4096);
        msgs.forEach(RtmpMessage::release);
    }

    @Test
    void abortDropsThePartialMessage() {
        String part = "00".repeat(128);
        ch.writeInbound(Hex.buffer("06 000000 000100 09 01000000" + part                // first half of a 256-byte message
                + "02 000000 000004 02 00000000 00000006"                         // Abort csid 6
                + "06 000000 000002 09 01000000 abcd"));                          // a fresh message on csid 6
        List<RtmpMessage> msgs = read();
        assertThat(msgs).hasSize(1);
        assertThat(payloadHex(msgs.get(0))).isEqualTo("abcd");
        msgs.forEach(RtmpMessage::release);
    }

    @Test
    void twoAndThreeByteChunkStreamIds() {
        ch.writeInbound(Hex.buffer("00 00 000000 000001 14 00000000 aa"      // csid 64 (2-byte form)
                + "01 ff00 000000 000001 14 00000000 bb"));           // csid 64+255 (3-byte form, little endian)
        List<RtmpMessage> msgs = read();
        assertThat(msgs).extracting(RtmpMessage::chunkStreamId).containsExactly(64, 319);
        msgs.forEach(RtmpMessage::release);
    }

    @Test
    void interleavedChunkStreams() {
        String a = "11".repeat(128);
        String v = "22".repeat(128);
        ch.writeInbound(Hex.buffer("04 000000 000100 08 01000000" + a + "06 000000 000100 09 01000000" + v
                + "c4" + a + "c6" + v));
        List<RtmpMessage> msgs = read();
        assertThat(msgs).extracting(RtmpMessage::typeId).containsExactly(8, 9);
        msgs.forEach(RtmpMessage::release);
    }

    @Test
    void lyingLengthIsRefusedBeforeAllocating() {
        assertThatThrownBy(() -> ch.writeInbound(Hex.buffer("06 000000 ffffff 09 01000000")))
                .isInstanceOf(RtmpProtocolException.class)
                .hasMessageContaining("over the limit");
    }

    @Test
    void continuationHeaderOnAnUnknownChunkStreamIsRefused() {
        assertThatThrownBy(() -> ch.writeInbound(Hex.buffer("46 000000 000001 09 aa")))
                .isInstanceOf(RtmpProtocolException.class)
                .hasMessageContaining("must carry a full header");
    }

    @Test
    void absurdChunkSizeIsRefused() {
        assertThatThrownBy(() -> ch.writeInbound(Hex.buffer("02 000000 000004 01 00000000 7fffffff")))
                .isInstanceOf(RtmpProtocolException.class)
                .hasMessageContaining("Set Chunk Size");
    }

    private static RtmpChunkDecoder publishing(RtmpChunkDecoder d) {
        d.allowMediaMessages();
        return d;
    }

    /** A connect (AMF0 command) claiming 8 MB: refused at its header, before any of it is buffered. */
    @Test
    void aCommandHasItsOwnSmallLimit() {
        EmbeddedChannel publisher = new EmbeddedChannel(publishing(new RtmpChunkDecoder(8 << 20, new PartialMessageBudget(64L << 20))));
        assertThatThrownBy(() -> publisher.writeInbound(Hex.buffer("03 000000 7fffff 14 00000000")))
                .isInstanceOf(RtmpProtocolException.class)
                .hasMessageContaining("over the limit of " + RtmpChunkDecoder.MAX_COMMAND_SIZE + " bytes for a command");
        publisher.finishAndReleaseAll();
    }

    /** Before a publish, even a video message gets only the command limit: no stranger buffers megabytes unasked. */
    @Test
    void beforeAPublishMediaGetsTheCommandLimitToo() {
        assertThatThrownBy(() -> ch.writeInbound(Hex.buffer("06 000000 100000 09 01000000")))
                .isInstanceOf(RtmpProtocolException.class)
                .hasMessageContaining("over the limit of " + RtmpChunkDecoder.MAX_COMMAND_SIZE + " bytes before a publish");
    }

    /** Two connections each holding part of a large message: the one that would go over the node's budget is refused, and closing gives its bytes back. */
    @Test
    void incompleteMessagesOfAllConnectionsShareOneBudget() {
        PartialMessageBudget budget = new PartialMessageBudget(1000);
        EmbeddedChannel first = new EmbeddedChannel(publishing(new RtmpChunkDecoder(1 << 20, budget)));
        EmbeddedChannel second = new EmbeddedChannel(publishing(new RtmpChunkDecoder(1 << 20, budget)));
        String chunk = "00".repeat(128);
        // A 100 000-byte video message: 7 chunks of 128 bytes so far (896 bytes held).
        first.writeInbound(Hex.buffer("06 000000 0186a0 09 01000000" + chunk + ("c6" + chunk).repeat(6)));
        assertThat(budget.held()).isEqualTo(896);
        assertThatThrownBy(() -> second.writeInbound(Hex.buffer("06 000000 0186a0 09 01000000" + chunk)))
                .isInstanceOf(RtmpProtocolException.class)
                .hasMessageContaining("rtmp.partialMessageBudget");
        second.finishAndReleaseAll();
        first.finishAndReleaseAll();
        assertThat(budget.held()).as("given back on close").isZero();
        EmbeddedChannel third = new EmbeddedChannel(publishing(new RtmpChunkDecoder(1 << 20, budget)));
        third.writeInbound(Hex.buffer("06 000000 0186a0 09 01000000" + chunk));
        assertThat(budget.held()).isEqualTo(128);
        third.finishAndReleaseAll();
        assertThat(budget.held()).isZero();
    }

    /** A client connection's own budget: going over it names that budget, not the node's setting, which does not apply. */
    @Test
    void aClientConnectionsBudgetIsItsOwn() {
        EmbeddedChannel client = new EmbeddedChannel(publishing(new RtmpChunkDecoder(1 << 20, PartialMessageBudget.ofOneConnection(100))));
        assertThatThrownBy(() -> client.writeInbound(Hex.buffer("06 000000 0186a0 09 01000000" + "00".repeat(128))))
                .isInstanceOf(RtmpProtocolException.class)
                .hasMessageContaining("this client connection's budget of 100 bytes")
                .hasMessageNotContaining("rtmp.partialMessageBudget");
        client.finishAndReleaseAll();
    }
}

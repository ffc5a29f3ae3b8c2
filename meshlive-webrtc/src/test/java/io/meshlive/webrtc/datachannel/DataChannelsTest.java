package io.meshlive.webrtc.datachannel;

import io.meshlive.webrtc.sctp.Chunk;
import io.meshlive.webrtc.sctp.ChromiumPackets;
import io.meshlive.webrtc.sctp.DataChunk;
import io.meshlive.webrtc.sctp.SctpPeer;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

class DataChannelsTest implements DataChannels.Listener {
    private final SctpPeer peer = new SctpPeer();
    private final List<DataChannel> opened = new CopyOnWriteArrayList<>();
    private final List<String> closed = new CopyOnWriteArrayList<>();
    private DataChannels channels;

    @BeforeEach
    void establish() throws Exception {
        channels = new DataChannels(peer.loop, ByteBufAllocator.DEFAULT, SctpPeer.SECRET, peer::out, this);
        peer.handshake(channels::receive);
    }

    @AfterEach
    void end() throws Exception {
        peer.on(() -> channels.close("test over"));
        peer.close();
    }

    @Override
    public void onOpen(DataChannel channel) {
        opened.add(channel);
    }

    @Override
    public void onClosed(String reason) {
        closed.add(reason);
    }

    @Test
    void answersChromiumsOpenWithAnAckThenSendsText() throws Exception {
        peer.on(() -> channels.receive(peer.message(0, Ppid.DCEP, ChromiumPackets.DCEP_OPEN_MESSAGE)));
        assertThat(opened).containsExactly(new DataChannel(0, "cues", "", true));
        // The SACK and the ACK go bundled or one after the other; find the ACK.
        DataChunk ack = dataChunks().get(0);
        assertThat(ack.stream()).isZero();
        assertThat(ack.ppid()).isEqualTo(Ppid.DCEP);
        assertThat(ack.unordered()).isFalse();
        assertThat(ByteBufUtil.hexDump(ack.data())).isEqualTo("02");

        assertThat(peer.call(() -> channels.sendText(opened.get(0),
                Unpooled.copiedBuffer("{\"type\":\"cue\"}", StandardCharsets.UTF_8)))).isTrue();
        DataChunk text = dataChunks().get(1);
        assertThat(text.ppid()).isEqualTo(Ppid.STRING);
        assertThat(text.data().toString(StandardCharsets.UTF_8)).isEqualTo("{\"type\":\"cue\"}");
        assertThat(text.ssn()).as("the next message on the stream").isEqualTo(1);

        peer.on(() -> channels.sendText(opened.get(0), Unpooled.EMPTY_BUFFER));
        DataChunk empty = dataChunks().get(2);
        assertThat(empty.ppid()).isEqualTo(Ppid.STRING_EMPTY);
        assertThat(empty.data().readableBytes()).isEqualTo(1);
        assertThat(peer.call(channels::messagesOut)).isEqualTo(2);
    }

    @Test
    void anOpenOnAnOddStreamEndsTheAssociation() throws Exception {
        peer.on(() -> channels.receive(peer.message(1, Ppid.DCEP, ChromiumPackets.DCEP_OPEN_MESSAGE)));
        assertThat(opened).isEmpty();
        assertThat(closed).singleElement().asString().contains("odd stream 1");
        assertThat(SctpPeer.chunkOf(peer.last()).type()).isEqualTo(Chunk.ABORT);
        assertThat(peer.call(channels::isOpen)).isFalse();
    }

    @Test
    void aMessageOnAStreamWithoutAChannelEndsTheAssociation() throws Exception {
        peer.on(() -> channels.receive(peer.message(1, Ppid.STRING, "garbage".getBytes())));
        assertThat(closed).singleElement().asString().contains("no open channel");
    }

    @Test
    void messagesFromThePageAreCountedAndDropped() throws Exception {
        peer.on(() -> channels.receive(peer.message(0, Ppid.DCEP, ChromiumPackets.DCEP_OPEN_MESSAGE)));
        peer.on(() -> channels.receive(peer.message(0, Ppid.STRING, "hi".getBytes())));
        assertThat(peer.call(channels::messagesIn)).isEqualTo(1);
        assertThat(closed).isEmpty();
    }

    @Test
    void atMostSixteenChannels() throws Exception {
        for (int i = 0; i <= DataChannels.MAX_CHANNELS; i++) {
            int stream = 2 * i;
            peer.on(() -> channels.receive(peer.message(stream, Ppid.DCEP, ChromiumPackets.DCEP_OPEN_MESSAGE)));
        }
        assertThat(opened).hasSize(DataChannels.MAX_CHANNELS);
        assertThat(closed).singleElement().asString().contains("more than 16");
    }

    /** Every DATA chunk we sent, in order. */
    private List<DataChunk> dataChunks() throws Exception {
        List<DataChunk> data = new java.util.ArrayList<>();
        for (byte[] p : peer.sent) {
            for (Chunk c : SctpPeer.chunksOf(p)) {
                if (c.type() == Chunk.DATA) {
                    data.add(DataChunk.parse(c));
                }
            }
        }
        return data;
    }
}

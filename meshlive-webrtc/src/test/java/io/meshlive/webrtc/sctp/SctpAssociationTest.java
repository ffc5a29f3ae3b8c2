package io.meshlive.webrtc.sctp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static io.meshlive.testkit.Hex.hex;

class SctpAssociationTest implements SctpAssociation.Listener {
    private final SctpPeer peer = new SctpPeer();
    private final List<String> messages = new CopyOnWriteArrayList<>();
    private final List<String> closed = new CopyOnWriteArrayList<>();
    private SctpAssociation sctp;

    @BeforeEach
    void establish() throws Exception {
        sctp = new SctpAssociation(peer.loop, ByteBufAllocator.DEFAULT, SctpPeer.SECRET, peer::out, this);
        peer.handshake(sctp::receive);
    }

    @AfterEach
    void end() throws Exception {
        peer.on(() -> sctp.abort("test over"));
        peer.close();
    }

    @Override
    public void onMessage(int stream, long ppid, boolean unordered, ByteBuf message) {
        messages.add(stream + "/" + ppid + (unordered ? "/u" : "") + ":" + message.toString(java.nio.charset.StandardCharsets.ISO_8859_1));
        message.release();
    }

    @Override
    public void onClosed(String reason) {
        closed.add(reason);
    }

    @Test
    void answersChromiumsInitStatelesslyAndTheCookieEstablishes() throws Exception {
        SctpPacket initAck = SctpPacket.parse(Unpooled.wrappedBuffer(peer.sent.get(0)));
        assertThat(initAck.verificationTag()).as("INIT-ACK goes under the INIT's tag").isEqualTo(0x07a82656L);
        InitChunk ack = InitChunk.parse(initAck.chunks().get(0));
        assertThat(ack.outboundStreams()).isEqualTo(SctpAssociation.STREAMS);
        assertThat(ack.inboundStreams()).isEqualTo(SctpAssociation.STREAMS);
        assertThat(ack.receiveWindow()).isEqualTo(SctpAssociation.RECEIVE_WINDOW);
        assertThat(ack.cookie().readableBytes()).isEqualTo(StateCookie.LENGTH);

        SctpPacket cookieAck = SctpPacket.parse(Unpooled.wrappedBuffer(peer.sent.get(1)));
        assertThat(cookieAck.verificationTag()).isEqualTo(0x07a82656L);
        assertThat(cookieAck.chunks().get(0).type()).isEqualTo(Chunk.COOKIE_ACK);
        assertThat(peer.call(sctp::established)).isTrue();
    }

    /** Chromium resends its INIT when our INIT-ACK is slow; both answers must lead to the same association. */
    @Test
    void aRetransmittedInitGetsTheSameTagAndTsn() throws Exception {
        SctpAssociation fresh = new SctpAssociation(peer.loop, ByteBufAllocator.DEFAULT, SctpPeer.SECRET, peer::out, this);
        int before = peer.sent.size();
        peer.on(() -> fresh.receive(Unpooled.wrappedBuffer(ChromiumPackets.INIT)));
        peer.on(() -> fresh.receive(Unpooled.wrappedBuffer(ChromiumPackets.INIT)));
        InitChunk first = InitChunk.parse(SctpPeer.chunkOf(peer.sent.get(before)));
        InitChunk again = InitChunk.parse(SctpPeer.chunkOf(peer.sent.get(before + 1)));
        assertThat(again.initiateTag()).isEqualTo(first.initiateTag());
        assertThat(again.initialTsn()).isEqualTo(first.initialTsn());
    }

    @Test
    void aForgedCookieIsRefused() throws Exception {
        SctpAssociation other = new SctpAssociation(peer.loop, ByteBufAllocator.DEFAULT, "another secret".getBytes(),
                peer::out, this);
        int before = peer.sent.size();
        byte[] cookie = Arrays.copyOf(ByteBufUtil.getBytes(InitChunk.parse(SctpPeer.chunkOf(peer.sent.get(0))).cookie()),
                StateCookie.LENGTH);
        peer.on(() -> other.receive(peer.packet(Chunk.COOKIE_ECHO, 0, Unpooled.wrappedBuffer(cookie))));
        assertThat(closed).singleElement().asString().contains("bad signature");
        assertThat(peer.sent).as("no COOKIE-ACK, and no ABORT before an association exists").hasSize(before);
    }

    @Test
    void takesChromiumsDcepOpenAndAcknowledgesIt() throws Exception {
        peer.on(() -> sctp.receive(peer.message(0, 50, ChromiumPackets.DCEP_OPEN_MESSAGE)));
        assertThat(messages).singleElement().asString().startsWith("0/50:\u0003");
        SackChunk sack = SackChunk.parse(SctpPeer.chunkOf(peer.last()));
        assertThat(sack.cumulativeTsnAck()).isEqualTo(0x088e6727L);
        assertThat(sack.gapStarts()).isEmpty();
    }

    @Test
    void reassemblesFragmentsAndReportsGaps() throws Exception {
        long t = peer.nextTsn;
        peer.on(() -> sctp.receive(peer.data(t, DataChunk.FLAG_BEGIN, 2, 0, 51, "hello ".getBytes())));
        peer.on(() -> sctp.receive(peer.data(t + 2, DataChunk.FLAG_END, 2, 0, 51, "world".getBytes())));
        SackChunk gap = SackChunk.parse(SctpPeer.chunkOf(peer.last()));
        assertThat(gap.cumulativeTsnAck()).isEqualTo(t);
        assertThat(gap.gapStarts()).containsExactly(2);
        assertThat(gap.gapEnds()).containsExactly(2);
        assertThat(messages).isEmpty();

        peer.on(() -> sctp.receive(peer.data(t + 1, 0, 2, 0, 51, "wide ".getBytes())));
        assertThat(messages).containsExactly("2/51:hello wide world");
        SackChunk all = SackChunk.parse(SctpPeer.chunkOf(peer.last()));
        assertThat(all.cumulativeTsnAck()).isEqualTo(t + 2);
        assertThat(all.gapStarts()).isEmpty();

        peer.on(() -> sctp.receive(peer.data(t + 1, 0, 2, 0, 51, "wide ".getBytes())));
        assertThat(messages).as("a duplicate is acknowledged, not delivered").hasSize(1);
        assertThat(SackChunk.parse(SctpPeer.chunkOf(peer.last())).cumulativeTsnAck()).isEqualTo(t + 2);
    }

    @Test
    void fragmentsWhatItSendsAndStopsWhenAcknowledged() throws Exception {
        byte[] big = new byte[3000];
        Arrays.fill(big, (byte) 'x');
        int before = peer.sent.size();
        assertThat(peer.call(() -> sctp.send(4, 51, false, Unpooled.copiedBuffer(big)))).isTrue();
        List<byte[]> packets = peer.sent.subList(before, peer.sent.size());
        assertThat(packets).hasSize(3);
        int total = 0;
        long tsn = peer.localInitialTsn;
        for (int i = 0; i < 3; i++) {
            assertThat(packets.get(i).length).isLessThanOrEqualTo(SctpAssociation.MAX_PACKET);
            DataChunk d = DataChunk.parse(SctpPeer.chunkOf(packets.get(i)));
            assertThat(d.tsn()).isEqualTo(tsn + i);
            assertThat(d.stream()).isEqualTo(4);
            assertThat(d.ssn()).isZero();
            assertThat(d.ppid()).isEqualTo(51);
            assertThat(d.begins()).isEqualTo(i == 0);
            assertThat(d.ends()).isEqualTo(i == 2);
            total += d.data().readableBytes();
        }
        assertThat(total).isEqualTo(3000);
        peer.on(() -> sctp.receive(peer.sack(tsn + 2, new int[0], new int[0])));

        // The next message on the stream takes the next SSN; unacknowledged, it is sent again on the T3 timer.
        int sentBefore = peer.sent.size();
        peer.on(() -> sctp.send(4, 51, false, Unpooled.copiedBuffer("again".getBytes())));
        DataChunk first = DataChunk.parse(SctpPeer.chunkOf(peer.last()));
        assertThat(first.ssn()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(10)).until(() -> peer.sent.size() > sentBefore + 1);
        DataChunk again = DataChunk.parse(SctpPeer.chunkOf(peer.last()));
        assertThat(again.tsn()).isEqualTo(first.tsn());
        assertThat(peer.call(sctp::retransmissions)).isEqualTo(1);
        peer.on(() -> sctp.receive(peer.sack(first.tsn(), new int[0], new int[0])));
        System.out.println("SCTP: T3 retransmitted after the initial RTO");
    }

    @Test
    void fastRetransmitsWhatThreeSacksMiss() throws Exception {
        long tsn = peer.localInitialTsn;
        peer.on(() -> {
            for (int i = 0; i < 5; i++) {
                sctp.send(0, 51, false, Unpooled.copiedBuffer(("m" + i).getBytes()));
            }
        });
        // Chunks are bundled; the peer has all but the first.
        int before = peer.sent.size();
        for (int n = 1; n <= 3; n++) {
            int end = n + 1;
            peer.on(() -> sctp.receive(peer.sack(tsn - 1, new int[] {2}, new int[] {end})));
        }
        List<Chunk> resent = SctpPeer.chunksOf(peer.last());
        assertThat(peer.sent.size()).isGreaterThan(before);
        assertThat(DataChunk.parse(resent.get(0)).tsn()).isEqualTo(tsn);
        assertThat(peer.call(sctp::retransmissions)).isEqualTo(1);
    }

    @Test
    void garbageEndsOnlyThisAssociationWithAnAbort() throws Exception {
        peer.on(() -> sctp.send(0, 51, false, Unpooled.copiedBuffer("queued".getBytes())));
        // A DATA chunk without user data: a protocol violation.
        peer.on(() -> sctp.receive(peer.packet(Chunk.DATA, 3, Unpooled.wrappedBuffer(new byte[12]))));
        assertThat(closed).singleElement().asString().contains("no user data");
        SctpPacket abort = SctpPacket.parse(Unpooled.wrappedBuffer(peer.last()));
        assertThat(abort.chunks().get(0).type()).isEqualTo(Chunk.ABORT);
        assertThat(abort.verificationTag()).isEqualTo(0x07a82656L);
        int after = peer.sent.size();
        peer.on(() -> sctp.receive(peer.message(0, 51, "more".getBytes())));
        assertThat(peer.call(() -> sctp.send(0, 51, false, Unpooled.copiedBuffer("x".getBytes())))).isFalse();
        assertThat(peer.sent).as("an ended association says nothing more").hasSize(after);
        assertThat(closed).hasSize(1);
    }

    @Test
    void badChecksumAndWrongTagAreHandled() throws Exception {
        byte[] corrupt = ByteBufUtil.getBytes(peer.message(0, 51, "x".getBytes()));
        corrupt[corrupt.length - 1] ^= 1;
        peer.on(() -> sctp.receive(Unpooled.wrappedBuffer(corrupt)));
        assertThat(closed).singleElement().asString().contains("checksum");
    }

    @Test
    void aPacketUnderAnotherTagIsIgnored() throws Exception {
        int before = peer.sent.size();
        peer.on(() -> sctp.receive(SctpPeer.packet(peer.localTag + 1, Chunk.ABORT, 0, Unpooled.EMPTY_BUFFER)));
        assertThat(closed).isEmpty();
        assertThat(peer.sent).hasSize(before);
        peer.on(() -> sctp.receive(peer.packet(Chunk.ABORT, 0, Unpooled.EMPTY_BUFFER)));
        assertThat(closed).singleElement().asString().contains("peer aborted");
    }

    @Test
    void answersHeartbeatsAndShutdown() throws Exception {
        byte[] info = hex("00010008 01020304");
        peer.on(() -> sctp.receive(peer.packet(Chunk.HEARTBEAT, 0, Unpooled.wrappedBuffer(info))));
        Chunk ack = SctpPeer.chunkOf(peer.last());
        assertThat(ack.type()).isEqualTo(Chunk.HEARTBEAT_ACK);
        assertThat(ByteBufUtil.getBytes(ack.value())).isEqualTo(info);

        peer.on(() -> sctp.receive(peer.packet(Chunk.SHUTDOWN, 0, Unpooled.wrappedBuffer(new byte[4]))));
        assertThat(SctpPeer.chunkOf(peer.last()).type()).isEqualTo(Chunk.SHUTDOWN_ACK);
        peer.on(() -> sctp.receive(peer.packet(Chunk.SHUTDOWN_COMPLETE, 0, Unpooled.EMPTY_BUFFER)));
        assertThat(closed).singleElement().asString().contains("shut");
    }

    @Test
    void anUnknownChunkIsReportedOrSkippedAsItsTypeAsks() throws Exception {
        long t = peer.nextTsn;
        // 0xC1: skip and report; then the DATA after it is still read.
        ByteBuf p = SctpPacket.begin(ByteBufAllocator.DEFAULT, 128, 5000, 5000, peer.localTag);
        p.writeBytes(hex("c1000008 0a0b0c0d"));
        DataChunk.write(p, 3, t, 0, 0, 51, Unpooled.wrappedBuffer("ok".getBytes()), 0, 2);
        byte[] bytes = ByteBufUtil.getBytes(SctpPacket.finish(p));
        p.release();
        peer.on(() -> sctp.receive(Unpooled.wrappedBuffer(bytes)));
        assertThat(messages).containsExactly("0/51:ok");
        Chunk error = SctpPeer.chunkOf(peer.sent.get(peer.sent.size() - 2));
        assertThat(error.type()).isEqualTo(Chunk.ERROR);
        assertThat(ByteBufUtil.hexDump(error.value())).isEqualTo("0006000c" + "c1000008" + "0a0b0c0d");
    }

    @Test
    void aMessageBeyondTheLimitEndsTheAssociation() throws Exception {
        long t = peer.nextTsn;
        byte[] piece = new byte[1000];
        peer.on(() -> {
            sctp.receive(peer.data(t, DataChunk.FLAG_BEGIN, 0, 0, 53, piece));
            for (int i = 1; i <= SctpAssociation.MAX_MESSAGE / piece.length + 1 && !sctp.ended(); i++) {
                sctp.receive(peer.data(t + i, 0, 0, 0, 53, piece));
            }
        });
        assertThat(closed).singleElement().asString().contains("longer than " + SctpAssociation.MAX_MESSAGE);
    }
}

package io.meshlive.webrtc;

import io.meshlive.media.Frame;
import io.meshlive.media.cue.Cue;
import io.meshlive.webrtc.datachannel.Ppid;
import io.meshlive.webrtc.sctp.Chunk;
import io.meshlive.webrtc.sctp.ChromiumPackets;
import io.meshlive.webrtc.sctp.DataChunk;
import io.meshlive.webrtc.sctp.SctpPeer;
import io.netty.buffer.ByteBufAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static io.meshlive.testkit.Hex.hex;

/**
 * A viewer's cue channel over a real SCTP association with Chromium's captured handshake and
 * DATA_CHANNEL_OPEN: cues go out as JSON text with the viewer's RTP timestamp of their frame, and
 * the latest sticky cue goes out when the channel opens.
 */
class CueChannelTest {
    private final SctpPeer peer = new SctpPeer();
    private final List<Frame> frames = new ArrayList<>();
    /** This viewer's timeline: 90 kHz from the pts, plus an offset (as after a publisher change). */
    private final CueChannel channel = new CueChannel("viewer", peer.loop.next(), ByteBufAllocator.DEFAULT,
            SctpPeer.SECRET, peer::out, pts -> (pts * 90 / 1000 + 1000) & 0xFFFFFFFFL);

    @AfterEach
    void end() throws Exception {
        peer.on(channel::close);
        peer.close();
        frames.forEach(Frame::release);
    }

    @Test
    void aStickyCueGoesOutWhenTheChannelOpensAndLaterCuesOnTheirFrames() throws Exception {
        peer.on(() -> channel.onCue(cueFrame(new Cue("s1", "product", "{\"title\":\"Mug\"}", 1_000_000, 1700000000000L,
                0, true, false))));
        peer.on(() -> channel.onCue(cueFrame(new Cue("n1", "vote", "{}", 1_500_000, 1700000000500L, 0, false, false))));
        assertThat(peer.sent).as("no association, nothing sent").isEmpty();

        peer.handshake(channel::receive);
        peer.on(() -> channel.receive(peer.message(0, Ppid.DCEP, ChromiumPackets.DCEP_OPEN_MESSAGE)));
        List<String> texts = texts();
        assertThat(texts).containsExactly("{\"id\":\"s1\",\"kind\":\"product\",\"payload\":{\"title\":\"Mug\"},"
                + "\"pts\":1000.0,\"ingestTime\":1700000000000,\"durationMs\":0,\"sticky\":true,\"late\":false,"
                + "\"type\":\"cue\",\"rtpTimestamp\":91000}");

        peer.on(() -> channel.onCue(cueFrame(new Cue("n2", "price", "{\"price\":\"4.99\"}", 2_000_000, 1700000001000L,
                1500, false, true))));
        assertThat(texts()).hasSize(2).last().isEqualTo("{\"id\":\"n2\",\"kind\":\"price\","
                + "\"payload\":{\"price\":\"4.99\"},\"pts\":2000.0,\"ingestTime\":1700000001000,\"durationMs\":1500,"
                + "\"sticky\":false,\"late\":true,\"type\":\"cue\",\"rtpTimestamp\":181000}");
    }

    @Test
    void idsAndKindsAreJsonEscaped() throws Exception {
        peer.handshake(channel::receive);
        peer.on(() -> channel.receive(peer.message(0, Ppid.DCEP, ChromiumPackets.DCEP_OPEN_MESSAGE)));
        peer.on(() -> channel.onCue(cueFrame(new Cue("a\"b\\c\n", "k\u0001", "null", 0, 0, 0, false, false))));
        assertThat(texts()).singleElement().asString().startsWith("{\"id\":\"a\\\"b\\\\c\\u000a\",\"kind\":\"k\\u0001\"");
    }

    @Test
    void aChannelWithAnotherLabelGetsNoCues() throws Exception {
        peer.handshake(channel::receive);
        byte[] chat = hex("03000100 00000000 00040000 63686174"); // label "chat"
        peer.on(() -> channel.receive(peer.message(0, Ppid.DCEP, chat)));
        peer.on(() -> channel.onCue(cueFrame(new Cue("n1", "vote", "{}", 0, 0, 0, false, false))));
        assertThat(texts()).isEmpty();
    }

    /**
     * What a cue costs one viewer with a channel, in this JVM: render (shared), the viewer's JSON
     * copy, SCTP framing and checksum, and the browser's SACK. Printed, not asserted (SRTP-like
     * DTLS encryption and the socket write come on top; a viewer without a channel pays a null check).
     */
    @Test
    void costOfACuePerViewer() throws Exception {
        peer.handshake(channel::receive);
        peer.on(() -> channel.receive(peer.message(0, Ppid.DCEP, ChromiumPackets.DCEP_OPEN_MESSAGE)));
        Frame frame = cueFrame(new Cue("p", "product", "{\"title\":\"A product card\",\"price\":\"19.99\"}",
                1_000_000, 1700000000000L, 3000, false, false));
        int cues = 2_000;
        long[] result = peer.call(() -> {
            long tsn = peer.localInitialTsn; // the DCEP ACK
            // CPU time of the loop's thread: wall time on a shared machine says more about the neighbours.
            java.lang.management.ThreadMXBean cpu = java.lang.management.ManagementFactory.getThreadMXBean();
            long start = cpu.getCurrentThreadCpuTime();
            long bytes = 0;
            for (int i = 1; i <= cues; i++) {
                int sentBefore = peer.sent.size();
                channel.onCue(frame);
                bytes += peer.sent.get(sentBefore).length;
                peer.sent.clear();
                channel.receive(peer.sack(tsn + i, new int[0], new int[0]));
                peer.sent.clear();
            }
            return new long[] {cpu.getCurrentThreadCpuTime() - start, bytes};
        });
        // Under the tests' PARANOID leak detector every buffer access records a stack: run with
        // -Dtest.argLine=-Xmx1g for the real figure.
        System.out.printf("cue over a data channel: %.2f us CPU and %d SCTP bytes per cue per viewer (%d cues, SACK included)%n",
                result[0] / 1000.0 / cues, result[1] / cues, cues);
    }

    private Frame cueFrame(Cue cue) {
        Frame f = cue.toFrame(ByteBufAllocator.DEFAULT, System.nanoTime());
        frames.add(f);
        return f;
    }

    /** The text messages (PPID 51) sent so far. */
    private List<String> texts() throws Exception {
        List<String> texts = new ArrayList<>();
        for (byte[] p : peer.sent) {
            for (Chunk c : SctpPeer.chunksOf(p)) {
                if (c.type() == Chunk.DATA) {
                    DataChunk d = DataChunk.parse(c);
                    if (d.ppid() == Ppid.STRING) {
                        texts.add(d.data().toString(StandardCharsets.UTF_8));
                    }
                }
            }
        }
        return texts;
    }
}

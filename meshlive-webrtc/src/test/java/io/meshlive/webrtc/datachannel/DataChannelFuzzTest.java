package io.meshlive.webrtc.datachannel;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.meshlive.webrtc.sctp.ChromiumPackets;
import io.meshlive.webrtc.sctp.SctpPeer;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * Arbitrary SCTP packets into an established association with its data channels (the SCTP
 * packet and chunk parsers, the association's state, DCEP on top), and arbitrary bytes into the
 * DCEP parser. The input is split into packets at each "\n--\n"; each packet gets the
 * association's verification tag and a good checksum, so the fuzzer reaches the chunks. The only
 * acceptable outcome of bad input is the association ending (or a DcepException); nothing may
 * leak. Jazzer runs the seeds (Chromium's packets, whole and cut) in the normal build; set
 * JAZZER_FUZZ=1 to fuzz.
 */
class DataChannelFuzzTest {
    private static final byte[] SEPARATOR = {'\n', '-', '-', '\n'};
    private static final SctpPeer PEER = new SctpPeer();

    @AfterAll
    static void stop() {
        PEER.close();
    }

    static Stream<Arguments> seeds() {
        List<byte[]> packets = List.of(ChromiumPackets.DCEP_OPEN, ChromiumPackets.SACK,
                ChromiumPackets.SACK_WITH_DUPLICATES, ChromiumPackets.INIT);
        return Stream.of(
                Arguments.of((Object) join(packets)),
                Arguments.of((Object) join(packets.stream().map(p -> Arrays.copyOf(p, 20)).toList())),
                Arguments.of((Object) ChromiumPackets.DCEP_OPEN));
    }

    private static byte[] join(List<byte[]> packets) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : packets) {
            out.writeBytes(p);
            out.writeBytes(SEPARATOR);
        }
        return out.toByteArray();
    }

    @MethodSource("seeds")
    @FuzzTest(maxDuration = "30s")
    void sctpPackets(byte[] data) throws Exception {
        PEER.sent.clear();
        DataChannels channels = new DataChannels(PEER.loop, ByteBufAllocator.DEFAULT, SctpPeer.SECRET,
                PEER::out, new DataChannels.Listener() {
                    @Override
                    public void onOpen(DataChannel channel) {
                    }

                    @Override
                    public void onClosed(String reason) {
                    }
                });
        PEER.handshake(channels::receive);
        PEER.on(() -> {
            try {
                int start = 0;
                for (int i = 0; i <= data.length; i++) {
                    if (i == data.length || (i + 3 < data.length && data[i] == '\n' && data[i + 1] == '-'
                            && data[i + 2] == '-' && data[i + 3] == '\n')) {
                        channels.receive(PEER.retagged(data, start, i - start));
                        start = i + 4;
                        i += 3;
                    }
                }
            } finally {
                channels.close("fuzz run over");
            }
        });
    }

    @MethodSource("seeds")
    @FuzzTest(maxDuration = "30s")
    void dcepOpen(byte[] data) {
        try {
            Dcep.parseOpen(Unpooled.wrappedBuffer(data));
        } catch (DcepException expected) {
            // bad input, reported as such
        }
    }
}

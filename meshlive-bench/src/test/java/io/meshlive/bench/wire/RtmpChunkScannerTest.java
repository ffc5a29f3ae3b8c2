package io.meshlive.bench.wire;

import io.meshlive.rtmp.RtmpProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.UnpooledByteBufAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RtmpChunkScannerTest {
    private final List<String> seen = new ArrayList<>();
    private final RtmpChunkScanner scanner = new RtmpChunkScanner(new RtmpChunkScanner.Listener() {
        @Override
        public void onMessage(int typeId, long timestamp, int length, int first, int second) {
            seen.add("msg type=" + typeId + " ts=" + timestamp + " len=" + length + " head=" + first + "," + second);
        }

        @Override
        public void onControl(int typeId, int streamId, ByteBuf body) {
            seen.add("ctl type=" + typeId + " msid=" + streamId + " body=" + ByteBufUtil.hexDump(body));
        }
    }, UnpooledByteBufAllocator.DEFAULT);
    private ByteBuf wire;

    @AfterEach
    void release() {
        scanner.release();
        if (wire != null) {
            wire.release();
        }
    }

    /** Every header form, extended timestamps, interleaving and a chunk size change. */
    private static ByteBuf session() {
        ChunkBytes c = new ChunkBytes();
        c.fmt0(2, 0, 4, 1, 0).payload(0, 0, 0, 100); // Set Chunk Size 100
        c.fmt0(3, 0, 5, 20, 0).payload(2, 0, 2, 'o', 'k'); // a command: AMF0 "ok"
        c.fmt0(6, 1000, 150, 9, 1).payload(0x17, 0x01).filler(98, 7); // video, first chunk of two...
        c.fmt0(4, 1000, 3, 8, 1).payload(0xAF, 0x01, 9); // ...interleaved with audio on chunk stream 4
        c.fmt3(6).filler(50, 7); // ...and the rest of the video
        c.fmt1(6, 33, 50, 9).payload(0x27, 0x01).filler(48, 7); // delta 33
        c.fmt2(6, 34).payload(0x27, 0x01).filler(48, 7); // delta 34, same length and type
        c.fmt3(6).payload(0x27, 0x01).filler(48, 7); // a new message repeating delta 34
        c.fmt0(100, 7, 1, 8, 1).payload(0xAF); // two-byte chunk stream id, one-byte body
        c.fmt0(400, 0x1000005L, 120, 8, 1).payload(0xAF, 0x00).filler(98, 1); // three-byte id, extended timestamp...
        c.fmt3(400).repeatExtended(0x1000005L).filler(20, 1); // ...repeated on the continuation
        c.fmt0(5, 5, 0, 18, 1); // an empty data message
        c.fmt0(2, 0, 6, 4, 0).payload(0, 6, 0, 0, 0, 42); // ping request
        return c.out;
    }

    private static final List<String> EXPECTED = List.of(
            "ctl type=20 msid=0 body=0200026f6b",
            "msg type=8 ts=1000 len=3 head=175,1",
            "msg type=9 ts=1000 len=150 head=23,1",
            "msg type=9 ts=1033 len=50 head=39,1",
            "msg type=9 ts=1067 len=50 head=39,1",
            "msg type=9 ts=1101 len=50 head=39,1",
            "msg type=8 ts=7 len=1 head=175,-1",
            "msg type=8 ts=16777221 len=120 head=175,0",
            "msg type=18 ts=5 len=0 head=-1,-1",
            "ctl type=4 msid=0 body=00060000002a");

    @Test
    void readsEveryHeaderFormInOneRead() {
        wire = session();
        scanner.scan(wire);
        assertThat(seen).containsExactlyElementsOf(EXPECTED);
        assertThat(wire.isReadable()).isFalse();
    }

    @Test
    void readsTheSameWhenEveryByteArrivesAlone() {
        wire = session();
        while (wire.isReadable()) {
            ByteBuf one = wire.readRetainedSlice(1);
            scanner.scan(one);
            one.release();
        }
        assertThat(seen).containsExactlyElementsOf(EXPECTED);
    }

    @Test
    void readsTheSameWhateverTheReadBoundaries() {
        Random random = new Random(7);
        for (int round = 0; round < 50; round++) {
            ByteBuf bytes = session();
            RtmpChunkScannerTest fresh = new RtmpChunkScannerTest();
            while (bytes.isReadable()) {
                ByteBuf part = bytes.readRetainedSlice(Math.min(bytes.readableBytes(), 1 + random.nextInt(40)));
                fresh.scanner.scan(part);
                part.release();
            }
            bytes.release();
            fresh.scanner.release();
            assertThat(fresh.seen).containsExactlyElementsOf(EXPECTED);
        }
    }

    @Test
    void abortDropsTheMessageInProgress() {
        ChunkBytes c = new ChunkBytes();
        c.fmt0(3, 0, 200, 20, 0).filler(128, 2); // half a command...
        c.fmt0(2, 0, 4, 2, 0).payload(0, 0, 0, 3); // ...aborted
        c.fmt0(3, 0, 2, 20, 0).payload(5, 5); // and a new one on the same chunk stream
        wire = c.out;
        scanner.scan(wire);
        assertThat(seen).containsExactly("ctl type=20 msid=0 body=0505");
    }

    @Test
    void refusesANewMessageHeaderBeforeTheLastMessageEnded() {
        ChunkBytes c = new ChunkBytes();
        c.fmt0(6, 0, 300, 9, 1).filler(128, 0);
        c.fmt1(6, 33, 10, 9);
        wire = c.out;
        assertThatThrownBy(() -> scanner.scan(wire)).isInstanceOf(RtmpProtocolException.class)
                .hasMessageContaining("chunk stream 6");
    }

    @Test
    void refusesAChunkStreamThatStartsWithoutAFullHeader() {
        wire = new ChunkBytes().fmt3(9).out;
        assertThatThrownBy(() -> scanner.scan(wire)).isInstanceOf(RtmpProtocolException.class);
    }
}

package io.meshlive.webrtc.rtp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReorderBufferTest {
    private static final long MAX_WAIT = 40_000_000L;

    private final ReorderBuffer buffer = new ReorderBuffer(8, MAX_WAIT);
    /** Released sequence numbers, negative when flagged with a gap before them ({@code ~seq}). */
    private final List<Integer> released = new ArrayList<>();
    private final OrderedSink sink = (packet, gap) -> {
        int seq = RtpHeader.sequence(packet);
        released.add(gap ? ~seq : seq);
        packet.release();
    };
    private final List<ByteBuf> sent = new ArrayList<>();

    @AfterEach
    void close() {
        buffer.close();
        assertThat(sent).allSatisfy(p -> assertThat(p.refCnt()).isZero());
    }

    private void add(long now, int... sequences) {
        for (int seq : sequences) {
            ByteBuf p = ByteBufAllocator.DEFAULT.buffer(RtpHeader.FIXED_LENGTH);
            RtpHeader.write(p, false, 96, seq, 0, 1);
            sent.add(p);
            buffer.add(p, now, sink);
        }
    }

    private int[] missing() {
        int[] out = new int[16];
        return Arrays.copyOf(out, buffer.missing(out));
    }

    @Test
    void inOrderPacketsPassStraightThrough() {
        add(0, 100, 101, 102);
        assertThat(released).containsExactly(100, 101, 102);
        assertThat(missing()).isEmpty();
    }

    @Test
    void holdsPacketsAfterAHoleUntilItIsFilled() {
        add(0, 10, 12, 14);
        assertThat(released).containsExactly(10);
        assertThat(missing()).containsExactly(11, 13);
        add(1, 11);
        assertThat(released).containsExactly(10, 11, 12);
        add(2, 13);
        assertThat(released).containsExactly(10, 11, 12, 13, 14);
        assertThat(buffer.lost()).isZero();
    }

    @Test
    void sequenceNumbersWrapAround() {
        add(0, 65534, 0, 65535, 2, 1);
        assertThat(released).containsExactly(65534, 65535, 0, 1, 2);
        add(0, 3);
        assertThat(released).endsWith(3);
    }

    @Test
    void missingAcrossTheWrapIsReportedInSixteenBits() {
        add(0, 65533, 1);
        assertThat(missing()).containsExactly(65534, 65535, 0);
    }

    @Test
    void givesUpAHoleAfterMaxWait() {
        add(0, 1, 3);
        buffer.flushExpired(MAX_WAIT - 1, sink);
        assertThat(released).containsExactly(1);
        buffer.flushExpired(MAX_WAIT, sink);
        assertThat(released).containsExactly(1, ~3);
        assertThat(buffer.lost()).isEqualTo(1);
        add(MAX_WAIT + 1, 2); // the retransmission came too late
        assertThat(released).containsExactly(1, ~3);
        assertThat(buffer.late()).isEqualTo(1);
    }

    @Test
    void givesUpAHoleWhenTheWindowFills() {
        add(0, 0, 2, 3, 4, 5, 6, 7, 8);
        assertThat(released).containsExactly(0);
        add(0, 9); // 9 - 1 = 8 = capacity: sequence 1 cannot wait any longer
        assertThat(released).containsExactly(0, ~2, 3, 4, 5, 6, 7, 8, 9);
        assertThat(buffer.lost()).isEqualTo(1);
    }

    @Test
    void aJumpFarAheadGivesUpEverythingBetween() {
        add(0, 0, 2, 1000);
        assertThat(released).containsExactly(0, ~2, ~1000);
        assertThat(buffer.lost()).isEqualTo(1 + 997);
    }

    @Test
    void aSenderThatRestartsItsNumberingIsFollowed() {
        add(0, 5000, 5001, 100, 101);
        assertThat(released).containsExactly(5000, 5001, ~100, 101);
    }

    @Test
    void duplicatesAreDroppedAndCounted() {
        add(0, 7, 9, 9, 7);
        assertThat(released).containsExactly(7);
        assertThat(buffer.duplicates()).isEqualTo(1);
        assertThat(buffer.late()).isEqualTo(1);
    }

    @Test
    void stopsReportingASequenceNumberNackedTooOften() {
        add(0, 1, 3);
        for (int i = 0; i < ReorderBuffer.MAX_NACKS; i++) {
            assertThat(missing()).containsExactly(2);
        }
        assertThat(missing()).isEmpty();
    }

    @Test
    void closeReleasesWhatItHolds() {
        add(0, 1, 3, 4);
        buffer.close();
        assertThat(sent.get(1).refCnt()).isZero();
        assertThat(sent.get(2).refCnt()).isZero();
    }

    @Test
    void capacityMustBeAPowerOfTwo() {
        assertThatThrownBy(() -> new ReorderBuffer(100, MAX_WAIT)).isInstanceOf(IllegalArgumentException.class);
    }
}

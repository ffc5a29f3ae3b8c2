package io.meshlive.testkit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The leak gate itself: a buffer dropped without release must be reported. */
class LeakRecorderTest {
    @Test
    void aDroppedBufferIsReported() throws Exception {
        assertThat(LeakRecorder.installed()).as("installed by the launcher session listener").isTrue();
        leakOne();
        List<String> leaks = List.of();
        for (int i = 0; i < 20 && leaks.isEmpty(); i++) {
            System.gc();
            Thread.sleep(20);
            PooledByteBufAllocator.DEFAULT.directBuffer(8).release(); // tracking a new buffer polls for leaks
            leaks = LeakRecorder.drain();
        }
        assertThat(leaks).isNotEmpty();
        assertThat(leaks.get(0)).startsWith("LEAK: ByteBuf");
    }

    private static void leakOne() {
        ByteBuf lost = PooledByteBufAllocator.DEFAULT.directBuffer(64);
        lost.writeLong(42);
    }
}

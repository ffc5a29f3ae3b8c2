package io.meshlive.testkit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The leak gate itself: a buffer dropped without release must be reported. */
class LeakRecorderTest {
    @Test
    void aDroppedBufferIsReported() throws Exception {
        assertThat(LeakRecorder.installed()).as("installed by the launcher session listener").isTrue();
        leakOne();
        List<String> leaks = new ArrayList<>();
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).until(() -> {
            System.gc();
            PooledByteBufAllocator.DEFAULT.directBuffer(8).release(); // tracking a new buffer polls for leaks
            leaks.addAll(LeakRecorder.drain());
            return !leaks.isEmpty();
        });
        assertThat(leaks.get(0)).startsWith("LEAK: ByteBuf");
    }

    private static void leakOne() {
        ByteBuf lost = PooledByteBufAllocator.DEFAULT.directBuffer(64);
        lost.writeLong(42);
    }
}

package io.meshlive.testkit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FuzzLeakGateTest {
    @Test
    void passesWhenEveryBufferTheInputAllocatedIsReleased() {
        assertThatCode(() -> {
            try (FuzzLeakGate gate = FuzzLeakGate.open()) {
                ByteBuf pooled = ByteBufAllocator.DEFAULT.buffer(64).writeLong(1);
                ByteBuf slice = pooled.retainedSlice(0, 4);
                pooled.release();
                slice.release();
                Unpooled.directBuffer(16).release();
            }
        }).doesNotThrowAnyException();
    }

    @Test
    void failsOnTheInputThatLeftABufferUnreleased() {
        ByteBuf leaked = ByteBufAllocator.DEFAULT.buffer(64);
        try {
            assertThatThrownBy(() -> {
                try (FuzzLeakGate gate = FuzzLeakGate.open()) {
                    ByteBufAllocator.DEFAULT.buffer(8).release();
                    leaked.retain();
                    ByteBuf kept = ByteBufAllocator.DEFAULT.buffer(8);
                    kept.retainedDuplicate().release();
                    leaked.release();
                    // kept is never released
                    keep(kept);
                }
            }).isInstanceOf(AssertionError.class).hasMessageContaining("left 1 buffer(s) unreleased");
        } finally {
            leaked.release();
            released.release();
        }
    }

    private ByteBuf released;

    private void keep(ByteBuf buf) {
        released = buf;
    }
}

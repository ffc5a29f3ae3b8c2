package io.meshlive.testkit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.List;

/**
 * Fails a test class when Netty reported a leaked buffer while it ran. Registered by JUnit's
 * extension auto-detection, so every test class in every module is checked.
 *
 * <p>Netty only notices a leak when a collected buffer's phantom reference is polled, which
 * happens when a new buffer is tracked; so after the class we collect garbage and allocate a few
 * buffers of each kind to make pending reports surface.
 */
public final class LeakCheckExtension implements AfterAllCallback {
    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        LeakRecorder.install();
        for (int round = 0; round < 3; round++) {
            System.gc();
            Thread.sleep(40);
            provokeReports();
        }
        List<String> leaks = LeakRecorder.drain();
        if (!leaks.isEmpty()) {
            throw new AssertionError(leaks.size() + " ByteBuf leak(s) reported during "
                    + context.getDisplayName() + ":\n" + String.join("\n\n", leaks));
        }
    }

    private static void provokeReports() {
        ByteBuf[] bufs = {
                PooledByteBufAllocator.DEFAULT.directBuffer(16),
                PooledByteBufAllocator.DEFAULT.heapBuffer(16),
                UnpooledByteBufAllocator.DEFAULT.directBuffer(16),
                UnpooledByteBufAllocator.DEFAULT.heapBuffer(16),
        };
        for (ByteBuf b : bufs) {
            b.release();
        }
    }
}

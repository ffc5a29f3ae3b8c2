package io.meshlive.media.aac;

import io.meshlive.testkit.FuzzLeakGate;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.meshlive.media.MediaFormatException;
import io.meshlive.media.TestMedia;
import io.netty.buffer.ByteBuf;

/** Whatever the bytes, the ADTS header reader succeeds or throws {@link MediaFormatException}. */
class AdtsFuzzTest {
    @FuzzTest
    void adtsHeader(byte[] data) {
        try (FuzzLeakGate gate = FuzzLeakGate.open()) {
            ByteBuf adts = TestMedia.buffer(data);
            try {
                Adts.readConfig(adts);
            } catch (MediaFormatException expected) {
                // a bad header
            } finally {
                adts.release();
            }
        }
    }
}

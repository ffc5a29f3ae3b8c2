package io.meshlive.media.cue;

import io.meshlive.testkit.FuzzLeakGate;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.meshlive.media.MediaFormatException;
import io.meshlive.media.TestMedia;
import io.meshlive.media.avc.SeiUserData;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * Whatever the bytes, the cue parsers (a relayed cue frame, an encoder's SEI) either succeed or
 * throw {@link MediaFormatException}, and release everything. Seeds under
 * {@code CueFuzzTestInputs/<method>/}; {@code JAZZER_FUZZ=1} fuzzes for real.
 */
class CueFuzzTest {
    private static final byte[] UUID = new byte[16];

    @FuzzTest
    void cueFrame(byte[] data) {
        try (FuzzLeakGate gate = FuzzLeakGate.open()) {
            ByteBuf in = TestMedia.buffer(data);
            try {
                Cue cue = Cue.read(in);
                // Whatever was read writes out again in every form.
                ByteBuf amf = CueScriptData.onCuePoint(cue, ByteBufAllocator.DEFAULT);
                amf.release();
                CueId3.tag(cue);
            } catch (MediaFormatException expected) {
                // not a cue
            } finally {
                in.release();
            }
        }
    }

    @FuzzTest
    void seiUserData(byte[] data) {
        try (FuzzLeakGate gate = FuzzLeakGate.open()) {
            ByteBuf in = TestMedia.buffer(data);
            try {
                SeiUserData.find(in, UUID);
            } catch (MediaFormatException expected) {
                // a bad SEI or NAL length
            } finally {
                in.release();
            }
        }
    }
}

package io.meshlive.media.aac;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.meshlive.media.MediaFormatException;
import io.meshlive.media.TestMedia;

/** Whatever the bytes, the ADTS header reader succeeds or throws {@link MediaFormatException}. */
class AdtsFuzzTest {
    @FuzzTest
    void adtsHeader(byte[] data) {
        TestMedia.parseOrRefuse(data, Adts::readConfig); // a bad header
    }
}

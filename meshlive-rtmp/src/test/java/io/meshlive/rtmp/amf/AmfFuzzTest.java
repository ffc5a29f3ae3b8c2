package io.meshlive.rtmp.amf;

import io.meshlive.testkit.FuzzLeakGate;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static io.meshlive.rtmp.amf.Bytes.read;
import static io.meshlive.rtmp.amf.Bytes.written;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whatever the bytes, a reader returns or throws {@link AmfException}, stays within the buffer
 * and leaves its reference count alone; and what it returns writes back as AMF0 and reads back
 * equal. A plain {@code mvn test} runs the seeds under {@code AmfFuzzTestInputs}; set
 * {@code JAZZER_FUZZ=1} to fuzz.
 */
class AmfFuzzTest {
    @FuzzTest
    void amf0(byte[] data) {
        try (FuzzLeakGate gate = FuzzLeakGate.open()) {
            check(data, Amf0Reader::readAll);
        }
    }

    @FuzzTest
    void amf3(byte[] data) {
        try (FuzzLeakGate gate = FuzzLeakGate.open()) {
            check(data, Amf3Reader::readAll);
        }
    }

    private static void check(byte[] data, Function<ByteBuf, List<Object>> reader) {
        // Direct, so that no code path can lean on a backing array that real socket buffers lack.
        ByteBuf buf = Unpooled.directBuffer(data.length).writeBytes(data);
        List<Object> values = null;
        try {
            values = reader.apply(buf);
            assertThat(buf.readerIndex()).isEqualTo(buf.writerIndex());
        } catch (AmfException e) {
            assertThat(buf.readerIndex()).isZero();
        } finally {
            assertThat(buf.refCnt()).isEqualTo(1);
            assertThat(buf.release()).isTrue();
        }
        if (values != null && writable(values)) {
            Object[] read = values.toArray();
            assertThat(read(written(out -> Amf0Writer.writeAll(out, read)), Amf0Reader::readAll)).isEqualTo(values);
        }
    }

    /** Everything a reader returns has an AMF0 form except byte arrays and names over 65535 UTF-8 bytes. */
    private static boolean writable(Object value) {
        if (value instanceof byte[]) {
            return false;
        }
        if (value instanceof Map<?, ?> map) {
            return map.keySet().stream().allMatch(name -> ByteBufUtil.utf8Bytes((String) name) <= 0xFFFF)
                    && writable(map.values());
        }
        if (value instanceof Collection<?> values) {
            return values.stream().allMatch(AmfFuzzTest::writable);
        }
        return true;
    }
}

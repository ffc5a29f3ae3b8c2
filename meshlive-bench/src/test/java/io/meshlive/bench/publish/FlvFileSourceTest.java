package io.meshlive.bench.publish;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class FlvFileSourceTest {
    @TempDir
    Path dir;

    @Test
    void loopingCarriesTimestampsOnAndSendsMetadataAndConfigurationOnce() throws Exception {
        SyntheticStream spec = new SyntheticStream(200_000, 10, 10, new VideoSize(320, 240));
        Path path = TestFlvFiles.write(dir.resolve("one-second.flv"), spec, 1000);
        try (FlvFile file = FlvFile.load(path)) {
            assertThat(file.loopMillis()).as("video at 0..1000 ms, 100 ms apart").isEqualTo(1100);
            FlvFileSource source = new FlvFileSource(file, true);
            List<MediaTag> tags = new ArrayList<>();
            while (source.loops() < 2) {
                tags.add(source.next());
            }
            MediaTag last = tags.remove(tags.size() - 1); // the first of the third pass
            last.body().release();
            long previous = -1;
            int configs = 0;
            int metadata = 0;
            for (MediaTag tag : tags) {
                assertThat(tag.timestamp()).isGreaterThanOrEqualTo(previous);
                previous = tag.timestamp();
                configs += tag.type() != MediaTag.DATA && tag.second() == 0 ? 1 : 0;
                metadata += tag.type() == MediaTag.DATA ? 1 : 0;
                tag.body().release();
            }
            assertThat(configs).as("AVC and AAC sequence headers, first pass only").isEqualTo(2);
            assertThat(metadata).isEqualTo(1);
            assertThat(previous).as("second pass ends one loop after the first").isEqualTo(1000 + 1100);
            assertThat(last.timestamp()).isEqualTo(2 * 1100);
        }
    }

    @Test
    void withoutLoopItEnds() throws Exception {
        Path path = TestFlvFiles.write(dir.resolve("short.flv"), new SyntheticStream(100_000, 10, 10, new VideoSize(320, 240)), 200);
        try (FlvFile file = FlvFile.load(path)) {
            FlvFileSource source = new FlvFileSource(file, false);
            int n = 0;
            for (MediaTag tag = source.next(); tag != null; tag = source.next()) {
                tag.body().release();
                n++;
            }
            assertThat(n).isGreaterThan(3);
            assertThat(source.loops()).isZero();
        }
    }
}

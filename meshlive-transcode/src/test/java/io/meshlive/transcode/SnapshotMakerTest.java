package io.meshlive.transcode;

import io.meshlive.testkit.Ffmpeg;
import io.meshlive.media.Codec;
import io.meshlive.media.Frame;
import io.meshlive.media.flv.FlvReader;
import io.meshlive.media.flv.FlvTag;
import io.meshlive.transcode.snapshot.Snapshot;
import io.meshlive.transcode.snapshot.SnapshotMaker;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Keyframes made by ffmpeg become JPEGs that ffprobe reads back at the asked size; corrupt ones are refused, not crashed on. */
class SnapshotMakerTest {
    private static final int WIDTH = 640;
    private static final int HEIGHT = 360;

    @TempDir
    Path dir;
    private Frame config;
    private Frame keyframe;

    @BeforeEach
    void encodeOnePicture() throws IOException {
        ByteBuf flv = Unpooled.wrappedBuffer(Files.readAllBytes(Ffmpeg.h264Picture(dir.resolve("in.flv"), WIDTH, HEIGHT)));
        FlvReader reader = new FlvReader(flv);
        for (FlvTag tag; (tag = reader.next()) != null; ) {
            if (tag.type() == FlvTag.VIDEO) {
                Frame f = tag.toFrame(System.nanoTime());
                if (f == null) {
                    tag.release(); // end of sequence: no frame took the body
                } else if (f.isConfig()) {
                    config = f;
                } else {
                    keyframe = f;
                }
            } else {
                tag.release();
            }
        }
        flv.release();
        assertThat(config).as("avcC").isNotNull();
        assertThat(keyframe).as("keyframe").isNotNull().matches(Frame::isVideoKeyframe);
    }

    @AfterEach
    void release() {
        config.release();
        keyframe.release();
    }

    @Test
    void aKeyframeBecomesAJpegOfItsOwnSize() throws Exception {
        Snapshot s = new SnapshotMaker(80).make(Codec.H264, config.payload(), keyframe.payload(), 0);
        assertThat(s.width()).isEqualTo(WIDTH);
        assertThat(s.height()).isEqualTo(HEIGHT);
        assertThat(probe(s)).isEqualTo("mjpeg," + WIDTH + "," + HEIGHT);
        assertThat(config.payload().readerIndex()).as("inputs untouched").isZero();
    }

    @Test
    void aWidthScalesKeepingTheAspectRatioButNeverUpscales() throws Exception {
        SnapshotMaker maker = new SnapshotMaker(80);
        assertThat(probe(maker.make(Codec.H264, config.payload(), keyframe.payload(), 320))).isEqualTo("mjpeg,320,180");
        assertThat(probe(maker.make(Codec.H264, config.payload(), keyframe.payload(), 1920))).isEqualTo("mjpeg,640,360");
    }

    @Test
    void lowerQualityMakesSmallerFiles() throws Exception {
        int best = new SnapshotMaker(100).make(Codec.H264, config.payload(), keyframe.payload(), 0).jpeg().length;
        int worst = new SnapshotMaker(1).make(Codec.H264, config.payload(), keyframe.payload(), 0).jpeg().length;
        assertThat(worst).isLessThan(best / 2);
    }

    @Test
    void aCorruptKeyframeIsAnErrorAndTheNextOneStillDecodes() throws Exception {
        SnapshotMaker maker = new SnapshotMaker(80);
        ByteBuf garbage = Unpooled.buffer();
        garbage.writeInt(200).writeBytes(new byte[] {0x65, (byte) 0x88, (byte) 0x84}).writeZero(197);
        ByteBuf truncated = keyframe.payload().slice(0, 40);
        try {
            assertThatThrownBy(() -> maker.make(Codec.H264, config.payload(), garbage, 0)).isInstanceOf(TranscodeException.class);
            assertThatThrownBy(() -> maker.make(Codec.H264, config.payload(), truncated, 0)).isInstanceOf(TranscodeException.class);
            assertThatThrownBy(() -> maker.make(Codec.H264, garbage, keyframe.payload(), 0)).isInstanceOf(TranscodeException.class);
            assertThatThrownBy(() -> maker.make(Codec.VP9, config.payload(), keyframe.payload(), 0))
                    .isInstanceOf(TranscodeException.class).hasMessageContaining("vp9");
        } finally {
            garbage.release();
        }
        assertThat(probe(maker.make(Codec.H264, config.payload(), keyframe.payload(), 0))).isEqualTo("mjpeg,640,360");
    }

    private String probe(Snapshot s) throws IOException {
        assertThat(s.jpeg()).startsWith((byte) 0xFF, (byte) 0xD8);
        Path file = Files.createTempFile(dir, "snapshot", ".jpg");
        Files.write(file, s.jpeg());
        return Ffmpeg.probeVideo(file);
    }
}

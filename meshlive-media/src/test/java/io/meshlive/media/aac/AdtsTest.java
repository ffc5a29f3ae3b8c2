package io.meshlive.media.aac;

import io.meshlive.media.MediaFormatException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import org.junit.jupiter.api.Test;

import static io.meshlive.media.TestMedia.buffer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AdtsTest {
    /** The first header of {@code ffmpeg -f lavfi -i sine=sample_rate=48000 -c:a aac -ac 1 -f adts}: a 212-byte frame. */
    private static final String FFMPEG_HEADER = "fff14c401b7ffc";

    @Test
    void writesTheHeaderFfmpegWrites() {
        ByteBuf out = ByteBufAllocator.DEFAULT.buffer();
        try {
            Adts.writeHeader(new AacConfig(2, 48000, 1), 212, out);
            assertThat(ByteBufUtil.hexDump(out)).isEqualTo(FFMPEG_HEADER);
        } finally {
            out.release();
        }
    }

    @Test
    void readsTheConfigBack() {
        ByteBuf header = buffer(FFMPEG_HEADER);
        try {
            assertThat(Adts.readConfig(header)).isEqualTo(new AacConfig(2, 48000, 1));
        } finally {
            header.release();
        }
    }

    @Test
    void roundTripsEveryRateAndChannelConfiguration() {
        ByteBuf out = ByteBufAllocator.DEFAULT.buffer();
        try {
            for (int rate : AacConfig.SAMPLE_RATES) {
                for (int channels = 0; channels <= 7; channels++) {
                    AacConfig config = new AacConfig(2, rate, channels);
                    out.clear();
                    Adts.writeHeader(config, 8191 - Adts.HEADER_LENGTH, out);
                    assertThat(out.readableBytes()).isEqualTo(Adts.HEADER_LENGTH);
                    assertThat(Adts.readConfig(out)).isEqualTo(config);
                }
            }
        } finally {
            out.release();
        }
    }

    @Test
    void refusesWhatAdtsCannotSay() {
        ByteBuf out = ByteBufAllocator.DEFAULT.buffer();
        try {
            assertThatThrownBy(() -> Adts.writeHeader(new AacConfig(2, 44_000, 2), 100, out))
                    .isInstanceOf(MediaFormatException.class).hasMessageContaining("sampling rate 44000");
            assertThatThrownBy(() -> Adts.writeHeader(new AacConfig(42, 48000, 2), 100, out))
                    .isInstanceOf(MediaFormatException.class).hasMessageContaining("object type 42");
            assertThatThrownBy(() -> Adts.writeHeader(new AacConfig(2, 48000, 2), 8185, out))
                    .isInstanceOf(MediaFormatException.class).hasMessageContaining("8192 bytes");
            assertThat(out.readableBytes()).as("nothing half-written").isZero();
        } finally {
            out.release();
        }
    }

    @Test
    void rejectsAHeaderWithoutSync() {
        ByteBuf header = buffer("ffe14c401b7ffc");
        try {
            assertThatThrownBy(() -> Adts.readConfig(header))
                    .isInstanceOf(MediaFormatException.class).hasMessageContaining("sync word");
        } finally {
            header.release();
        }
    }
}

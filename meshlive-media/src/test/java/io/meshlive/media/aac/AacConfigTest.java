package io.meshlive.media.aac;

import io.meshlive.media.BitWriter;
import io.meshlive.media.MediaFormatException;
import io.netty.buffer.ByteBuf;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import static io.meshlive.media.TestMedia.buffer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AacConfigTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource({
            // ffmpeg's native encoder, with its trailing SBR sync extension that says "no SBR"
            "ffmpeg LC 44.1 kHz stereo,       121056e500, 2, 44100, 2, 2",
            "ffmpeg LC 48 kHz mono,           118856e500, 2, 48000, 1, 1",
            "LC 8 kHz 5.1,                    15b0,       2, 8000,  6, 6",
            "LC 7.1,                          11b8,       2, 48000, 7, 8",
            // HE-AAC v1, explicit: object type 5, 22.05 kHz core, 44.1 kHz SBR, then core type 2
            "explicit HE-AAC,                 2b8a0800,   2, 22050, 1, 1",
    })
    void parsesAudioSpecificConfig(String name, String asc, int objectType, int sampleRate, int channelConfig, int channels) {
        ByteBuf buf = buffer(asc);
        try {
            AacConfig config = AacConfig.parse(buf);
            assertThat(config).isEqualTo(new AacConfig(objectType, sampleRate, channelConfig));
            assertThat(config.channels()).isEqualTo(channels);
            assertThat(buf.readerIndex()).isZero();
        } finally {
            buf.release();
        }
    }

    @Test
    void escapedObjectTypeAndExplicitSampleRate() {
        // object type 42 (USAC) = 31, then 42 - 32 in six bits; rate index 15, then 44000 in 24 bits
        byte[] asc = new BitWriter().u(5, 31).u(6, 10).u(4, 15).u(24, 44_000).u(4, 2).toBytes();
        ByteBuf buf = buffer(asc);
        try {
            assertThat(AacConfig.parse(buf)).isEqualTo(new AacConfig(42, 44_000, 2));
        } finally {
            buf.release();
        }
    }

    @Test
    void reservedRateIndexIsRejected() {
        ByteBuf buf = buffer(new BitWriter().u(5, 2).u(4, 13).u(4, 2).toBytes());
        try {
            assertThatThrownBy(() -> AacConfig.parse(buf))
                    .isInstanceOf(MediaFormatException.class)
                    .hasMessageContaining("reserved sampling frequency index 13");
        } finally {
            buf.release();
        }
    }

    @Test
    void truncatedConfigIsRejected() {
        ByteBuf buf = buffer("12");
        try {
            assertThatThrownBy(() -> AacConfig.parse(buf))
                    .isInstanceOf(MediaFormatException.class)
                    .hasMessageStartingWith("AAC AudioSpecificConfig truncated")
                    .satisfies(e -> assertThat(e.getStackTrace()).as("no stack trace filled per bad input").isEmpty());
        } finally {
            buf.release();
        }
    }
}
